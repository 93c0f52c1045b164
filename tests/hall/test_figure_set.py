"""The fast figures (one grouped pass for a subtree, `FigureSet`; the charts' `daily_counts`) are exactly
the figures of `hall_figures` for every unit, and both are those of the definitions in
`yizhan/hall/stats.py` counted one case at a time in plain Python (`reference` below): on random
halls (cases withdrawn, refused, refused at the counter, paused, completed late or left open) and on
the replayed seed city."""

from datetime import date, datetime, time, timedelta
from statistics import median

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import TZ, HallWorld
from tests.hall.test_stats import LATER
from yizhan.calendar.workdays import current_calendar
from yizhan.clock.deadlines import compute_deadline
from yizhan.clock.models import AccountabilityRecord
from yizhan.hall.models import Case, CaseState, Complaint, Consultation, Finding
from yizhan.hall.stats import FIGURE_KEYS, FigureSet, daily_counts, hall_figures
from yizhan.org.models import OrgUnit, UnitKind

DECIDED = ("approved", "refused")


def local(moment: datetime) -> date:
    return moment.astimezone(TZ).date()


def reference(first: date, last: date, unit: OrgUnit, now: datetime) -> dict:
    """The figures of `unit`'s subtree, each definition of stats.py applied to every row in turn."""
    start = datetime.combine(first, time.min, tzinfo=TZ)
    end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=TZ)
    at = min(end, now)
    cal = current_calendar()
    within = lambda moment: moment is not None and start <= moment < end  # noqa: E731
    cases = [c for c in Case.objects.select_related("window", "promised_timer") if c.window.path.startswith(unit.path)]
    done = [c for c in cases if c.state == CaseState.COMPLETED and c.outcome in DECIDED and within(c.completed_at)]
    accepted = [c for c in cases if within(c.accepted_at)]
    spot = [c for c in accepted if c.state == CaseState.COMPLETED and c.outcome in DECIDED
            and local(c.accepted_at) == local(c.completed_at)]
    overdue = 0
    for c in cases:
        timer = c.promised_timer
        if timer is None or c.accepted_at > at or (c.closed_at is not None and c.closed_at <= at):
            continue
        pauses = [(p.started_at, p.ended_at) for p in timer.pauses.all() if p.started_at <= at]
        if any(e is None or e > at for _s, e in pauses):
            continue
        overdue += compute_deadline(timer.started_at, timer.limit, pauses, cal) < at
    case_timers = {t: c for c in cases for t in (c.promised_timer_id, c.statutory_timer_id, c.notice_timer_id) if t}
    durations = [cal.workdays_between(local(c.accepted_at), local(c.completed_at)) for c in done if c.accepted_at]
    rate = lambda part, whole: part / whole if whole else None  # noqa: E731
    on_time = [c for c in done if c.completed_at <= c.promised_timer.deadline]
    complaints = [c for c in Complaint.objects.select_related("window") if c.window.path.startswith(unit.path)]
    return {
        "consultations": sum(within(c.asked_at) for c in Consultation.objects.select_related("window")
                             if c.window.path.startswith(unit.path)),
        "accepted": len(accepted), "completed": len(done), "on_the_spot": len(spot),
        "on_the_spot_rate": rate(len(spot), len(accepted)), "completed_on_time": len(on_time),
        "on_time_rate": rate(len(on_time), len(done)), "overdue_open": overdue,
        "accountability": sum(within(r.created_at) and r.timer_id in case_timers
                              for r in AccountabilityRecord.objects.all()),
        "median_days": float(median(durations)) if durations else None,
        "withdrawn": sum(c.state == CaseState.WITHDRAWN and within(c.closed_at) for c in cases),
        "refused_to_accept": sum(c.state == CaseState.REFUSED_TO_ACCEPT and within(c.closed_at) for c in cases),
        "complaints": sum(within(c.received_at) for c in complaints),
        "valid_complaints": sum(c.finding == Finding.VALID and within(c.replied_at) for c in complaints),
    }


def reference_days(first: date, last: date, unit: OrgUnit) -> dict[date, tuple[int, int]]:
    out: dict[date, list[int]] = {}
    for c in Case.objects.select_related("window"):
        if not c.window.path.startswith(unit.path):
            continue
        if c.accepted_at and first <= local(c.accepted_at) <= last:
            out.setdefault(local(c.accepted_at), [0, 0])[0] += 1
        if c.state == CaseState.COMPLETED and c.outcome in DECIDED and first <= local(c.completed_at) <= last:
            out.setdefault(local(c.completed_at), [0, 0])[1] += 1
    return {d: tuple(v) for d, v in out.items()}


