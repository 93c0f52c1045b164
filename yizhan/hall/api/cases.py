"""Cases (办件): receive, list, detail with timers and pauses, and every transition of the state machine.
Each operation parses its input, calls the hall's service function with the caller as actor, and
returns the case as staff see it (`yizhan.hall.case_detail`)."""

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Literal

from django.contrib.auth import get_user_model
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema, Status

from yizhan.api.common import Code, Limit, Offset, Text, max_length_of, user
from yizhan.api.errors import ERROR_RESPONSES, ApiError
from yizhan.api.scope import get_visible, unit_by_code, visible, window_in_scope
from yizhan.audit import privacy
from yizhan.clock.models import PauseReason, TimerPause
from yizhan.clock.warnings import Level
from yizhan.hall import cases as case_service
from yizhan.hall import refusals as refusal_service
from yizhan.hall.case_detail import case_detail
from yizhan.hall.early_warnings import ALERT_LEVELS, case_levels
from yizhan.hall.green_channel import flag_green_channel, green_first
from yizhan.hall.models import ApplicantKind, Case, CaseState, Channel, Matter, RefusalKind
from yizhan.hall.pauses import pause_case, resume_case
from yizhan.org.models import UnitKind

router = Router(tags=["cases"])

CASE_RELATED = ("matter", "window", "department", "handler", "promised_timer", "statutory_timer", "notice_timer")


# ---- output -------------------------------------------------------------------------------------

class TimerOut(Schema):
    purpose: str
    limit: str
    started_at: datetime
    deadline: datetime
    provisional: bool
    paused_since: datetime | None
    stopped_at: datetime | None
    level: Level


class PauseOut(Schema):
    reason: PauseReason
    reason_label: str
    note: str
    started_at: datetime
    ended_at: datetime | None


class NoticeBrief(Schema):
    seq: int
    state: str
    issued_at: datetime
    materials: list[str]
    override_reason: str
    print_url: str


class RefusalBrief(Schema):
    kind: str
    state: str
    reason: str
    legal_basis: str
    requested_at: datetime
    reviewed_at: datetime | None
    review_note: str


class ApplicantOut(Schema):
    kind: ApplicantKind
    name: str
    id: str


class CaseTimers(Schema):
    notice: TimerOut | None
    promised: TimerOut | None
    statutory: TimerOut | None


class CaseDetail(Schema):
    case_no: str
    state: CaseState
    outcome: str
    matter: str
    window: str
    department: str
    handler: str | None
    channel: Channel
    applicant: ApplicantOut
    green_channel: bool
    green_project: str
    received_at: datetime
    accepted_at: datetime | None
    decided_at: datetime | None
    completed_at: datetime | None
    closed_at: datetime | None
    pending_refusal: bool
    awaiting_supplement: bool
    timers: CaseTimers
    pauses: list[PauseOut]
    notices: list[NoticeBrief]
    refusals: list[RefusalBrief]


class CaseListItem(Schema):
    case_no: str
    state: CaseState
    matter: str
    matter_name: str
    window: str
    department: str
    handler: str | None
    green_channel: bool
    green_project: str
    received_at: datetime
    accepted_at: datetime | None
    closed_at: datetime | None
    promised_deadline: datetime | None
    alert: Level | None = Field(None, description="yellow / red / overdue for an open case with a warning, else null")


class CasePage(Schema):
    count: int
    items: list[CaseListItem]


def print_url(case_no: Code, seq: int) -> str:
    return reverse("api:notice_print", kwargs={"case_no": case_no, "seq": seq})


def detail(case: Case, reveal_to=None) -> dict:
    """The case as staff see it. The applicant's ID is shown in full only on the case's own page
    (`reveal_to`: the caller, whose scope find_case has checked), and that view is audited; every
    other answer carries it masked (yizhan.audit.privacy)."""
    case = Case.objects.select_related(*CASE_RELATED).get(pk=case.pk)
    data = case_detail(case)
    if reveal_to is None:
        data["applicant"]["id"] = privacy.masked_value(case, "applicant_id")
    else:
        privacy.record_reveal(reveal_to, case, ["applicant_id"], via="api")
    for notice in data["notices"]:
        notice["print_url"] = print_url(data["case_no"], notice["seq"])
    return data


def find_case(request: HttpRequest, case_no: Code) -> Case:
    """The case, if the caller's scope covers its window; otherwise 404."""
    return get_visible(Case.objects.select_related(*CASE_RELATED), user(request), _("办件"), field="case_no",
                       case_no=case_no)


# ---- receive and list ---------------------------------------------------------------------------

