"""Ratings (好差评) once per completed case; a bad one opens a rectification item on the clock for the
department head, late handling is accountable, and the figures carry ratings and the rectification rate."""

from datetime import date

import pytest
from django.db import IntegrityError

from tests.factories import at
from yizhan.clock.models import AccountabilityRecord
from yizhan.errors import IllegalTransition, InvalidInput, NotPermitted
from yizhan.hall import cases as engine
from yizhan.hall.accountability import sweep
from yizhan.hall.models import Rating, Rectification, RectificationState, Resolution
from yizhan.hall.ranking import rank_windows
from yizhan.hall.ratings import case_for_token, rate_by_token, rate_case, rating_token
from yizhan.hall.rectification import close_rectification, verify_rectification
from yizhan.hall.stats import hall_figures

MARCH = (date(2010, 3, 1), date(2010, 3, 31))


def completed(hall, when="2010-03-01 09:00"):
    case = hall.accepted(hall.spot, when=when)
    return engine.complete_on_the_spot(case, at=at(when.replace("09:00", "09:30")), actor=hall.clerk)


def test_a_completed_case_is_rated_once(hall):
    case = completed(hall)
    rating = rate_case(case, score=5, comment="很快", at=at("2010-03-01 10:00"))
    assert rating.get_score_display() == "非常满意" and rating.window == hall.w11
    assert not Rectification.objects.exists()
    with pytest.raises(IllegalTransition) as info:
        rate_case(case, score=1, at=at("2010-03-01 11:00"))
    assert info.value.rule == "already_rated"
    with pytest.raises(IntegrityError):  # the database itself refuses a second row
        Rating.objects.create(case=case, score=1, rated_at=at("2010-03-01 11:00"), window=hall.w11,
                              department=hall.d1)


def test_only_completed_cases_with_a_grade_from_one_to_five(hall):
    open_case = hall.accepted()
    with pytest.raises(IllegalTransition):
        rate_case(open_case, score=4, at=at("2010-03-01 10:00"))
    case = completed(hall)
    with pytest.raises(InvalidInput) as info:
        rate_case(case, score=6)
    assert info.value.field == "score"
    assert not Rating.objects.exists()


@pytest.mark.parametrize("score", [2, 1])
def test_a_bad_rating_opens_a_rectification_for_the_head_within_fifteen_working_days(hall, score):
    rating = rate_case(completed(hall), score=score, at=at("2010-03-01 10:00"))
    item = Rectification.objects.get(rating=rating)
    assert (item.state, item.department) == (RectificationState.OPEN, hall.d1)
    # 15 working days from Monday 1 March 2010: Monday 22 March, end of day.
    assert item.timer.deadline == at("2010-03-22 23:59:59.999999") and item.timer.accountable
    with pytest.raises(NotPermitted):
        verify_rectification(item, substantiated=True, verification="核实", by=hall.clerk)
    with pytest.raises(NotPermitted):
        verify_rectification(item, substantiated=True, verification="核实", by=hall.head2)
    with pytest.raises(IllegalTransition):  # verify first
        close_rectification(item, measures="整改", reply="已整改", by=hall.head)
    verify_rectification(item, substantiated=True, verification="窗口解释不清，属实", by=hall.head,
                         at=at("2010-03-03 10:00"))
    item = close_rectification(item, measures="组织窗口业务培训", reply="感谢监督，已整改", by=hall.head,
                               at=at("2010-03-05 10:00"))
    assert (item.state, item.resolution) == (RectificationState.CLOSED, Resolution.RECTIFIED)
    assert item.timer.stopped_at == at("2010-03-05 10:00")
    assert not AccountabilityRecord.objects.exists()


def test_the_rectification_limit_is_a_setting(hall, settings):
    settings.YIZHAN_RECTIFICATION_DAYS = 5
    rating = rate_case(completed(hall), score=1, at=at("2010-03-01 10:00"))
    assert rating.rectification.timer.deadline == at("2010-03-08 23:59:59.999999")


