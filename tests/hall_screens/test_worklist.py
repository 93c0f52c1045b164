"""The worklist order against a plain sort of every open case by (green, level, deadline)."""

import random
from datetime import timedelta

from django.utils import timezone

from yizhan.calendar.workdays import current_calendar
from yizhan.clock.models import Timer
from yizhan.clock.warnings import Level, warning_level
from yizhan.hall.cases import receive_case
from yizhan.hall.models import Case
from yizhan.hall.pauses import pause_case
from yizhan.hall.worklist import worklist

RANK = {Level.OVERDUE: 0, Level.RED: 0, Level.YELLOW: 1}


def _expected(now):
    cal = current_calendar()
    rows = []
    for case in Case.objects.select_related("promised_timer", "notice_timer"):
        timer = case.promised_timer if case.accepted_at else case.notice_timer
        level = warning_level(timer, now, cal)
        running = level not in (Level.PAUSED, Level.STOPPED)
        # a paused clock orders after the running ones, by case id
        rows.append(((not case.green_channel, RANK.get(level, 2), not running,
                      timer.deadline.timestamp() if running else 0, case.pk), case.pk))
    return [pk for _key, pk in sorted(rows)]


def test_the_order_matches_a_plain_sort_and_pages_are_its_prefixes(staff_hall):
    rng = random.Random(3)
    now = timezone.now()
    for i in range(40):
        case = receive_case(matter=staff_hall.lic, window=staff_hall.w11, applicant_name=f"申请人{i}",
                            actor=staff_hall.clerk, accept=i % 5 != 0, green_project="重点" if i % 9 == 0 else "")
        timer = case.promised_timer_id or case.notice_timer_id
        # Limits differ (matters, notices): each has its own yellow window.
        Timer.objects.filter(pk=timer).update(deadline=now + timedelta(hours=rng.randint(-72, 24 * 20)),
                                              limit_amount=rng.choice((1, 3, 5, 8, 10, 15, 20, 30)))
        if i % 7 == 1 and case.accepted_at:
            pause_case(case, reason="inspection", actor=staff_hall.clerk)
    expected = _expected(now)
    rows, total = worklist(Case.objects.all(), now, limit=100)
    assert total == 40
    assert [r.case.pk for r in rows] == expected
    page, _total = worklist(Case.objects.all(), now, limit=7)
    assert [r.case.pk for r in page] == expected[:7]
    levels = [r.level for r in rows if not r.case.green_channel]
    assert levels.index("normal") > max(i for i, lv in enumerate(levels) if lv in ("red", "overdue", "yellow"))
