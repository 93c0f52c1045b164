"""Starting, pausing, resuming and stopping timers.

These functions change timers only; the caller wraps them in `transaction.atomic()` together with its
own state change and audit event, so a case and its clock never disagree."""

from datetime import datetime

from django.db import models
from django.utils.translation import gettext as _

from yizhan.calendar.workdays import WorkCalendar, current_calendar
from yizhan.clock import rows
from yizhan.clock.deadlines import compute_deadline, is_provisional
from yizhan.clock.errors import ClockError
from yizhan.clock.limits import Limit
from yizhan.clock.models import Timer, TimerPause


def subject_ref(subject: models.Model) -> tuple[str, str]:
    return subject._meta.label_lower, str(subject.pk)


def new_timer(
    subject: models.Model,
    purpose: str,
    limit: Limit,
    *,
    at: datetime,
    responsible_user=None,
    responsible_unit=None,
    accountable: bool = False,
    cal: WorkCalendar | None = None,
) -> Timer:
    """An unsaved timer starting at `at` (its deadline computed): `start_timer` inserts one, a caller
    starting several at once inserts them together (`rows.insert_all`)."""
    cal = cal or current_calendar()
    deadline = compute_deadline(at, limit, (), cal)
    subject_type, subject_id = subject_ref(subject)
    return rows.new(
        Timer,
        subject_type=subject_type,
        subject_id=subject_id,
        purpose=purpose,
        limit_amount=limit.amount,
        limit_unit=limit.unit,
        started_at=at,
        deadline=deadline,
        provisional=is_provisional(at, deadline, limit, cal),
        responsible_user=responsible_user,
        responsible_unit=responsible_unit,
        accountable=accountable,
    )


def start_timer(subject: models.Model, purpose: str, limit: Limit, **options) -> Timer:
    """Start (insert) a timer: `new_timer`'s options."""
    return rows.insert(new_timer(subject, purpose, limit, **options))


def timers_for(subject: models.Model) -> models.QuerySet[Timer]:
    subject_type, subject_id = subject_ref(subject)
    return Timer.objects.filter(subject_type=subject_type, subject_id=subject_id)


def recompute(timer: Timer, cal: WorkCalendar | None = None, now: datetime | None = None,
              pauses: list[TimerPause] | None = None) -> bool:
    """Recompute the deadline from the start, the limit and the pauses (`pauses`: the timer's, when the
    caller has them). Returns True if it changed."""
    cal = cal or current_calendar()
    spans = [(p.started_at, p.ended_at) for p in (timer.pauses.all() if pauses is None else pauses)]
    deadline = compute_deadline(timer.started_at, timer.limit, spans, cal, now=now or timer.paused_since)
    provisional = is_provisional(timer.started_at, deadline, timer.limit, cal)
    changed = (deadline, provisional) != (timer.deadline, timer.provisional)
    timer.deadline, timer.provisional = deadline, provisional
    return changed


def pause_timer(timer: Timer, *, reason: str, at: datetime, note: str = "", by=None) -> TimerPause:
    if timer.stopped_at is not None:
        raise ClockError(_("计时已结束，不能暂停"))
    if timer.paused_since is not None:
        raise ClockError(_("计时已处于暂停状态"))
    if at < timer.started_at:
        raise ClockError(_("暂停时间不能早于计时开始时间"))
    pause = rows.insert(TimerPause(timer=timer, reason=reason, note=note, started_at=at, created_by=by))
    timer.paused_since = at
    rows.write(timer, "paused_since")
    return pause


def resume_timer(timer: Timer, *, at: datetime, cal: WorkCalendar | None = None) -> TimerPause:
    if timer.paused_since is None:
        raise ClockError(_("计时未暂停，无需恢复"))
    # The caller holds the timer's lock; its pauses are locked too, as every row changed is.
    pauses = rows.fetch_where(TimerPause, "timer_id", timer.pk, order="t0.started_at, t0.id", lock=True)
    running = [p for p in pauses if p.ended_at is None]
    if len(running) != 1:
        raise TimerPause.MultipleObjectsReturned(f"timer {timer.pk} has {len(running)} running pauses")
    [pause] = running
    if at < pause.started_at:
        raise ClockError(_("恢复时间不能早于暂停开始时间"))
    pause.ended_at = at
    rows.write(pause, "ended_at")
    timer.paused_since = None
    recompute(timer, cal, pauses=pauses)
    rows.write(timer, "paused_since", "deadline", "provisional")
    return pause


def stop_timer(timer: Timer, *, at: datetime, cal: WorkCalendar | None = None) -> Timer:
    stop_timers([timer], at=at, cal=cal)
    return timer


def stop_timers(timers: list[Timer], *, at: datetime, cal: WorkCalendar | None = None) -> None:
    """Stop every one of `timers` at `at` (a paused one is resumed first): the running ones in one
    statement."""
    for timer in timers:
        if timer.stopped_at is not None:
            raise ClockError(_("计时已结束"))
    for timer in timers:
        if timer.paused_since is not None:
            resume_timer(timer, at=at, cal=cal)
        timer.stopped_at = at
    rows.write_all(timers, "stopped_at")


def reassign(timer: Timer, *, user=None, unit=None) -> None:
    """Responsibility follows whoever holds the item now."""
    timer.responsible_user = user
    timer.responsible_unit = unit
    rows.write(timer, "responsible_user", "responsible_unit")