def test_an_unfounded_bad_rating_is_explained_and_a_late_one_is_accountable(hall):
    item = rate_case(completed(hall), score=2, at=at("2010-03-01 10:00")).rectification
    verify_rectification(item, substantiated=False, verification="系材料不全所致", by=hall.supervisor,
                         at=at("2010-03-10 10:00"))
    item = close_rectification(item, measures="已向申请人说明", reply="已说明", by=hall.supervisor,
                               at=at("2010-03-24 10:00"))
    assert item.resolution == Resolution.EXPLAINED
    record = AccountabilityRecord.objects.get(timer=item.timer)
    assert (record.department, record.days_overdue) == (hall.d1, 2)


def test_the_sweep_holds_an_open_rectification_to_account_once(hall):
    item = rate_case(completed(hall), score=1, at=at("2010-03-01 10:00")).rectification
    sweep(at("2010-03-22 23:00"))
    assert not AccountabilityRecord.objects.exists()
    sweep(at("2010-03-23 09:00"))
    sweep(at("2010-03-24 09:00"))
    record = AccountabilityRecord.objects.get()
    assert (record.timer, record.responsible_unit, record.days_overdue) == (item.timer, hall.d1, 2)


def test_rating_figures_and_the_rectification_rate(hall):
    good = [completed(hall, f"2010-03-0{d} 09:00") for d in (1, 2)]
    bad = [completed(hall, f"2010-03-0{d} 09:00") for d in (3, 4)]
    rate_case(good[0], score=5, at=at("2010-03-05 10:00"))
    rate_case(good[1], score=3, at=at("2010-03-05 10:00"))
    fixed = rate_case(bad[0], score=2, at=at("2010-03-05 10:00")).rectification
    rate_case(bad[1], score=1, at=at("2010-03-05 10:00"))
    verify_rectification(fixed, substantiated=True, verification="属实", by=hall.head, at=at("2010-03-08 10:00"))
    close_rectification(fixed, measures="整改", reply="已整改", by=hall.head, at=at("2010-03-09 10:00"))
    f = hall_figures(*MARCH, now=at("2010-04-30 10:00"))
    assert (f.ratings, f.bad_ratings, f.satisfaction_rate, f.rectified, f.rectification_rate) == (4, 2, 0.5, 1, 0.5)
    assert hall_figures(*MARCH, unit=hall.d2, now=at("2010-04-30 10:00")).ratings == 0
    row = next(r for r in rank_windows(*MARCH, now=at("2010-04-30 10:00")) if r.window == "W11")
    assert row.as_dict()["bad_ratings"] == 2 and row.as_dict()["rectification_rate"] == 0.5


def test_the_qr_token_names_the_case_and_cannot_be_forged(hall):
    case = completed(hall)
    token = rating_token(case)
    assert case_for_token(token) == case
    with pytest.raises(InvalidInput):
        case_for_token(token[:-2] + "xx")
    rating = rate_by_token(token, score=4, at=at("2010-03-01 10:00"))
    assert (rating.case, rating.source) == (case, "qr")


def test_an_unrectified_bad_rating_costs_five_points_in_the_ranking(hall):
    case = completed(hall)
    now = at("2010-04-30 10:00")
    before = next(r for r in rank_windows(*MARCH, now=now) if r.window == "W11").score
    item = rate_case(case, score=1, at=at("2010-03-01 10:00")).rectification
    assert next(r for r in rank_windows(*MARCH, now=now) if r.window == "W11").score == before - 5
    verify_rectification(item, substantiated=False, verification="误评", by=hall.head, at=at("2010-03-02 10:00"))
    close_rectification(item, measures="已说明", reply="已说明", by=hall.head, at=at("2010-03-02 11:00"))
    assert next(r for r in rank_windows(*MARCH, now=now) if r.window == "W11").score == before
