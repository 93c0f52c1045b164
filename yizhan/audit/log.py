"""Writing audit events: every state change calls `record` inside its own transaction."""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import connection, models
from django.utils import timezone

from yizhan.audit.models import AuditEvent


class NotInTransaction(RuntimeError):
    """Raised when an audit event would be written outside the transaction of its change."""


def object_ref(obj: models.Model) -> tuple[str, str]:
    return obj._meta.label_lower, str(obj.pk)


def _actor_fields(actor: Any, actor_label: str) -> dict[str, Any]:
    if actor is not None and getattr(actor, "is_authenticated", False):
        return {"actor": actor, "actor_label": actor_label or actor.get_username()}
    return {"actor": None, "actor_label": actor_label or "system"}


def event_fields(
    action: str,
    obj: models.Model | tuple[str, str],
    *,
    actor: Any = None,
    actor_label: str = "",
    at: datetime | None = None,
    **changes: Any,
) -> dict[str, Any]:
    """The fields of the event `build` makes, for a caller that inserts the row its own way."""
    object_type, object_id = obj if isinstance(obj, tuple) else object_ref(obj)
    return {
        "at": at or timezone.now(),
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "changes": _jsonable(changes),
        **_actor_fields(actor, actor_label),
    }


def build(action: str, obj: models.Model | tuple[str, str], **kwargs: Any) -> AuditEvent:
    """The unsaved event (`event_fields`' keyword arguments: actor, actor_label, at, the changes)."""
    return AuditEvent(**event_fields(action, obj, **kwargs))


def record(action: str, obj: models.Model | tuple[str, str], **kwargs: Any) -> AuditEvent:
    """Write one audit event. Must run inside the transaction that makes the change it describes."""
    if not connection.in_atomic_block:
        raise NotInTransaction(f"audit event {action!r} written outside a transaction")
    event = build(action, obj, **kwargs)
    event.save(force_insert=True)
    return event


def record_many(events: Iterable[AuditEvent]) -> None:
    """Bulk form of `record` for imports that change many objects in one transaction."""
    if not connection.in_atomic_block:
        raise NotInTransaction("audit events written outside a transaction")
    AuditEvent.objects.bulk_create(list(events), batch_size=2000)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, models.Model):
        return str(value.pk)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)

