"""Conventions shared by the hall's service functions.

Every service function takes `at` (the moment the action happened; default now, so imports and
replays of history go through the same code) and `actor` (a user, or None for the system) with an
optional `actor_label` (who acted when there is no user: an import file, a replay). Each runs in one
`transaction.atomic()`, locks every row it changes (the object and its timers, through `locked`),
re-checks its rule under the lock, and writes one audit event dated `at`.

The checks every case transition makes (its state, no refusal pending, the time not going back) and
the stopping of its timers live here too, below `cases`, `refusals`, `notices`, `pauses` and
`green_channel`, which all use them."""

from datetime import datetime
from typing import Any, TypeVar

from django.db import connection, models
from django.utils.translation import gettext_lazy as _

from yizhan.audit.log import NotInTransaction, event_fields
from yizhan.audit.models import AuditEvent
from yizhan.clock import rows
from yizhan.clock.models import Timer
from yizhan.clock.moments import resolve_at
from yizhan.clock.timers import stop_timers
from yizhan.errors import IllegalTransition, InvalidInput
from yizhan.hall.models import Case

__all__ = ["LOCK_RELATED", "TIMERS", "audit", "audit_event", "locked", "not_before", "require_no_pending_refusal",
           "require_state", "require_text", "resolve_at", "stop_case_timers", "stop_running"]

LOCK_RELATED = ("matter", "window", "handler", "promised_timer", "statutory_timer", "notice_timer")
# Each transition joins only what it reads: a six-way join per step was most of a replay's time.
TIMERS = ("notice_timer", "promised_timer", "statutory_timer")

ACTIONS = {
    "accept": _("受理"),
    "review": _("开始审查"),
    "approve": _("作出准予决定"),
    "complete": _("办结"),
    "on_the_spot": _("即时办结"),
    "withdraw": _("撤回"),
    "refuse_to_accept": _("不予受理"),
    "refuse_approval": _("不予许可"),
    "pause": _("暂停计时"),
    "resume": _("恢复计时"),
    "notice": _("出具一次性告知书"),
    "green": _("标记绿色通道"),
    "assign": _("变更经办人"),
}

M = TypeVar("M", bound=models.Model)


def _is_timer(model: type[models.Model], name: str) -> bool:
    return model._meta.get_field(name).related_model is Timer


def locked(obj: M, *related: str) -> M:
    """A fresh copy of `obj` with its row locked until the transaction ends, and the timers among
    `related` locked too (the object, then its timers in id order: one order everywhere).

    On PostgreSQL the timers are read by a second query: a row locked after waiting is re-read, but
    rows joined to it in the same query would come from the snapshot taken before the wait, so a
    second pause would see a timer that is no longer running as running. SQLite serialises write
    transactions and always reads the latest rows, so there one query joins everything."""
    model = type(obj)
    if not connection.features.has_select_for_update:
        return rows.fetch(model, obj.pk, *related, lock=True)
    timers = [name for name in related if _is_timer(model, name)]
    fresh = rows.fetch(model, obj.pk, *(name for name in related if name not in timers), lock=True)
    if timers:
        ids = {name: getattr(fresh, f"{name}_id") for name in timers}
        found = {t.pk: t for t in rows.fetch_where(Timer, "id", [i for i in ids.values() if i is not None],
                                                    order="t0.id", lock=True)}
        for name, pk in ids.items():
            setattr(fresh, name, found.get(pk))
    return fresh


def audit_event(action: str, obj: models.Model | tuple[str, str], *, actor: Any, actor_label: str, at: datetime,
                **changes: Any) -> AuditEvent:
    """The unsaved event `yizhan.audit.log.record` would write (the same fields), for a transition
    that inserts several of its rows in one statement (`rows.insert_all`) inside its transaction."""
    if not connection.in_atomic_block:
        raise NotInTransaction(f"audit event {action!r} written outside a transaction")
    return rows.new(AuditEvent, **event_fields(action, obj, actor=actor, actor_label=actor_label, at=at, **changes))


def audit(action: str, obj: models.Model | tuple[str, str], *, actor: Any, actor_label: str, at: datetime,
          **changes: Any) -> None:
    """The event `yizhan.audit.log.record` writes, in the caller's transaction, inserted by a statement
    prepared once: a transition writes one per step."""
    rows.insert(audit_event(action, obj, actor=actor, actor_label=actor_label, at=at, **changes))


def require_text(value: str, field: str, message: Any) -> str:
    text = (value or "").strip()
    if not text:
        raise InvalidInput(message, field=field, rule="required")
    return text


def require_state(case: Case, allowed: tuple[str, ...], action: str) -> None:
    """Raise IllegalTransition unless the case is in one of `allowed` states."""
    if case.state not in allowed:
        raise IllegalTransition(
            _("办件 %(no)s 当前状态为“%(state)s”，不能%(action)s") % {
                "no": case.case_no, "state": case.get_state_display(), "action": ACTIONS[action],
            },
            field="state", rule=f"illegal_transition.{action}",
        )


def require_no_pending_refusal(case: Case, action: str) -> None:
    if case.pending_refusal:
        raise IllegalTransition(
            _("办件 %(no)s 有待确认的否办意见，不能%(action)s") % {"no": case.case_no, "action": ACTIONS[action]},
            field="state", rule="refusal_pending",
        )


def not_before(case: Case, at: datetime) -> None:
    """A step is dated no earlier than the case's previous one."""
    last = max(t for t in (case.received_at, case.accepted_at, case.decided_at) if t is not None)
    if at < last:
        raise InvalidInput(_("操作时间不能早于办件的上一步时间"), field="at", rule="time_goes_back")


def stop_running(timer: Timer | None, at: datetime) -> None:
    if timer is not None and timer.stopped_at is None:
        stop_timers([timer], at=at)


def stop_case_timers(case: Case, at: datetime) -> None:
    """Every timer of the case still running stops at `at` (in one statement)."""
    stop_timers([t for t in (case.notice_timer, case.promised_timer, case.statutory_timer)
                 if t is not None and t.stopped_at is None], at=at)
