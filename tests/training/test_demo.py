"""The quality month's demo: 20 trainings on 35 topics, counted back from the database."""

from yizhan.training import demo as demo
from yizhan.training.models import Session, Topic


def test_the_quality_month_has_20_trainings_on_35_topics(db):
    demo.build(lambda line: None)
    demo.build(lambda line: None)
    assert Session.objects.count() == 20
    assert Topic.objects.filter(sessions__isnull=False).distinct().count() == 35
    assert all(s.date.month in (7, 8) for s in Session.objects.all())
    lines = []
    demo.report(lines.append)
    print("\n".join(lines))
    assert "内部培训 20 场，涵盖专题 35 个" in lines[0]
    assert "出勤" in lines[1]
