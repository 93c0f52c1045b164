"""Conventions shared by the hall's service functions.

Every service function takes `at` (the moment the action happened; default now, so imports and
replays of history go through the same code) and `actor` (a user, or None for the system) with an
optional `actor_label` (who acted when there is no user: an import file, a replay). Each runs in one
`transaction.atomic()`, locks the row it changes, and writes one audit event dated `at`."""

from datetime import datetime
from typing import Any, TypeVar

from django.db import models

from yizhan.audit.log import record
from yizhan.clock.moments import resolve_at
from yizhan.errors import InvalidInput

__all__ = ["audit", "locked", "require_text", "resolve_at"]

M = TypeVar("M", bound=models.Model)


def locked(obj: M, *related: str) -> M:
    """A fresh copy of `obj` with its row locked until the transaction ends (a no-op lock on SQLite,
    whose write transactions are already serialised)."""
    qs = type(obj)._default_manager.select_for_update(of=("self",))
    if related:
        qs = qs.select_related(*related)
    return qs.get(pk=obj.pk)


def audit(action: str, obj: models.Model | tuple[str, str], *, actor: Any, actor_label: str, at: datetime, **changes: Any) -> None:
    record(action, obj, actor=actor, actor_label=actor_label, at=at, **changes)


def require_text(value: str, field: str, message: Any) -> str:
    text = (value or "").strip()
    if not text:
        raise InvalidInput(message, field=field, rule="required")
    return text
