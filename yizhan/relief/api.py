"""The hardship relief fund (特困救助基金): the fund with its rules and balance, its ledger, the
contributions (and their correction by reversal), the members' applications on the case engine
(apply, one-time notice, supplement, the committee's decision or refusal and its second member,
the treasurer's payment) and the fund's report."""

from datetime import date, datetime
from typing import Annotated

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema, Status

from yizhan.api.common import Code, Id, Limit, Offset, Text, UnitRef, max_length_of, unit_ref, user
from yizhan.api.errors import ERROR_RESPONSES
from yizhan.api.scope import get_visible, visible
from yizhan.hall.models import Material
from yizhan.hall.notices import missing_materials
from yizhan.identifiers import validate_resident_id
from yizhan.ledger.api import EntryOut, _entry_out
from yizhan.ledger.models import Entry
from yizhan.relief import applications, contributions
from yizhan.relief.models import Application, ApplicationState, Contribution, ContributionKind, Fund, Rules
from yizhan.relief.report import fund_report

PREFIX = "/relief"
router = Router(tags=["relief"])
MaterialName = Annotated[Text, max_length_of(Material, "name")]


class ReliefRulesOut(Schema):
    version: str
    title: str
    effective_from: date
    illnesses: list[str]
    certificate_required: bool
    materials: list[str]
    ceiling_per_person_fen: int
    ceiling_per_year_fen: int


class ReliefFundOut(Schema):
    code: str
    name: str
    company: UnitRef
    account: str
    balance_fen: int
    available_fen: int = Field(description="balance less what is approved and not yet paid")
    rules: ReliefRulesOut | None


def _rules_out(rules: Rules | None) -> dict | None:
    if rules is None:
        return None
    return {f: getattr(rules, f) for f in ReliefRulesOut.model_fields}


def _fund_out(fund: Fund) -> dict:
    return {"code": fund.code, "name": fund.name, "company": unit_ref(fund.company), "account": fund.account.code,
            "available_fen": applications.available(fund), "balance_fen": fund.account.balance_fen,
            "rules": _rules_out(fund.rules.order_by("-effective_from").first())}


def _fund(request: HttpRequest, code: str) -> Fund:
    return get_visible(Fund.objects.select_related("company", "account", "matter", "window"), user(request),
                       _("救助基金"), field="fund_code", code=code)


@router.get("/funds", response={200: list[ReliefFundOut], **ERROR_RESPONSES}, summary="救助基金")
def list_funds(request: HttpRequest):
    return [_fund_out(f) for f in visible(Fund.objects.select_related("company", "account"), user(request))]


@router.get("/funds/{fund_code}", response={200: ReliefFundOut, **ERROR_RESPONSES}, summary="基金、管理办法及余额")
def get_fund(request: HttpRequest, fund_code: Code):
    return _fund_out(_fund(request, fund_code))


class ReliefPage(Schema):
    limit: Limit = 100
    offset: Offset = 0


@router.get("/funds/{fund_code}/entries", response={200: list[EntryOut], **ERROR_RESPONSES}, summary="基金台账")
def fund_entries(request: HttpRequest, fund_code: Code, q: Query[ReliefPage]):
    """Every entry of the fund's ledger, oldest first; a correction shows as a reversing entry."""
    fund = _fund(request, fund_code)
    entries = Entry.objects.filter(account=fund.account).select_related("account", "reversed_by")
    return [_entry_out(e) for e in entries.order_by("booked_at", "id")[q.offset:q.offset + q.limit]]


class ReliefReportOut(Schema):
    staff_fen: int
    staff_contributors: int
    company_fen: int
    received_fen: int
    paid_fen: int
    members_helped: int
    payments: int
    balance_fen: int
    open_applications: int
    refused: int


@router.get("/funds/{fund_code}/report", response={200: ReliefReportOut, **ERROR_RESPONSES}, summary="基金收支报告")
def report(request: HttpRequest, fund_code: Code):
    """Read from the ledger (reversed entries net out) and the applications."""
    return fund_report(_fund(request, fund_code)).as_dict()


class ReliefContributionOut(Schema):
    id: int
    kind: ContributionKind
    contributor: str
    staff_no: str
    contributors: int
    amount_fen: int
    received_at: datetime
    entry: int
    reversed: bool


def _contribution_out(c: Contribution) -> dict:
    return {"id": c.pk, "kind": c.kind, "contributor": c.contributor, "staff_no": c.staff_no,
            "contributors": c.contributors, "amount_fen": c.amount_fen, "received_at": c.received_at,
            "entry": c.entry_id, "reversed": Entry.objects.filter(reverses_id=c.entry_id).exists()}


