"""Scores, totals, closing a round with rectification items on the clock, and the ranking."""

from decimal import Decimal

import pytest

from tests.factories import at
from yizhan.assessment import scoring
from yizhan.assessment.models import Score
from yizhan.audit.models import AuditEvent
from yizhan.errors import IllegalTransition, InvalidInput, NotPermitted
from yizhan.followups import service as followups
from yizhan.followups.models import FollowUp, FollowUpState


def test_the_sheet_is_the_managed_programmes_indicators(grassroots):
    assert [i.code for i in grassroots.indicators] == ["P03-1", "P03-2", "P03-3", "P04-1", "P04-2", "P04-3"]
    assert grassroots.round.assessments.count() == 6  # two townships, four villages


def test_a_score_above_the_maximum_is_refused_naming_the_field_and_nothing_is_written(grassroots):
    sheet = grassroots.sheet(grassroots.t1)
    with pytest.raises(InvalidInput) as refused:
        scoring.enter_scores(sheet, [scoring.Entry("P03-1", "10"), scoring.Entry("P03-2", "16", "漏种")],
                             actor=grassroots.assessor)
    assert (refused.value.field, refused.value.rule) == ("score", "above_maximum")
    assert "P03-2" in str(refused.value.message) and "15" in str(refused.value.message)
    assert Score.objects.count() == 0


@pytest.mark.parametrize(("value", "rule"), [("-1", "score_format"), ("abc", "score_format"), ("7.25", "score_format"),
                                             ("", "required"), ("1e1", "score_format")])
def test_bad_score_values_are_refused(grassroots, value, rule):
    with pytest.raises(InvalidInput) as refused:
        scoring.enter_scores(grassroots.sheet(grassroots.t1), [scoring.Entry("P03-1", value, "x")])
    assert (refused.value.field, refused.value.rule) == ("score", rule)


def test_a_deduction_needs_an_evidence_note(grassroots):
    with pytest.raises(InvalidInput) as refused:
        scoring.enter_scores(grassroots.sheet(grassroots.t1), [scoring.Entry("P03-1", "8")])
    assert refused.value.field == "evidence_note"
    with pytest.raises(InvalidInput) as unknown:
        scoring.enter_scores(grassroots.sheet(grassroots.t1), [scoring.Entry("P01-1", "8", "x")])
    assert unknown.value.field == "indicator"  # a programme not in the round


def test_the_total_is_the_weighted_share_of_the_maximum(grassroots):
    # P03-2 (weight 1.5) at 7.5/15 and P04-1 (weight 1.5) at 5/10: 100 × (6.5 − 0.75 − 0.75) / 6.5
    sheet = grassroots.full_marks(grassroots.t1, P03_2="7.5", P04_1="5")
    assert (sheet.total, sheet.scored, sheet.complete, sheet.passed) == (Decimal("76.92"), 6, True, False)
    events = AuditEvent.objects.filter(action="assessment.score.entered")
    assert events.count() == 6


def test_only_assessors_of_the_unit_enter_scores(grassroots):
    with pytest.raises(NotPermitted):
        scoring.enter_scores(grassroots.sheet(grassroots.t1), [scoring.Entry("P03-1", "10")],
                             actor=grassroots.other_assessor)
    scoring.enter_scores(grassroots.sheet(grassroots.t2), [scoring.Entry("P03-1", "10")],
                         actor=grassroots.other_assessor)


def test_closing_opens_rectifications_for_units_below_the_pass_mark(grassroots):
    with pytest.raises(IllegalTransition) as incomplete:
        scoring.close_round(grassroots.round, at=at("2010-11-05 17:00"))
    assert incomplete.value.field == "assessments"
    for unit in (grassroots.t2, grassroots.v12, grassroots.v21, grassroots.v22):
        grassroots.full_marks(unit)
    grassroots.full_marks(grassroots.t1, P03_2="7.5", P04_1="5")
    grassroots.full_marks(grassroots.v11, P03_3="9")  # 9/10 is above the pass share: passes
    scoring.close_round(grassroots.round, at=at("2010-11-05 17:00"), actor=grassroots.assessor)
    items = FollowUp.objects.filter(kind=scoring.RECTIFICATION).order_by("title")
    # T1 failed on two indicators below 80 % of their maximum; the director owns them; 10 working days.
    assert [(i.unit.code, i.owner.username, i.needs_verification) for i in items] == [("T1", "director", True)] * 2
    assert items[0].timer.deadline == at("2010-11-19 23:59:59.999999")
    with pytest.raises(IllegalTransition):
        scoring.enter_scores(grassroots.sheet(grassroots.v11), [scoring.Entry("P03-3", "10")])
    # Done by the director, verified by an assessor (a second person).
    item = followups.complete(items[0], note="已补种", at=at("2010-11-10 10:00"), actor=grassroots.director)
    item = followups.verify(item, effective=True, note="抽查合格", at=at("2010-11-12 10:00"), actor=grassroots.assessor)
    assert item.state == FollowUpState.VERIFIED
    figures = scoring.figures(grassroots.round)
    assert (figures["passed"], figures["failed"], figures["rectifications"]["total"]) == (5, 1, 2)


def test_the_ranking_is_per_kind_with_documented_tie_breaks(grassroots):
    grassroots.full_marks(grassroots.t1, P03_1="9")
    grassroots.full_marks(grassroots.t2, P03_1="9")  # equal on total and count: the same place
    grassroots.full_marks(grassroots.v21)
    grassroots.full_marks(grassroots.v11, P03_1="5")  # loses 0.5 of weight 6.5 on one indicator
    grassroots.full_marks(grassroots.v12, P03_3="7.5", P04_3="3")  # loses 0.25 + 0.25 on two indicators
    grassroots.full_marks(grassroots.v22, P04_2="4", P04_3="3")
    places = {p.assessment.unit.code: (p.rank, p.assessment.total, p.below_pass)
              for p in scoring.ranking(grassroots.round)}
    assert places["T1"] == places["T2"] == (1, Decimal("98.46"), 0)
    assert places["T2-V1"] == (1, Decimal("100.00"), 0)
    assert places["T1-V1"] == (2, Decimal("92.31"), 1)
    assert places["T1-V2"] == (3, Decimal("92.31"), 2)  # same total, more indicators below the pass share
    assert places["T2-V2"][0] == 4
    villages = [p.assessment.unit.code for p in scoring.ranking(grassroots.round, kind="village")]
    assert villages == ["T2-V1", "T1-V1", "T1-V2", "T2-V2"]


def test_a_round_refuses_bad_settings(grassroots):
    from yizhan.assessment.models import Programme

    programmes = Programme.objects.filter(code="P03")
    for kwargs, field in (({"code": "R2010"}, "code"), ({"pass_mark": 120}, "pass_mark"),
                          ({"programmes": Programme.objects.filter(code="P05")}, "programmes")):
        base = {"code": "R2", "name": "复查", "year": 2010, "programmes": programmes, **kwargs}
        with pytest.raises(InvalidInput) as refused:
            scoring.open_round(grassroots.cdc, **base)
        assert refused.value.field == field
    with pytest.raises(InvalidInput):
        scoring.open_round(grassroots.t1, code="R3", name="x", year=2010, programmes=programmes)
