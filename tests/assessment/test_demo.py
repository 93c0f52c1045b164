"""The demo's 2010 assessment and internal audit, built over the demo CDC's network through the
services: units below the pass mark with rectification items open and done, findings with
corrective actions, and the reports printed from the database."""

from yizhan.assessment import demo as assessment_demo
from yizhan.assessment.models import Assessment, Round
from yizhan.followups.models import FollowUp, FollowUpState
from yizhan.quality import demo as quality_demo
from yizhan.quality.figures import plan_figures
from yizhan.quality.models import AuditPlan
from yizhan.surveillance import demo as surveillance


def test_the_demo_assessment_and_audit(db):
    surveillance._network()
    assessment_demo.build()
    quality_demo.build()
    assessment_demo.build()  # a second start builds nothing
    quality_demo.build()
    round_ = Round.objects.get(code=assessment_demo.ROUND_CODE)
    assert round_.assessments.count() == 14 + 42 and round_.state == "closed"
    failed = set(Assessment.objects.filter(passed=False).values_list("unit__code", flat=True))
    assert 3 <= len(failed) <= 10
    items = FollowUp.objects.filter(kind="assessment.rectification")
    assert set(items.values_list("unit__code", flat=True)) == failed
    states = set(items.values_list("state", flat=True))
    assert {FollowUpState.OPEN, FollowUpState.DONE, FollowUpState.VERIFIED} <= states
    f = plan_figures(AuditPlan.objects.get(code=quality_demo.PLAN_CODE))
    assert (f["findings"], f["nonconformities"], f["corrective_actions"]["total"]) == (12, 8, 8)
    assert f["corrective_actions"]["open"] == 1 and 0 < f["corrective_actions"]["on_time_share"] < 1
    lines: list[str] = []
    assessment_demo.report(lines.append)
    quality_demo.report(lines.append)
    text = "\n".join(lines)
    assert "不合格" in text and "按条款：" in text and "5.5 设备 1/0" in text
    print(text)