@router.get("/funds/{fund_code}/contributions", response={200: list[ReliefContributionOut], **ERROR_RESPONSES},
            summary="捐款")
def list_contributions(request: HttpRequest, fund_code: Code, q: Query[ReliefPage]):
    fund = _fund(request, fund_code)
    rows = fund.contributions.order_by("-received_at", "-id")[q.offset:q.offset + q.limit]
    return [_contribution_out(c) for c in rows]


class ReliefContributionIn(Schema):
    kind: ContributionKind
    amount_fen: int = Field(..., ge=1)
    contributor: Annotated[Text, max_length_of(Contribution, "contributor")]
    staff_no: Code = ""
    contributors: int = Field(1, ge=1, le=contributions.MAX_CONTRIBUTORS)
    note: Annotated[Text, max_length_of(Contribution, "note")] = ""


@router.post("/funds/{fund_code}/contributions", response={201: ReliefContributionOut, **ERROR_RESPONSES},
             summary="记录捐款（职工、工会汇缴或企业拨款）")
def contribute(request: HttpRequest, fund_code: Code, payload: ReliefContributionIn):
    """Posted to the fund's ledger at once; only the fund's treasurer."""
    c = contributions.contribute(_fund(request, fund_code), kind=payload.kind, amount_fen=payload.amount_fen,
                                 contributor=payload.contributor, staff_no=payload.staff_no,
                                 contributors=payload.contributors, note=payload.note, actor=user(request))
    return Status(201, _contribution_out(c))


class ReliefReverseIn(Schema):
    reason: Annotated[Text, max_length_of(Entry, "memo")]


@router.post("/contributions/{contribution_id}/reverse", response={201: EntryOut, **ERROR_RESPONSES},
             summary="冲销录错的捐款")
def reverse_contribution(request: HttpRequest, contribution_id: Id, payload: ReliefReverseIn):
    contribution = get_visible(Contribution.objects.select_related("fund", "fund__company", "entry"), user(request),
                               _("捐款"), field="contribution_id", pk=contribution_id)
    return Status(201, _entry_out(contributions.correct(contribution, reason=payload.reason, actor=user(request))))


class ReliefMemberOut(Schema):
    staff_no: str
    name: str


class ReliefApplicationOut(Schema):
    id: int
    case_no: str
    fund: str
    member: ReliefMemberOut
    illness: str
    certificate_no: str
    requested_fen: int
    amount_fen: int | None
    state: ApplicationState
    case_state: str
    rules: str
    missing: list[str]
    submitted_at: datetime
    deadline: datetime | None = Field(description="the promised deadline, or the notice deadline before acceptance")
    decided_at: datetime | None
    paid_at: datetime | None
    entry: int | None


def deadline_of(application: Application) -> datetime | None:
    case = application.case
    timer = case.promised_timer or case.notice_timer
    return timer.deadline if timer is not None else None


def _application_out(a: Application) -> dict:
    return {"id": a.pk, "case_no": a.case.case_no, "fund": a.fund.code,
            "member": {"staff_no": a.member.staff_no, "name": a.member.name}, "illness": a.illness,
            "certificate_no": a.certificate_no, "requested_fen": a.requested_fen, "amount_fen": a.amount_fen,
            "state": a.state, "case_state": a.case.state, "rules": a.rules.version,
            "missing": [m.name for m in missing_materials(a.case)], "submitted_at": a.submitted_at,
            "deadline": deadline_of(a), "decided_at": a.decided_at, "paid_at": a.paid_at, "entry": a.entry_id}


def _applications():
    return Application.objects.select_related("fund", "fund__company", "fund__account", "fund__matter", "member",
                                              "rules", "case", "case__promised_timer", "case__notice_timer")


def _find(request: HttpRequest, application_id: int) -> Application:
    return get_visible(_applications(), user(request), _("救助申请"), field="application_id", pk=application_id)


class ReliefApplyIn(Schema):
    resident_id: Code
    illness: Annotated[Text, max_length_of(Application, "illness")]
    certificate_no: Code = ""
    requested_fen: int = Field(..., ge=1)
    materials: list[MaterialName] = Field(default_factory=list, max_length=50)


@router.post("/funds/{fund_code}/applications", response={201: ReliefApplicationOut, **ERROR_RESPONSES},
             summary="会员申请救助")
