"""Refusal gatekeeping (否办退件把关): the handler proposes with a reason and legal basis; a second
person with the department-head or hall-supervisor role confirms or sends it back."""

from datetime import datetime

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema, Status

from yizhan.api.common import Code, Id, Text, user
from yizhan.api.errors import ERROR_RESPONSES
from yizhan.api.scope import get_visible, visible
from yizhan.hall import refusals as refusal_service
from yizhan.hall.api.cases import find_case
from yizhan.hall.models import Refusal, RefusalKind, RefusalState

router = Router(tags=["refusals"])


class RefusalOut(Schema):
    id: int
    case_no: str
    case_state: str
    kind: RefusalKind
    state: RefusalState
    reason: Text
    legal_basis: Text
    requested_by: str
    requested_at: datetime
    reviewed_by: str | None
    reviewed_at: datetime | None
    review_note: str


def _out(r: Refusal) -> dict:
    return {
        "id": r.pk, "case_no": r.case.case_no, "case_state": r.case.state, "kind": r.kind, "state": r.state,
        "reason": r.reason, "legal_basis": r.legal_basis, "requested_by": r.requested_by.get_username(),
        "requested_at": r.requested_at, "reviewed_by": r.reviewed_by.get_username() if r.reviewed_by else None,
        "reviewed_at": r.reviewed_at, "review_note": r.review_note,
    }


def _qs():
    return Refusal.objects.select_related("case", "requested_by", "reviewed_by")


def _reload(refusal: Refusal) -> dict:
    return _out(_qs().get(pk=refusal.pk))


class ProposeIn(Schema):
    kind: RefusalKind = Field(..., description="refuse_to_accept (case submitted) or refuse_approval (under review)")
    reason: Text
    legal_basis: Text


@router.post("/cases/{case_no}/refusals", response={201: RefusalOut, **ERROR_RESPONSES}, summary="提出否办")
def propose(request: HttpRequest, case_no: Code, payload: ProposeIn):
    """The handler's refusal; nothing changes for the applicant until a second person confirms it."""
    refusal = refusal_service.request_refusal(find_case(request, case_no), kind=payload.kind, reason=payload.reason,
                                              legal_basis=payload.legal_basis, by=user(request))
    return Status(201, _reload(refusal))


@router.get("/cases/{case_no}/refusals", response={200: list[RefusalOut], **ERROR_RESPONSES},
            summary="办件的否办记录")
def case_refusals(request: HttpRequest, case_no: Code):
    return [_out(r) for r in _qs().filter(case=find_case(request, case_no)).order_by("requested_at", "id")]


class RefusalFilter(Schema):
    state: RefusalState | None = RefusalState.PENDING


@router.get("/refusals", response={200: list[RefusalOut], **ERROR_RESPONSES}, summary="否办把关队列")
def list_refusals(request: HttpRequest, filters: Query[RefusalFilter]):
    """Refusals on the caller's windows; by default those waiting for confirmation, green channel first."""
    qs = visible(_qs(), user(request))
    if filters.state:
        qs = qs.filter(state=filters.state)
    return [_out(r) for r in qs.order_by("-case__green_channel", "requested_at", "id")]


def _find(request: HttpRequest, refusal_id: Id) -> Refusal:
    return get_visible(_qs(), user(request), _("否办记录"), field="id", pk=refusal_id)


class ReviewIn(Schema):
    note: Text = ""


@router.post("/refusals/{refusal_id}/confirm", response={200: RefusalOut, **ERROR_RESPONSES}, summary="确认否办")
def confirm(request: HttpRequest, refusal_id: Id, payload: ReviewIn):
    """A second person (department head or hall supervisor over the window) confirms: the case is
    refused to accept, or decided as refused."""
    return _reload(refusal_service.confirm_refusal(_find(request, refusal_id), by=user(request), note=payload.note))


class RejectIn(Schema):
    note: Text = Field(..., description="why the refusal is sent back")


@router.post("/refusals/{refusal_id}/reject", response={200: RefusalOut, **ERROR_RESPONSES}, summary="退回否办")
def reject(request: HttpRequest, refusal_id: Id, payload: RejectIn):
    """Send the refusal back to the handler; the case carries on."""
    return _reload(refusal_service.reject_refusal(_find(request, refusal_id), by=user(request), note=payload.note))
