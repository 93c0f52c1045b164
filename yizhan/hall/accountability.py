"""Accountability (问责): a case that passes its statutory deadline open, or completes after it, gets
exactly one accountability record naming the handler, the window and the department."""

from datetime import datetime
from typing import Any

from django.db import transaction

from yizhan.clock.accountability import breached_timers, open_record, refresh_days_overdue
from yizhan.clock.models import AccountabilityRecord
from yizhan.hall.models import Case, Complaint, Rectification
from yizhan.hall.service import audit, locked, resolve_at

CASE_TYPE = Case._meta.label_lower


def record_breach(
    case: Case, *, now: datetime, actor: Any = None, actor_label: str = ""
) -> tuple[AccountabilityRecord, bool]:
    """Open (once) the record for the case's statutory timer, with its audit event. Call inside the
    caller's transaction; a second call returns the existing record, writes nothing, and gives
    created=False. Returns (record, created)."""
    record, created = open_record(case.statutory_timer, now=now, department=case.department)
    if created:
        audit("hall.case.accountability", case, actor=actor, actor_label=actor_label, at=now,
              record=record.pk, handler=record.responsible_user_id, window=record.responsible_unit_id,
              department=record.department_id, deadline=record.deadline, days_overdue=record.days_overdue)
    return record, created


def record_item_breach(
    item: Any, timer: Any, department: Any, *, now: datetime, actor: Any = None, actor_label: str = ""
) -> tuple[AccountabilityRecord, bool]:
    """The same for an item other than a case whose limit passed (a rectification, a complaint): one
    record against its department, with the item's audit event. Call inside the caller's transaction."""
    record, created = open_record(timer, now=now, department=department)
    if created:
        audit(f"{item._meta.label_lower}.accountability", item, actor=actor, actor_label=actor_label, at=now,
              record=record.pk, department=record.department_id, deadline=record.deadline,
              days_overdue=record.days_overdue)
    return record, created


def _sweep_items(at: datetime, actor: Any, actor_label: str) -> list[AccountabilityRecord]:
    """Rectifications of bad ratings and complaints past their limit (each keeps its timer in `timer`)."""
    created = []
    for model in (Rectification, Complaint):
        late = breached_timers(at).filter(**{f"{model._meta.model_name}__isnull": False}).values("pk")
        for item in model.objects.filter(timer__in=late).select_related("timer", "department").order_by("pk"):
            with transaction.atomic():
                record, is_new = record_item_breach(item, item.timer, item.department, now=at, actor=actor,
                                                    actor_label=actor_label)
            if is_new:
                created.append(record)
    return created


def sweep(at: datetime | None = None, *, actor: Any = None, actor_label: str = "sweep") -> list[AccountabilityRecord]:
    """Open a record for every case (and every rectification or complaint) past its statutory deadline (still running, or stopped late) that
    has none yet, then bring the days overdue of records on still-open cases up to `at`. Idempotent:
    running it again creates nothing. One transaction per case, so one bad case does not hold back
    the others."""
    at = resolve_at(at)
    timer_ids = breached_timers(at).filter(purpose="statutory", subject_type=CASE_TYPE).values("pk")
    case_ids = Case.objects.filter(statutory_timer__in=timer_ids).order_by("pk").values_list("pk", flat=True)
    created = []
    for case_id in list(case_ids):
        with transaction.atomic():
            # Re-checked under the case's and its timer's locks: a clerk may have resumed, completed
            # or withdrawn the case since the list was read.
            case = locked(Case(pk=case_id), "department", "statutory_timer")
            if not breached_timers(at).filter(pk=case.statutory_timer_id).exists():
                continue
            record, is_new = record_breach(case, now=at, actor=actor, actor_label=actor_label)
        if is_new:
            created.append(record)
    created += _sweep_items(at, actor, actor_label)
    with transaction.atomic():
        refreshed = refresh_days_overdue(at)
        if refreshed:
            audit("clock.accountability.days_overdue_refreshed", ("clock.accountabilityrecord", "sweep"),
                  actor=actor, actor_label=actor_label, at=at, records=refreshed)
    return created
