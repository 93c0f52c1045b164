"""Green channel: key-project cases run on the shortened limit and come first in every queue."""

import pytest

from tests.factories import at
from yizhan.errors import IllegalTransition, InvalidInput
from yizhan.hall import cases as engine
from yizhan.hall.early_warnings import open_warnings
from yizhan.hall.green_channel import flag_green_channel, green_first
from yizhan.hall.models import Case


def test_flagged_case_runs_on_the_shortened_limit(hall):
    green = hall.accepted(green_project="翠山湖新区", when="2010-03-01 09:00")
    plain = hall.accepted(when="2010-03-01 09:00")
    assert green.green_channel and green.green_project == "翠山湖新区"
    assert green.promised_timer.limit_amount == 2
    assert green.promised_timer.deadline == at("2010-03-03 23:59:59.999999")
    assert plain.promised_timer.deadline == at("2010-03-08 23:59:59.999999")
    assert green.statutory_timer.deadline == plain.statutory_timer.deadline


def test_flagging_after_receipt_and_before_acceptance(hall):
    case = hall.receive()
    case = flag_green_channel(case, project="翠山湖新区", at=at("2010-03-01 09:30"), actor=hall.clerk)
    case = engine.accept_case(case, at=at("2010-03-01 10:00"))
    assert case.promised_timer.limit_amount == 2
    with pytest.raises(IllegalTransition):
        flag_green_channel(hall.accepted(), project="翠山湖新区", at=at("2010-03-01 10:00"))


def test_matter_without_green_limit_refuses_the_flag(hall):
    with pytest.raises(InvalidInput) as info:
        hall.receive(hall.build, hall.w21, green_project="翠山湖新区")
    assert (info.value.field, info.value.rule) == ("green_project", "no_green_channel")
    case = hall.receive(hall.build, hall.w21)
    with pytest.raises(InvalidInput):
        flag_green_channel(case, project="翠山湖新区")
    with pytest.raises(InvalidInput) as info:
        flag_green_channel(hall.receive(), project="  ")
    assert info.value.field == "green_project"
    assert not Case.objects.filter(green_channel=True).exists()


def test_green_cases_sort_first_in_queues_and_warnings(hall):
    early = hall.accepted(when="2010-03-01 09:00")
    late_green = hall.accepted(when="2010-03-01 15:00", green_project="翠山湖新区")
    assert list(green_first(Case.objects.all())) == [late_green, early]
    # On 8 March: the plain case is red (its deadline day), green2 (deadline 9 March) yellow. By deadline
    # alone the plain case would come before green2; green cases come first.
    green2 = hall.accepted(when="2010-03-05 09:00", green_project="翠山湖新区")
    rows = open_warnings(at("2010-03-08 10:00"))
    cases = [r.case_no for r in rows if r.purpose == "promised"]
    assert cases == [late_green.case_no, green2.case_no, early.case_no]
