"""Finding deadlines that passed and opening one accountability record for each."""

from datetime import datetime

from django.db.models import F, Q, QuerySet

from yizhan.calendar.workdays import WorkCalendar, current_calendar
from yizhan.clock.deadlines import overdue_amount
from yizhan.clock.models import AccountabilityRecord, Timer


def breached_timers(now: datetime) -> QuerySet[Timer]:
    """Accountable timers past their deadline with no record yet: still running (not paused) past it,
    or stopped after it."""
    running_late = Q(stopped_at__isnull=True, paused_since__isnull=True, deadline__lt=now)
    closed_late = Q(stopped_at__isnull=False, stopped_at__gt=F("deadline"))
    return Timer.objects.filter(accountable=True, accountability__isnull=True).filter(running_late | closed_late)


def open_record(
    timer: Timer, *, now: datetime, department=None, cal: WorkCalendar | None = None
) -> tuple[AccountabilityRecord, bool]:
    """The timer's record, created on first call (with days overdue as of `now` or the stop); later
    calls return the existing one, its days overdue made final once the timer has stopped.
    Returns (record, created)."""
    cal = cal or current_calendar()
    until = timer.stopped_at or now
    record, created = AccountabilityRecord.objects.get_or_create(
        timer=timer,
        defaults={
            "subject_type": timer.subject_type,
            "subject_id": timer.subject_id,
            "responsible_user_id": timer.responsible_user_id,
            "responsible_unit_id": timer.responsible_unit_id,
            "department": department,
            "deadline": timer.deadline,
            "days_overdue": overdue_amount(timer.deadline, until, timer.limit.unit, cal),
            "created_at": now,
        },
    )
    if not created and timer.stopped_at is not None:
        final = overdue_amount(record.deadline, timer.stopped_at, timer.limit.unit, cal)
        if final != record.days_overdue:
            record.days_overdue = final
            record.save(update_fields=["days_overdue"])
    return record, created


def refresh_days_overdue(now: datetime, cal: WorkCalendar | None = None) -> int:
    """Bring days overdue up to date on records whose item is still open. Returns how many changed."""
    cal = cal or current_calendar()
    changed = 0
    candidates = AccountabilityRecord.objects.filter(timer__stopped_at__isnull=True).order_by("pk")
    for record_id, timer_id in candidates.values_list("pk", "timer_id"):
        # The timer, then its record (the order a completion takes), re-read under both locks so a
        # completion that made the figure final in the meantime is not overwritten.
        timer = Timer.objects.select_for_update().get(pk=timer_id)
        record = AccountabilityRecord.objects.select_for_update().get(pk=record_id)
        if timer.stopped_at is not None:
            continue
        days = overdue_amount(record.deadline, now, timer.limit.unit, cal)
        if days != record.days_overdue:
            record.days_overdue = days
            record.save(update_fields=["days_overdue"])
            changed += 1
    return changed
