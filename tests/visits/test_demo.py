"""The demo's hardship visits: built through the services, they reproduce the seed's figures — 486
visits in three years, ¥145,000 paid — and a second build adds nothing."""

from yizhan.ledger.models import Entry
from yizhan.visits import demo as demo
from yizhan.visits.models import Visit


def test_the_demo_reproduces_the_seeds_visits_and_amounts(db):
    demo.build(lambda _line: None)
    demo.build(lambda _line: None)
    lines: list[str] = []
    demo.report(lines.append)
    assert "2008–2010 年走访 486 次" in lines[0] and "发放 ¥145,000.00" in lines[0]
    assert Visit.objects.count() == 486 and Visit.objects.filter(visited_on__gte="2010-03-01").count() == 0
    assert -sum(Entry.objects.filter(source_type="visits.visit").values_list("amount_fen", flat=True)) == 14_500_000