def assert_fast_path_is_exact(first: date, last: date, now: datetime) -> None:
    units = list(OrgUnit.objects.filter(kind__in=(UnitKind.CENTER, UnitKind.DEPARTMENT, UnitKind.WINDOW)))
    center = next(u for u in units if u.kind == UnitKind.CENTER)
    fast = FigureSet(first, last, center, now=now)
    windows = fast.windows()
    for unit in units:
        slow = hall_figures(first, last, unit, now=now).as_dict()
        assert fast.of(unit).as_dict() == slow, unit.code
        if unit.kind == UnitKind.WINDOW:
            assert windows[unit].as_dict() == slow, unit.code
        expected = reference(first, last, unit, now)
        assert {k: slow[k] for k in expected} == expected, unit.code
    assert set(FIGURE_KEYS) >= set(reference(first, last, center, now))
    assert daily_counts(first, last, center) == reference_days(first, last, center)


DAYS = st.integers(min_value=0, max_value=40)  # days after 2010-03-01
OUTCOMES = st.sampled_from(("approved", "refused", "refused_to_accept", "withdrawn", "open"))
PLACES = (("spot", "w11"), ("spot", "w12"), ("prom", "w11"), ("prom", "w12"), ("two", "w21"))  # matter, window
CASES = st.lists(st.tuples(st.sampled_from(PLACES), DAYS, st.integers(0, 2), st.integers(0, 40), OUTCOMES, st.booleans(), st.booleans()),
                 min_size=1, max_size=12)


def moment(day: int, minute: int = 0) -> str:
    return (datetime(2010, 3, 1, 9, 0) + timedelta(days=day, minutes=minute)).strftime("%Y-%m-%d %H:%M")


@pytest.mark.django_db
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                HealthCheck.too_slow])
@given(cases=CASES, consultations=st.lists(st.tuples(st.sampled_from(("w11", "w21")), DAYS), max_size=4),
       complaints=st.lists(st.tuples(st.sampled_from(("w12", "w21")), DAYS, st.booleans()), max_size=3),
       period=st.tuples(DAYS, st.integers(0, 30)))
def test_the_fast_figures_equal_the_reference_on_random_halls(django_user_model, cases, consultations, complaints,
                                                               period):
    with transaction.atomic():
        world = HallWorld(django_user_model)
        for (matter, window), received, wait, took, outcome, green, paused in cases:
            matter = getattr(world, matter)
            received_at = moment(received)
            # Accepted at the counter on receipt (wait 0) or days later; refused at the counter: never.
            accepted = None if outcome == "refused_to_accept" else moment(received + wait, 5) if wait else received_at
            completed = None if outcome == "open" else moment(received + wait + took, 30)
            pauses = ((moment(received + wait + 1, 10), moment(received + wait + 3, 10)),) \
                if paused and accepted and matter.code != "SPOT" and took > 4 else ()
            world.case(matter, getattr(world, window), received=received_at, accepted=accepted, completed=completed,
                       outcome=outcome, green=green and matter.green_channel, pauses=pauses)
        for window, day in consultations:
            world.consultation(getattr(world, window), moment(day))
        for window, day, valid in complaints:
            world.complaint(getattr(world, window), moment(day), Finding.VALID if valid else Finding.INVALID)
        first = date(2010, 3, 1) + timedelta(days=period[0])
        assert_fast_path_is_exact(first, first + timedelta(days=period[1]), LATER)
        assert_fast_path_is_exact(first, first + timedelta(days=period[1]), datetime(2010, 3, 20, 12, tzinfo=TZ))
        transaction.set_rollback(True)


@pytest.mark.slow
@pytest.mark.django_db
def test_the_fast_figures_equal_the_reference_on_the_replayed_city():
    from yizhan.demo.seed_replay import FIRST_DAY, LAST_DAY, replay

    replay(scale=0.005)
    assert_fast_path_is_exact(FIRST_DAY, LAST_DAY, LATER)
    assert_fast_path_is_exact(date(2010, 5, 1), date(2010, 5, 31), LATER)
