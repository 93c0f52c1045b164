"""The queue service: numbering per group and day, calling, recall, no-shows, waits."""

from datetime import date

import pytest

from tests.factories import at
from yizhan.audit.models import AuditEvent
from yizhan.errors import IllegalTransition, NotPermitted
from yizhan.hall import queue
from yizhan.hall.models import TicketState


def test_numbers_run_per_group_and_restart_each_day(groups):
    a, b = groups
    first = queue.issue_ticket(a, at=at("2010-03-01 08:31"))
    second = queue.issue_ticket(a, at=at("2010-03-01 08:32"))
    other = queue.issue_ticket(b, at=at("2010-03-01 08:33"))
    tomorrow = queue.issue_ticket(a, at=at("2010-03-02 08:30"))
    assert [first.label, second.label, other.label, tomorrow.label] == ["A001", "A002", "B001", "A001"]
    assert AuditEvent.objects.filter(action="hall.ticket.issued").count() == 4


def test_a_window_calls_the_oldest_number_of_its_groups_and_measures_the_wait(staff_hall, groups):
    a, b = groups
    queue.issue_ticket(b, at=at("2010-03-01 08:30"))
    t1 = queue.issue_ticket(a, at=at("2010-03-01 08:31"))
    queue.issue_ticket(a, at=at("2010-03-01 08:35"))
    called = queue.call_next(staff_hall.w11, by=staff_hall.clerk, at=at("2010-03-01 08:43"))
    assert called.pk == t1.pk and called.state == TicketState.CALLED and called.window == staff_hall.w11
    assert called.waited_seconds == 12 * 60


def test_two_windows_never_get_the_same_number(staff_hall, groups):
    a, _b = groups
    queue.issue_ticket(a, at=at("2010-03-01 08:31"))
    queue.issue_ticket(a, at=at("2010-03-01 08:32"))
    one = queue.call_next(staff_hall.w11, by=staff_hall.clerk, at=at("2010-03-01 08:40"))
    two = queue.call_next(staff_hall.w12, by=staff_hall.clerk2, at=at("2010-03-01 08:40"))
    assert {one.label, two.label} == {"A001", "A002"}


def test_a_no_show_is_skipped_only_after_a_recall(staff_hall, groups):
    a, _b = groups
    queue.issue_ticket(a, at=at("2010-03-01 08:31"))
    queue.issue_ticket(a, at=at("2010-03-01 08:32"))
    ticket = queue.call_next(staff_hall.w11, by=staff_hall.clerk, at=at("2010-03-01 08:40"))
    with pytest.raises(IllegalTransition) as err:
        queue.skip(ticket, by=staff_hall.clerk, at=at("2010-03-01 08:41"))
    assert err.value.rule == "recall_first"
    with pytest.raises(IllegalTransition) as err:  # the window is still waiting for its called number
        queue.call_next(staff_hall.w11, by=staff_hall.clerk, at=at("2010-03-01 08:41"))
    assert err.value.rule == "called_not_served"
    queue.recall(ticket, by=staff_hall.clerk, at=at("2010-03-01 08:42"))
    skipped = queue.skip(ticket, by=staff_hall.clerk, at=at("2010-03-01 08:44"))
    assert skipped.state == TicketState.NO_SHOW and skipped.calls == 2
    assert queue.call_next(staff_hall.w11, by=staff_hall.clerk, at=at("2010-03-01 08:45")).label == "A002"


def test_calling_the_next_finishes_the_one_being_served(staff_hall, groups):
    a, _b = groups
    queue.issue_ticket(a, at=at("2010-03-01 08:31"))
    queue.issue_ticket(a, at=at("2010-03-01 08:32"))
    first = queue.call_next(staff_hall.w11, by=staff_hall.clerk, at=at("2010-03-01 08:40"))
    queue.start_serving(first, by=staff_hall.clerk, at=at("2010-03-01 08:41"))
    queue.call_next(staff_hall.w11, by=staff_hall.clerk, at=at("2010-03-01 08:50"))
    first.refresh_from_db()
    assert first.state == TicketState.DONE and first.finished_at == at("2010-03-01 08:50")


def test_only_staff_of_the_window_call_to_it(staff_hall, groups):
    a, _b = groups
    queue.issue_ticket(a, at=at("2010-03-01 08:31"))
    with pytest.raises(NotPermitted):
        queue.call_next(staff_hall.w11, by=staff_hall.head2, at=at("2010-03-01 08:40"))


def test_an_empty_queue_says_so(staff_hall, groups):
    with pytest.raises(IllegalTransition) as err:
        queue.call_next(staff_hall.w21, by=staff_hall.head2, at=at("2010-03-01 08:40"))
    assert err.value.rule == "queue_empty"


def test_queue_figures_count_waits_and_no_shows_in_the_period(staff_hall, groups):
    a, b = groups
    queue.issue_ticket(a, at=at("2010-03-01 08:30"))
    queue.issue_ticket(a, at=at("2010-03-01 08:40"))
    queue.issue_ticket(b, at=at("2010-03-01 09:00"))
    t = queue.call_next(staff_hall.w11, by=staff_hall.clerk, at=at("2010-03-01 08:50"))  # waited 20
    queue.recall(t, by=staff_hall.clerk, at=at("2010-03-01 08:52"))
    queue.skip(t, by=staff_hall.clerk, at=at("2010-03-01 08:53"))
    queue.call_next(staff_hall.w11, by=staff_hall.clerk, at=at("2010-03-01 09:10"))  # waited 30
    figures = queue.queue_figures(date(2010, 3, 1), date(2010, 3, 1))
    assert (figures.issued, figures.called, figures.no_shows, figures.waiting) == (3, 2, 1, 1)
    assert figures.mean_wait_minutes == 25.0 and figures.max_wait_minutes == 30.0
    d1_only = queue.queue_figures(date(2010, 3, 1), date(2010, 3, 1), unit=staff_hall.d1)
    assert d1_only.issued == 2
    assert queue.queue_figures(date(2010, 3, 2), date(2010, 3, 2)).issued == 0
    assert queue.daily_waits(date(2010, 3, 1), date(2010, 3, 1)) == [
        {"day": date(2010, 3, 1), "called": 2, "median_wait_minutes": 25.0}]


def test_the_board_lists_numbers_being_called(staff_hall, groups):
    a, _b = groups
    queue.issue_ticket(a, at=at("2010-03-01 08:30"))
    queue.call_next(staff_hall.w12, by=staff_hall.clerk2, at=at("2010-03-01 08:35"))
    [row] = queue.being_called(date(2010, 3, 1))
    assert (row.label, row.window.code) == ("A001", "W12")
