"""Complaints (投诉) on the caller's windows: staff register the ones taken by phone or on the
supervision hotline; the department head or a hall supervisor investigates and concludes them."""

from datetime import datetime

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Schema, Status

from yizhan.api.common import Id, user
from yizhan.api.errors import ERROR_RESPONSES
from yizhan.api.scope import get_visible, visible
from yizhan.audit.privacy import masked_value
from yizhan.hall import complaints as service
from yizhan.hall.api.applicant import ComplaintIn, complaint_target
from yizhan.hall.models import Complaint, ComplaintChannel, ComplaintState, Finding

router = Router(tags=["complaints"])


class ComplaintOut(Schema):
    id: int
    channel: ComplaintChannel
    state: ComplaintState
    complainant: str
    phone: str
    content: str
    case_no: str | None
    window: str
    department: str
    badge_no: str | None
    received_at: datetime
    deadline: datetime | None
    investigation: str
    finding: str
    reason: str
    reply: str
    replied_at: datetime | None


def _qs():
    return Complaint.objects.select_related("case", "window", "department", "staff", "timer")


def _out(c: Complaint) -> dict:
    return {"id": c.pk, "channel": c.channel, "state": c.state, "complainant": c.complainant, "phone": masked_value(c, "phone"),
            "content": c.content, "case_no": c.case.case_no if c.case else None, "window": c.window.code,
            "department": c.department.code, "badge_no": c.staff.badge_no if c.staff else None,
            "received_at": c.received_at, "deadline": c.timer.deadline if c.timer else None,
            "investigation": c.investigation, "finding": c.finding, "reason": c.reason, "reply": c.reply,
            "replied_at": c.replied_at}


def _reload(c: Complaint) -> dict:
    return _out(_qs().get(pk=c.pk))


class ComplaintFilter(Schema):
    state: ComplaintState | None = None


@router.get("/complaints", response={200: list[ComplaintOut], **ERROR_RESPONSES}, summary="投诉")
def list_complaints(request: HttpRequest, q: Query[ComplaintFilter]):
    qs = visible(_qs(), user(request))
    if q.state:
        qs = qs.filter(state=q.state)
    return [_out(c) for c in qs]


class StaffComplaintIn(ComplaintIn):
    channel: ComplaintChannel = ComplaintChannel.PHONE


@router.post("/complaints", response={201: ComplaintOut, **ERROR_RESPONSES}, summary="登记电话投诉")
def register(request: HttpRequest, payload: StaffComplaintIn):
    """A complaint taken by phone, on the supervision hotline or at the counter, by staff over the window."""
    complaint = service.file_complaint(
        content=payload.content, complainant=payload.complainant, phone=payload.phone, badge_no=payload.badge_no,
        channel=payload.channel, actor=user(request), **complaint_target(payload.case_no, payload.window))
    return Status(201, _reload(complaint))


def _find(request: HttpRequest, complaint_id: Id) -> Complaint:
    return get_visible(_qs(), user(request), _("投诉"), field="id", pk=complaint_id)


class InvestigateIn(Schema):
    investigation: str


@router.post("/complaints/{complaint_id}/investigate", response={200: ComplaintOut, **ERROR_RESPONSES},
             summary="调查投诉")
def investigate(request: HttpRequest, complaint_id: Id, payload: InvestigateIn):
    return _reload(service.investigate_complaint(_find(request, complaint_id), investigation=payload.investigation,
                                                 by=user(request)))


class ConcludeIn(Schema):
    finding: Finding
    reason: str
    reply: str


@router.post("/complaints/{complaint_id}/conclude", response={200: ComplaintOut, **ERROR_RESPONSES},
             summary="认定并答复投诉")
def conclude(request: HttpRequest, complaint_id: Id, payload: ConcludeIn):
    """Valid or not valid, with the reason, and the reply to the complainant; a valid one counts in the
    figures of the day it is found."""
    return _reload(service.reply_complaint(_find(request, complaint_id), finding=payload.finding,
                                           reason=payload.reason, reply=payload.reply, by=user(request)))