class CaseIn(Schema):
    matter: Code = Field(..., description="matter code")
    window: Code = Field(..., description="window code where the application is received")
    applicant_kind: ApplicantKind = ApplicantKind.PERSON
    applicant_name: Annotated[Text, max_length_of(Case, "applicant_name")] = ""
    applicant_id: Code = Field("", description="resident ID number (person) or unified social credit code")
    applicant_phone: Code = Field("", description="mobile (13812345678) or landline with area code (0750-2221234)")
    channel: Channel = Channel.COUNTER
    green_project: Annotated[Text, max_length_of(Case, "green_project")] = Field("", description="key project's name: runs the case on "
                                                                          "the green channel")
    accept: bool = Field(False, description="accept at once (materials complete at the counter)")


@router.post("/cases", response={201: CaseDetail, **ERROR_RESPONSES}, summary="收件（可同时受理）")
def receive(request: HttpRequest, payload: CaseIn):
    window = window_in_scope(user(request), payload.window, field="window")
    matter = Matter.objects.filter(code=payload.matter).first()
    if matter is None:
        raise ApiError(422, _("事项编码 %(code)s 不存在") % {"code": payload.matter}, field="matter",
                       rule="unknown_matter")
    case = case_service.receive_case(
        matter=matter, window=window, applicant_name=payload.applicant_name,
        applicant_kind=payload.applicant_kind, applicant_id=payload.applicant_id,
        applicant_phone=payload.applicant_phone, channel=payload.channel, green_project=payload.green_project,
        accept=payload.accept, actor=user(request),
    )
    return Status(201, detail(case))


# The levels the early-warning list reports (yellow, red, overdue).
# (Built from the clock's levels, which mypy cannot enumerate: the schema is what checks it.)
AlertLevel = StrEnum("AlertLevel", {level.name: level.value for level in ALERT_LEVELS})  # type: ignore[misc]


class CaseFilter(Schema):
    state: CaseState | None = None
    window: Code | None = Field(None, description="window code")
    department: Code | None = Field(None, description="department code")
    level: AlertLevel | None = Field(None, description="only open cases at this warning level")
    green_channel: bool | None = None
    matter: Code | None = Field(None, description="matter code")
    limit: Limit = 50
    offset: Offset = 0


@router.get("/cases", response={200: CasePage, **ERROR_RESPONSES}, summary="办件列表（绿色通道优先）")
def list_cases(request: HttpRequest, filters: Query[CaseFilter]):
    """Cases of the windows in the caller's scope, green-channel cases first, then earliest received."""
    qs = visible(Case.objects.select_related("matter", "window", "department", "handler", "promised_timer"),
                 user(request))
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.window:
        qs = qs.filter(window=unit_by_code(filters.window, field="window", kind=UnitKind.WINDOW))
    if filters.department:
        qs = qs.filter(department=unit_by_code(filters.department, field="department", kind=UnitKind.DEPARTMENT))
    if filters.green_channel is not None:
        qs = qs.filter(green_channel=filters.green_channel)
    if filters.matter:
        qs = qs.filter(matter__code=filters.matter)
    alerts = case_levels(timezone.now(), levels=ALERT_LEVELS)
    if filters.level:
        qs = qs.filter(pk__in=[pk for pk, level in alerts.items() if level == filters.level.value])
    qs = green_first(qs)
    page = qs[filters.offset:filters.offset + filters.limit]
    return {
        "count": qs.count(),
        "items": [
            {
                "case_no": c.case_no, "state": c.state, "matter": c.matter.code, "matter_name": c.matter.name,
                "window": c.window.code, "department": c.department.code,
                "handler": c.handler.get_username() if c.handler else None, "green_channel": c.green_channel,
                "green_project": c.green_project, "received_at": c.received_at, "accepted_at": c.accepted_at,
                "closed_at": c.closed_at,
                "promised_deadline": c.promised_timer.deadline if c.promised_timer else None,
                "alert": alerts.get(c.pk),
            }
            for c in page
        ],
    }


@router.get("/cases/{case_no}", response={200: CaseDetail, **ERROR_RESPONSES}, summary="办件详情")
def get_case(request: HttpRequest, case_no: Code):
    """State, dates, the notice / promised / statutory timers with their warning levels, pauses,
    one-time notices and refusals."""
    return detail(find_case(request, case_no), reveal_to=user(request))


# ---- transitions --------------------------------------------------------------------------------

