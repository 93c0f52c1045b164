"""The bureau's demo is built through the engine and its report prints the figures from the database."""

from yizhan.hall.models import Case, CaseState
from yizhan.ledger.models import Entry
from yizhan.subsidies import demo as demo
from yizhan.subsidies.models import Batch, BatchState, Grant


def test_the_demo_builds_once_and_reports_per_township(db):
    demo.build(lambda line: None)
    demo.build(lambda line: None)  # idempotent
    assert Batch.objects.count() == Batch.objects.filter(state=BatchState.PAID).count() > 40
    assert Case.objects.filter(subsidy_batch__isnull=False, state=CaseState.COMPLETED).count() == Batch.objects.count()
    # Decided within the promised limit, every one of them
    assert all(b.decided_at <= b.case.promised_timer.deadline for b in Batch.objects.select_related(
        "case__promised_timer"))
    paid = -sum(Entry.objects.filter(category="subsidy_payment").values_list("amount_fen", flat=True))
    assert paid == sum(Grant.objects.values_list("amount_fen", flat=True))
    lines = []
    demo.report(lines.append)
    text = "\n".join(lines)
    print(text)
    assert "九湖镇" in text and "合计" in text and "2011年春季学期" in text
    assert f"{paid // 100:,}" in text