def apply(request: HttpRequest, fund_code: Code, payload: ReliefApplyIn):
    """An unknown member, an illness the rules do not recognise or a missing certificate is refused
    naming its field, with nothing written. Missing materials leave the case waiting for the
    one-time notice."""
    validate_resident_id(payload.resident_id, field="resident_id")  # before any lookup
    application = applications.apply(
        fund=_fund(request, fund_code), resident_id=payload.resident_id, illness=payload.illness,
        certificate_no=payload.certificate_no, requested_fen=payload.requested_fen, materials=payload.materials,
        actor=user(request))
    return Status(201, _application_out(application))


class ReliefApplicationFilter(Schema):
    fund: Code | None = None
    state: ApplicationState | None = None
    limit: Limit = 100
    offset: Offset = 0


@router.get("/applications", response={200: list[ReliefApplicationOut], **ERROR_RESPONSES}, summary="救助申请")
def list_applications(request: HttpRequest, q: Query[ReliefApplicationFilter]):
    """Open applications first, soonest deadline first."""
    qs = applications.listing(visible(_applications(), user(request)))
    if q.fund:
        qs = qs.filter(fund__code=q.fund)
    if q.state:
        qs = qs.filter(state=q.state)
    return [_application_out(a) for a in qs[q.offset:q.offset + q.limit]]


@router.get("/applications/{application_id}", response={200: ReliefApplicationOut, **ERROR_RESPONSES},
            summary="救助申请详情")
def get_application(request: HttpRequest, application_id: Id):
    return _application_out(_find(request, application_id))


@router.post("/applications/{application_id}/notice", response={200: ReliefApplicationOut, **ERROR_RESPONSES},
             summary="一次性告知补正材料")
def notice(request: HttpRequest, application_id: Id):
    application = _find(request, application_id)
    applications.notice(application, actor=user(request))
    return _application_out(_find(request, application_id))


class ReliefMaterialsIn(Schema):
    materials: list[MaterialName] = Field(..., min_length=1, max_length=50)


@router.post("/applications/{application_id}/materials", response={200: ReliefApplicationOut, **ERROR_RESPONSES},
             summary="补交材料")
def supplement(request: HttpRequest, application_id: Id, payload: ReliefMaterialsIn):
    """Once nothing is missing the case is accepted and its promised limit starts."""
    applications.supplement(_find(request, application_id), payload.materials, actor=user(request))
    return _application_out(_find(request, application_id))


class ReliefApproveIn(Schema):
    amount_fen: int = Field(..., ge=1)
    note: Text = ""


@router.post("/applications/{application_id}/approve", response={200: ReliefApplicationOut, **ERROR_RESPONSES},
             summary="委员会批准救助金额")
def approve(request: HttpRequest, application_id: Id, payload: ReliefApproveIn):
    """Refused naming `amount_fen` over the ceilings of the rules or what the fund can still pay."""
    application = applications.approve(_find(request, application_id), amount_fen=payload.amount_fen,
                                       note=payload.note, actor=user(request))
    return _application_out(application)


class ReliefRefuseIn(Schema):
    reason: Text
    legal_basis: Text


@router.post("/applications/{application_id}/refuse", response={200: ReliefApplicationOut, **ERROR_RESPONSES},
             summary="拟不予救助")
def refuse(request: HttpRequest, application_id: Id, payload: ReliefRefuseIn):
    return _application_out(applications.propose_refusal(
        _find(request, application_id), reason=payload.reason, legal_basis=payload.legal_basis, by=user(request)))


class ReliefReviewIn(Schema):
    confirm: bool
    note: Text = ""


@router.post("/applications/{application_id}/refusal", response={200: ReliefApplicationOut, **ERROR_RESPONSES},
             summary="另一名委员把关否办意见")
def review_refusal(request: HttpRequest, application_id: Id, payload: ReliefReviewIn):
    """Another member of the committee confirms the proposed refusal or sends it back (note required)."""
    application = _find(request, application_id)
    if payload.confirm:
        return _application_out(applications.confirm_refusal(application, by=user(request), note=payload.note))
    return _application_out(applications.reject_refusal(application, by=user(request), note=payload.note))


@router.post("/applications/{application_id}/pay", response={200: ReliefApplicationOut, **ERROR_RESPONSES},
             summary="出纳拨付救助金")
def pay(request: HttpRequest, application_id: Id):
    """The payment and the completion of the case are one transaction."""
    return _application_out(applications.pay(_find(request, application_id), actor=user(request)))
