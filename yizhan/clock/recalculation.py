"""When the calendar changes (a year's schedule imported, a local closure added), the deadlines of
open timers that the change can move are computed again, in the same transaction."""

from datetime import date, datetime, time, timedelta

from django.db.models import Q

from yizhan.calendar.workdays import current_calendar, local_tz
from yizhan.clock.limits import LimitUnit
from yizhan.clock.models import Timer
from yizhan.clock.timers import recompute


def recompute_for_dates(dates: list[date]) -> list[dict]:
    """Recompute open working-day timers whose span touches `dates`, and every provisional one.
    Returns what moved: one {timer, subject, purpose, old, new} per timer whose deadline changed."""
    if not dates:
        return []
    first = datetime.combine(min(dates), time.min, tzinfo=local_tz())
    last = datetime.combine(max(dates) + timedelta(days=1), time.min, tzinfo=local_tz())
    timers = (
        Timer.objects.filter(stopped_at__isnull=True, limit_unit=LimitUnit.WORKING_DAYS)
        .filter(Q(provisional=True) | Q(started_at__lt=last, deadline__gte=first))
        .prefetch_related("pauses")
    )
    cal = current_calendar()
    changed, moves = [], []
    for timer in timers:
        old = timer.deadline
        if recompute(timer, cal):
            changed.append(timer)
            moves.append({"timer": timer.pk, "subject": f"{timer.subject_type}:{timer.subject_id}",
                          "purpose": timer.purpose, "old": old.astimezone(local_tz()).isoformat(),
                          "new": timer.deadline.astimezone(local_tz()).isoformat()})
    Timer.objects.bulk_update(changed, ["deadline", "provisional"], batch_size=1000)
    return moves


def on_calendar_changed(sender, dates: list[date], **kwargs) -> list[dict]:
    """Returns the moves, so that whoever changed the calendar can record what it moved."""
    return recompute_for_dates(dates)
