"""Opening, completing, verifying and cancelling follow-up items; every change one transaction with
its audit event, the timer changed in the same transaction (`yizhan.clock.timers`)."""

from datetime import datetime
from typing import Any

from django.db import models, transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from yizhan.audit.log import record
from yizhan.clock.limits import Limit
from yizhan.clock.moments import resolve_at
from yizhan.clock.timers import start_timer, stop_timer
from yizhan.errors import IllegalTransition, InvalidInput, NotPermitted
from yizhan.followups.models import FollowUp, FollowUpState
from yizhan.org.models import OrgUnit
from yizhan.org.scope import CHANGE, permits, require_permits

LOCK = ("timer",)


def _text(value: str, field: str, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise InvalidInput(_("%(f)s 不能为空") % {"f": field}, field=field, rule="required")
    return value


def _locked(item: FollowUp) -> FollowUp:
    return FollowUp.objects.select_for_update(of=("self",)).select_related(*LOCK).get(pk=item.pk)


def _may_act(actor: Any, item: FollowUp) -> None:
    if actor is None:
        return  # the system and imports act for themselves
    if getattr(actor, "is_authenticated", False) and (item.owner_id == actor.pk or permits(actor, item, CHANGE)):
        return
    raise NotPermitted(_("您不是该督办事项的责任人，也不负责其单位"), field="owner", rule="not_owner")


def open_follow_up(
    subject: models.Model,
    *,
    kind: str,
    title: str,
    unit: OrgUnit,
    limit: Limit,
    owner: Any = None,
    detail: str = "",
    needs_verification: bool = False,
    at: datetime | None = None,
    actor: Any = None,
    actor_label: str = "",
) -> FollowUp:
    """Give `title` to `owner` at `unit`, due `limit` after `at` on the working-day calendar; a miss is
    accountable (the clock's sweep opens the record). `subject` is the app's object it follows up.
    Checks no one: it is opened inside the service of the subject's app (an audit's corrective
    action, a council's decision), which has checked its own rule; `unit` may lie outside the
    actor's scope (a council refers a proposal to another department)."""
    at = resolve_at(at)
    title = _text(title, "title")
    kind = _text(kind, "kind")
    if limit.amount <= 0:
        raise InvalidInput(_("办理时限须大于零"), field="limit", rule="limit_positive")
    with transaction.atomic():
        item = FollowUp(
            kind=kind, subject_type=subject._meta.label_lower, subject_id=str(subject.pk), title=title,
            detail=(detail or "").strip(), unit=unit, owner=owner, needs_verification=needs_verification,
            opened_at=at,
        )
        item.save(force_insert=True)
        # The timer's subject is the follow-up itself, so an accountability record names it.
        item.timer = start_timer(item, f"followup:{kind}"[:32], limit, at=at, responsible_user=owner,
                                 responsible_unit=unit, accountable=True)
        item.save(update_fields=["timer"])
        record("followups.opened", item, actor=actor, actor_label=actor_label, at=at, kind=kind, title=title,
               unit=unit.code, owner=getattr(owner, "username", None), deadline=item.timer.deadline,
               subject=[item.subject_type, item.subject_id], state=[None, FollowUpState.OPEN])
    return item


def complete(item: FollowUp, *, note: str, at: datetime | None = None, actor: Any = None,
             actor_label: str = "") -> FollowUp:
    """open → done (or, for an item that needs no verification, straight to verified)."""
    at = resolve_at(at)
    note = _text(note, "note")
    with transaction.atomic():
        item = _locked(item)
        _may_act(actor, item)
        if item.state != FollowUpState.OPEN:
            raise IllegalTransition(_("督办事项已%(s)s，不能再办结") % {"s": item.get_state_display()},
                                    field="state", rule="not_open")
        if at < item.opened_at:
            raise InvalidInput(_("办结时间不能早于交办时间"), field="at", rule="not_before_opened")
        stop_timer(item.timer, at=at)
        old = item.state
        item.state = FollowUpState.DONE if item.needs_verification else FollowUpState.VERIFIED
        item.done_at, item.done_note, item.on_time = at, note, at <= item.timer.deadline
        item.done_by = actor if getattr(actor, "is_authenticated", False) else None
        item.save(update_fields=["state", "done_at", "done_note", "on_time", "done_by"])
        record("followups.completed", item, actor=actor, actor_label=actor_label, at=at, note=note,
               on_time=item.on_time, state=[old, item.state])
    return item


def verify(item: FollowUp, *, effective: bool, note: str, reopen_limit: Limit | None = None,
           at: datetime | None = None, actor: Any = None, actor_label: str = "") -> FollowUp:
    """done → verified when the action took effect; otherwise back to open with a new deadline
    (`reopen_limit`, required then). The verifier may not be the one who completed it."""
    at = resolve_at(at)
    note = _text(note, "note")
    with transaction.atomic():
        item = _locked(item)
        require_permits(actor, item, field="verified_by", message=_("您不负责该事项所在单位，不能验证"))
        if actor is not None and item.done_by_id == actor.pk:
            raise NotPermitted(_("验证须由办结人以外的人进行"), field="verified_by", rule="second_person")
        if item.state != FollowUpState.DONE:
            raise IllegalTransition(_("只有已办结、待验证的事项可以验证"), field="state", rule="not_done")
        if at < item.done_at:
            raise InvalidInput(_("验证时间不能早于办结时间"), field="at", rule="not_before_done")
        user = actor if getattr(actor, "is_authenticated", False) else None
        if effective:
            item.state, item.verified_at, item.verified_by, item.verification_note = (
                FollowUpState.VERIFIED, at, user, note)
            item.save(update_fields=["state", "verified_at", "verified_by", "verification_note"])
            record("followups.verified", item, actor=actor, actor_label=actor_label, at=at, note=note,
                   state=[FollowUpState.DONE, FollowUpState.VERIFIED])
            return item
        if reopen_limit is None or reopen_limit.amount <= 0:
            raise InvalidInput(_("未见成效的事项须给出新的办理时限"), field="reopen_limit", rule="required")
        item.timer = start_timer(item, f"followup:{item.kind}"[:32], reopen_limit, at=at,
                                 responsible_user=item.owner, responsible_unit=item.unit, accountable=True)
        item.state, item.verification_note, item.reopened = FollowUpState.OPEN, note, item.reopened + 1
        item.done_at = item.on_time = item.done_by = None
        item.save(update_fields=["timer", "state", "verification_note", "reopened", "done_at", "on_time", "done_by"])
        record("followups.reopened", item, actor=actor, actor_label=actor_label, at=at, note=note,
               deadline=item.timer.deadline, state=[FollowUpState.DONE, FollowUpState.OPEN])
    return item


def cancel(item: FollowUp, *, reason: str, at: datetime | None = None, actor: Any = None,
           actor_label: str = "") -> FollowUp:
    at = resolve_at(at)
    reason = _text(reason, "reason")
    with transaction.atomic():
        item = _locked(item)
        require_permits(actor, item, field="unit", message=_("您不负责该事项所在单位，不能撤销"))
        if item.state not in (FollowUpState.OPEN, FollowUpState.DONE):
            raise IllegalTransition(_("督办事项已%(s)s") % {"s": item.get_state_display()}, field="state",
                                    rule="closed")
        if item.timer.stopped_at is None:
            stop_timer(item.timer, at=at)
        old = item.state
        item.state = FollowUpState.CANCELLED
        item.save(update_fields=["state"])
        record("followups.cancelled", item, actor=actor, actor_label=actor_label, at=at, reason=reason,
               state=[old, FollowUpState.CANCELLED])
    return item


def for_subject(subject: models.Model) -> models.QuerySet[FollowUp]:
    return FollowUp.objects.filter(subject_type=subject._meta.label_lower, subject_id=str(subject.pk))


def figures(items: models.QuerySet[FollowUp], *, now: datetime | None = None) -> dict[str, Any]:
    """Counts over `items`: total, open, overdue (open past the deadline), done (done or verified),
    done on time, and the on-time share of those done (None when nothing is done)."""
    now = resolve_at(now)
    live = items.exclude(state=FollowUpState.CANCELLED)
    closed = Q(state__in=(FollowUpState.DONE, FollowUpState.VERIFIED))
    row = live.aggregate(
        total=Count("id"),
        open=Count("id", filter=Q(state=FollowUpState.OPEN)),
        overdue=Count("id", filter=Q(state=FollowUpState.OPEN, timer__deadline__lt=now)),
        done=Count("id", filter=closed),
        done_on_time=Count("id", filter=closed & Q(on_time=True)),
        verified=Count("id", filter=Q(state=FollowUpState.VERIFIED)),
    )
    row["on_time_share"] = round(row["done_on_time"] / row["done"], 4) if row["done"] else None
    return row
