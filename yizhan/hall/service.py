"""Conventions shared by the hall's service functions.

Every service function takes `at` (the moment the action happened; default now, so imports and
replays of history go through the same code) and `actor` (a user, or None for the system) with an
optional `actor_label` (who acted when there is no user: an import file, a replay). Each runs in one
`transaction.atomic()`, locks every row it changes (the object and its timers, through `locked`),
re-checks its rule under the lock, and writes one audit event dated `at`."""

from datetime import datetime
from typing import Any, TypeVar

from django.db import connection, models

from yizhan.audit.log import NotInTransaction, event_fields
from yizhan.audit.models import AuditEvent
from yizhan.clock import rows
from yizhan.clock.moments import resolve_at
from yizhan.errors import InvalidInput

__all__ = ["audit", "audit_event", "locked", "require_text", "resolve_at"]

M = TypeVar("M", bound=models.Model)


def _is_timer(model: type[models.Model], name: str) -> bool:
    from yizhan.clock.models import Timer

    return model._meta.get_field(name).related_model is Timer


def locked(obj: M, *related: str) -> M:
    """A fresh copy of `obj` with its row locked until the transaction ends, and the timers among
    `related` locked too (the object, then its timers in id order: one order everywhere).

    On PostgreSQL the timers are read by a second query: a row locked after waiting is re-read, but
    rows joined to it in the same query would come from the snapshot taken before the wait, so a
    second pause would see a timer that is no longer running as running. SQLite serialises write
    transactions and always reads the latest rows, so there one query joins everything."""
    from yizhan.clock.models import Timer

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
