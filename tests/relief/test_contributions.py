"""Contributions into the fund: one by one, from a CSV file (every broken line named, nothing
written), corrected by a reversing entry, and the ledger exported."""

import io

import pytest

from tests.factories import at
from yizhan.errors import IllegalTransition, ImportFailed, InvalidInput, NotPermitted
from yizhan.ledger.models import Entry
from yizhan.relief import contributions
from yizhan.relief.models import Contribution, ContributionKind
from yizhan.relief.report import fund_report


def csv_file(text: str) -> io.BytesIO:
    return io.BytesIO(text.encode("utf-8"))


def test_a_staff_contribution_is_a_ledger_entry(bh):
    c = contributions.contribute(bh.fund, kind=ContributionKind.STAFF, amount_fen=10_000, contributor="张师傅",
                                 staff_no="E001", at=at("2011-03-02 10:00"), actor=bh.treasurer)
    assert c.entry.amount_fen == 10_000 and c.entry.category == "staff_contribution"
    assert bh.balance() == 20_010_000


def test_only_the_treasurer_records_contributions(bh):
    with pytest.raises(NotPermitted):
        contributions.contribute(bh.fund, kind=ContributionKind.STAFF, amount_fen=100, contributor="张",
                                 actor=bh.chair)


def test_a_correction_is_a_reversing_entry_and_the_report_nets_it_out(bh):
    wrong = contributions.contribute(bh.fund, kind=ContributionKind.STAFF, amount_fen=100_000, contributor="李",
                                     at=at("2011-03-02 10:00"), actor=bh.treasurer)
    reversal = contributions.correct(wrong, reason="金额录错", at=at("2011-03-02 11:00"), actor=bh.treasurer)
    assert reversal.reverses == wrong.entry and reversal.amount_fen == -100_000
    assert bh.balance() == 20_000_000
    report = fund_report(bh.fund)
    assert report.staff_fen == 8_000_000 and report.staff_contributors == 800
    with pytest.raises(IllegalTransition):
        contributions.correct(wrong, reason="再冲一次", at=at("2011-03-02 12:00"), actor=bh.treasurer)


def test_a_contribution_already_spent_cannot_be_reversed(bh):
    from yizhan.relief import applications

    bh.rules.ceiling_per_person_fen = bh.rules.ceiling_per_year_fen = 20_000_000
    bh.rules.save()
    application = applications.approve(bh.apply(1), amount_fen=19_000_000, at=at("2011-03-08 10:00"),
                                       actor=bh.chair)
    applications.pay(application, at=at("2011-03-08 11:00"), actor=bh.treasurer)
    grant = Contribution.objects.get(kind=ContributionKind.COMPANY)
    with pytest.raises(InvalidInput) as refused:
        contributions.correct(grant, reason="撤回", at=at("2011-03-09 10:00"), actor=bh.treasurer)
    assert refused.value.rule == "balance_not_negative"
    assert bh.balance() == 1_000_000


def test_import_books_every_row(bh):
    n = contributions.import_contributions(bh.fund, csv_file(
        "kind,contributor,amount,staff_no,contributors,received_on\n"
        "staff,张师傅,100,E001,,2011-03-02\n"
        "staff,李师傅,80.50,E002,,2011-03-02\n"
        "union,公司工会,\"1,000\",,12,2011-03-03\n"
        "company,渤海餐饮有限公司,500,,,2011-03-03\n"), at=at("2011-03-04 09:00"), actor=bh.treasurer)
    assert n == 4
    assert bh.balance() == 20_000_000 + 10_000 + 8_050 + 100_000 + 50_000
    assert fund_report(bh.fund).staff_contributors == 800 + 2 + 12


@pytest.mark.parametrize(("row", "field"), [
    ("bogus,张,100,,,", "kind"),
    ("staff,,100,,,", "contributor"),
    ("staff,张,-5,,,", "amount"),
    ("staff,张,1.234,,,", "amount"),
    ("staff,张,abc,,,", "amount"),
    ("staff,张,100,,3,", "contributors"),
    ("union,工会,100,,x,", "contributors"),
    ("staff,张,100,,,2011-02-30", "received_on"),
    ("staff,张,100,,,2011-02-01", "received_on"),  # before the ledger's last entry
    ("staff,张,100,,,2011-04-01", "received_on"),  # after today
])
def test_a_broken_row_is_named_by_line_and_field_and_nothing_is_written(bh, row, field):
    before = (Entry.objects.count(), Contribution.objects.count())
    with pytest.raises(ImportFailed) as refused:
        contributions.import_contributions(bh.fund, csv_file(
            "kind,contributor,amount,staff_no,contributors,received_on\n"
            "staff,张师傅,100,E001,,2011-03-02\n" + row + "\n"), at=at("2011-03-04 09:00"), actor=bh.treasurer)
    assert [(e.line, e.field) for e in refused.value.errors] == [(3, field)]
    assert (Entry.objects.count(), Contribution.objects.count()) == before


def test_a_missing_column_is_refused(bh):
    with pytest.raises(ImportFailed) as refused:
        contributions.import_contributions(bh.fund, csv_file("kind,contributor\nstaff,张\n"), actor=bh.treasurer)
    assert refused.value.errors[0].field == "amount"


def test_the_ledger_export_lists_every_entry_with_its_balance(bh):
    out = io.StringIO()
    assert contributions.export_ledger(bh.fund, out) == 2
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("id,booked_at,category")
    assert lines[2].split(",")[5:7] == ["120000.00", "200000.00"]


def test_a_contributor_written_as_a_formula_is_exported_as_text(bh, client):
    contributions.contribute(bh.fund, kind=ContributionKind.COMPANY, amount_fen=100, contributor="=HYPERLINK(\"x\")",
                             at=at("2011-03-02 10:00"), actor=bh.treasurer)
    out = io.StringIO()
    contributions.export_ledger(bh.fund, out)
    assert "'=HYPERLINK" in out.getvalue() and ",=HYPERLINK" not in out.getvalue()
    client.force_login(bh.treasurer)
    screen = client.get("/relief/BH-RELIEF/?export=csv&table=relief-ledger-BH-RELIEF").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in screen