@router.post("/cases/{case_no}/accept", response={200: CaseDetail, **ERROR_RESPONSES}, summary="受理")
def accept(request: HttpRequest, case_no: Code):
    """submitted → accepted: the promised and statutory timers start."""
    return detail(case_service.accept_case(find_case(request, case_no), actor=user(request)))


@router.post("/cases/{case_no}/review", response={200: CaseDetail, **ERROR_RESPONSES}, summary="开始审查")
def review(request: HttpRequest, case_no: Code):
    """accepted → under_review."""
    return detail(case_service.start_review(find_case(request, case_no), actor=user(request)))


class PauseIn(Schema):
    reason: PauseReason
    note: Annotated[Text, max_length_of(TimerPause, "note")] = ""


@router.post("/cases/{case_no}/pause", response={200: CaseDetail, **ERROR_RESPONSES}, summary="暂停计时")
def pause(request: HttpRequest, case_no: Code, payload: PauseIn):
    """Pause both deadlines for a special procedure (Art. 45) or for supplements."""
    return detail(pause_case(find_case(request, case_no), reason=payload.reason, note=payload.note,
                             actor=user(request)))


@router.post("/cases/{case_no}/resume", response={200: CaseDetail, **ERROR_RESPONSES}, summary="恢复计时")
def resume(request: HttpRequest, case_no: Code):
    """End the running pause; both deadlines move out by its working days."""
    return detail(resume_case(find_case(request, case_no), actor=user(request)))


class DecideIn(Schema):
    outcome: Literal["approved", "refused"]
    reason: Text = Field("", description="required for refused")
    legal_basis: Text = Field("", description="required for refused")


@router.post("/cases/{case_no}/decide", response={200: CaseDetail, **ERROR_RESPONSES}, summary="作出决定")
def decide(request: HttpRequest, case_no: Code, payload: DecideIn):
    """under_review → decided. `approved` decides at once; `refused` records the handler's refusal,
    which takes effect only when a second person confirms it (POST /refusals/{id}/confirm)."""
    case = find_case(request, case_no)
    if payload.outcome == "approved":
        return detail(case_service.approve_case(case, actor=user(request)))
    refusal_service.request_refusal(case, kind=RefusalKind.REFUSE_APPROVAL, reason=payload.reason,
                                    legal_basis=payload.legal_basis, by=user(request))
    return detail(case)


@router.post("/cases/{case_no}/complete", response={200: CaseDetail, **ERROR_RESPONSES}, summary="办结")
def complete(request: HttpRequest, case_no: Code):
    """decided → completed (the decision is delivered); the timers stop."""
    return detail(case_service.complete_case(find_case(request, case_no), actor=user(request)))


@router.post("/cases/{case_no}/complete-on-the-spot", response={200: CaseDetail, **ERROR_RESPONSES},
             summary="即时办结（即办件）")
def complete_on_the_spot(request: HttpRequest, case_no: Code):
    """accepted → completed, approved, on the day of acceptance: on-the-spot matters only."""
    return detail(case_service.complete_on_the_spot(find_case(request, case_no), actor=user(request)))


class WithdrawIn(Schema):
    reason: Text = ""


@router.post("/cases/{case_no}/withdraw", response={200: CaseDetail, **ERROR_RESPONSES}, summary="撤回")
def withdraw(request: HttpRequest, case_no: Code, payload: WithdrawIn):
    """The applicant withdraws (from submitted, accepted or under review)."""
    return detail(case_service.withdraw_case(find_case(request, case_no), reason=payload.reason,
                                             actor=user(request)))


class GreenChannelIn(Schema):
    project: Annotated[Text, max_length_of(Case, "green_project")] = Field(..., description="the key project's name")


@router.post("/cases/{case_no}/green-channel", response={200: CaseDetail, **ERROR_RESPONSES},
             summary="标记绿色通道")
def green_channel(request: HttpRequest, case_no: Code, payload: GreenChannelIn):
    """Flag a submitted case as a key project's: it runs on the matter's shortened limit."""
    return detail(flag_green_channel(find_case(request, case_no), project=payload.project, actor=user(request)))


class HandlerIn(Schema):
    username: Code


@router.post("/cases/{case_no}/handler", response={200: CaseDetail, **ERROR_RESPONSES}, summary="变更经办人")
def change_handler(request: HttpRequest, case_no: Code, payload: HandlerIn):
    case = find_case(request, case_no)
    handler = get_user_model().objects.filter(username=payload.username, is_active=True).first()
    if handler is None:
        raise ApiError(422, _("用户 %(name)s 不存在或已停用") % {"name": payload.username}, field="username",
                       rule="unknown_user")
    return detail(case_service.assign_handler(case, handler, actor=user(request)))
