"""The demo fund is built through the services and its report reads the seed's figures from the
ledger and the cases."""

from yizhan.hall.models import CaseState, Outcome
from yizhan.ledger.models import Entry
from yizhan.relief import demo as demo
from yizhan.relief.models import Application, ApplicationState, Contribution, Fund
from yizhan.relief.report import fund_report


def test_the_demo_fund_has_the_seeds_figures(db):
    demo.build(lambda line: None)
    demo.build(lambda line: None)  # idempotent
    fund = Fund.objects.get(code=demo.FUND)
    entries = Entry.objects.filter(account=fund.account)
    staff = sum(entries.filter(category="staff_contribution").values_list("amount_fen", flat=True))
    company = sum(entries.filter(category="company_grant").values_list("amount_fen", flat=True))
    paid = -sum(entries.filter(category="relief_payment").values_list("amount_fen", flat=True))
    assert Contribution.objects.filter(fund=fund, kind="staff").count() == 812
    assert 8_000_000 <= staff < 9_000_000 and 11_000_000 <= company < 12_000_000
    assert staff + company == 20_000_000
    assert paid == 14_000_000
    helped = Application.objects.filter(fund=fund, state=ApplicationState.PAID)
    assert helped.values("member").distinct().count() == 5
    assert all(a.case.state == CaseState.COMPLETED and a.case.outcome == Outcome.APPROVED for a in helped)
    assert all(a.paid_at <= a.case.promised_timer.deadline for a in helped)
    assert Application.objects.get(state=ApplicationState.REFUSED).case.outcome == Outcome.REFUSED
    figures = fund_report(fund)
    assert (figures.staff_contributors, figures.members_helped, figures.balance_fen) == (812, 5, 6_000_000)
    lines = []
    demo.report(lines.append)
    text = "\n".join(lines)
    print(text)
    assert "812 人，¥81,300.00" in text and "¥118,700.00" in text and "¥200,000.00" in text
    assert "5 人（5 笔），支付 ¥140,000.00" in text
