"""Follow-up items (督办事项) in the caller's scope: list, complete, verify, cancel."""

from datetime import datetime

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema

from yizhan.api.common import Code, Id, Limit, Offset, Text, user
from yizhan.api.errors import ERROR_RESPONSES
from yizhan.api.scope import get_visible, visible
from yizhan.clock.limits import Limit as TimeLimit
from yizhan.followups import service
from yizhan.followups.models import FollowUp, FollowUpState

PREFIX = "/followups"
router = Router(tags=["followups"])


class FollowUpOut(Schema):
    id: int
    kind: str
    title: str
    detail: str
    unit: str
    owner: str | None
    state: FollowUpState
    opened_at: datetime
    deadline: datetime
    level: str
    done_at: datetime | None
    on_time: bool | None
    needs_verification: bool
    subject_type: str
    subject_id: str


def out(item: FollowUp) -> dict:
    return {"id": item.pk, "kind": item.kind, "title": item.title, "detail": item.detail, "unit": item.unit.code,
            "owner": item.owner.username if item.owner else None, "state": item.state, "opened_at": item.opened_at,
            "deadline": item.timer.deadline, "level": str(item.timer.level()), "done_at": item.done_at,
            "on_time": item.on_time, "needs_verification": item.needs_verification,
            "subject_type": item.subject_type, "subject_id": item.subject_id}


def _qs():
    return FollowUp.objects.select_related("unit", "owner", "timer")


class FollowUpFilter(Schema):
    kind: Code | None = None
    state: FollowUpState | None = None
    unit: Code | None = None
    limit: Limit = 100
    offset: Offset = 0


@router.get("", response={200: list[FollowUpOut], **ERROR_RESPONSES}, summary="督办事项")
def list_follow_ups(request: HttpRequest, q: Query[FollowUpFilter]):
    qs = visible(_qs(), user(request))
    if q.kind:
        qs = qs.filter(kind=q.kind)
    if q.state:
        qs = qs.filter(state=q.state)
    if q.unit:
        qs = qs.filter(unit__path__contains=f"/{q.unit}/")
    return [out(i) for i in qs[q.offset:q.offset + q.limit]]


def _find(request: HttpRequest, item_id: int) -> FollowUp:
    return get_visible(_qs(), user(request), _("督办事项"), field="id", pk=item_id)


class CompleteIn(Schema):
    note: Text


@router.post("/{item_id}/complete", response={200: FollowUpOut, **ERROR_RESPONSES}, summary="办结督办事项")
def complete(request: HttpRequest, item_id: Id, payload: CompleteIn):
    return out(service.complete(_find(request, item_id), note=payload.note, actor=user(request)))


class FollowupVerifyIn(Schema):
    effective: bool
    note: Text
    reopen_days: int | None = Field(None, ge=1, le=365, description="working days, when not effective")


@router.post("/{item_id}/verify", response={200: FollowUpOut, **ERROR_RESPONSES}, summary="验证整改效果")
def verify(request: HttpRequest, item_id: Id, payload: FollowupVerifyIn):
    """Effective → verified; not effective → open again with `reopen_days` working days."""
    limit = TimeLimit.days(payload.reopen_days) if payload.reopen_days is not None else None
    return out(service.verify(_find(request, item_id), effective=payload.effective, note=payload.note,
                              reopen_limit=limit, actor=user(request)))


class CancelIn(Schema):
    reason: Text


@router.post("/{item_id}/cancel", response={200: FollowUpOut, **ERROR_RESPONSES}, summary="撤销督办事项")
def cancel(request: HttpRequest, item_id: Id, payload: CancelIn):
    return out(service.cancel(_find(request, item_id), reason=payload.reason, actor=user(request)))
