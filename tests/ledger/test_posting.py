"""A ledger can only be appended to: postings keep the balance at or above zero, a correction is a
reversing entry, and the database refuses to edit or delete an entry."""

import threading

import pytest
from django.db import DatabaseError, IntegrityError, OperationalError, connection, transaction

from tests.factories import at, only_error
from tests.ledger.conftest import Fund
from yizhan.audit.models import AuditEvent
from yizhan.errors import IllegalTransition, InvalidInput
from yizhan.ledger import posting
from yizhan.ledger.models import Account, Entry
from yizhan.ledger.money import parse_yuan, yuan


def test_contributions_and_payments_keep_a_running_balance(fund):
    posting.post(fund.account, 8_000_000, category="staff_contribution", party="职工捐款", at=at("2009-02-01 10:00"))
    posting.post(fund.account, 11_000_000, category="company_grant", party="公司拨款", at=at("2009-02-02 10:00"))
    paid = posting.post(fund.account, -3_000_000, category="relief_payment", party="王某",
                        at=at("2009-03-01 10:00"))
    fund.account.refresh_from_db()
    assert fund.account.balance_fen == 16_000_000 == paid.balance_after_fen
    assert posting.totals(fund.account.entries.all()) == {
        "company_grant": 11_000_000, "relief_payment": -3_000_000, "staff_contribution": 8_000_000}
    assert posting.balance_at(fund.account, at("2009-02-01 23:00")) == 8_000_000
    assert AuditEvent.objects.filter(action="ledger.entry.posted").count() == 3


def test_a_payment_over_the_balance_is_refused_and_nothing_is_written(fund):
    posting.post(fund.account, 100_00, category="staff_contribution", at=at("2009-02-01 10:00"))
    with pytest.raises(InvalidInput) as caught:
        posting.post(fund.account, -100_01, category="relief_payment", at=at("2009-02-02 10:00"))
    assert (caught.value.field, caught.value.rule) == ("amount_fen", "balance_not_negative")
    assert "100.00" in caught.value.message
    fund.account.refresh_from_db()
    assert fund.account.balance_fen == 100_00
    assert Entry.objects.count() == 1


@pytest.mark.parametrize(("amount", "rule"), [(0, "amount_positive"), (10**13, "amount_max"), (1.5, "amount_format"),
                                              (True, "amount_format")])
def test_bad_amounts_name_the_field(fund, amount, rule):
    with pytest.raises(InvalidInput) as caught:
        posting.post(fund.account, amount, category="x")
    assert (caught.value.field, caught.value.rule) == ("amount_fen", rule)


def test_entries_are_booked_in_time_order(fund):
    posting.post(fund.account, 500, category="c", at=at("2009-02-02 10:00"))
    with pytest.raises(InvalidInput) as caught:
        posting.post(fund.account, 500, category="c", at=at("2009-02-01 10:00"))
    assert caught.value.rule == "booked_in_order"


def test_a_correction_is_a_reversing_entry_once(fund):
    entry = posting.post(fund.account, 5_000, category="staff_contribution", at=at("2009-02-01 10:00"))
    reversal = posting.reverse(entry, reason="重复录入", at=at("2009-02-01 11:00"))
    assert (reversal.amount_fen, reversal.balance_after_fen, reversal.reverses_id) == (-5_000, 0, entry.pk)
    with pytest.raises(IllegalTransition) as again:
        posting.reverse(entry, reason="再冲一次", at=at("2009-02-01 12:00"))
    assert again.value.rule == "already_reversed"
    with pytest.raises(IllegalTransition) as of_reversal:
        posting.reverse(reversal, reason="冲销冲销", at=at("2009-02-01 12:00"))
    assert of_reversal.value.rule == "reversal_of_reversal"
    assert posting.net_of(fund.account.entries.all()).count() == 0


def test_reversing_a_contribution_already_spent_is_refused(fund):
    entry = posting.post(fund.account, 5_000, category="staff_contribution", at=at("2009-02-01 10:00"))
    posting.post(fund.account, -4_000, category="relief_payment", at=at("2009-02-02 10:00"))
    with pytest.raises(InvalidInput) as caught:
        posting.reverse(entry, reason="退款", at=at("2009-02-03 10:00"))
    assert caught.value.rule == "balance_not_negative"


@pytest.mark.parametrize("sql", ["UPDATE ledger_entry SET amount_fen = 1", "DELETE FROM ledger_entry"])
def test_the_database_refuses_to_edit_or_delete_entries(fund, sql):
    posting.post(fund.account, 5_000, category="staff_contribution", at=at("2009-02-01 10:00"))
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    assert Entry.objects.get().amount_fen == 5_000


def test_the_database_refuses_a_negative_balance_whatever_writes_it(fund):
    with pytest.raises(IntegrityError), transaction.atomic():
        Account.objects.filter(pk=fund.account.pk).update(balance_fen=-1)


@pytest.mark.django_db(transaction=True)
def test_two_payments_at_once_cannot_overdraw_the_fund(django_user_model):
    fund = Fund(django_user_model)
    posting.post(fund.account, 10_000, category="staff_contribution", at=at("2009-02-01 10:00"))
    outcomes: list[str] = []
    barrier = threading.Barrier(4)

    def pay() -> None:
        try:
            barrier.wait()
            posting.post(Account.objects.get(pk=fund.account.pk), -6_000, category="relief_payment",
                         at=at("2009-02-02 10:00"))
            outcomes.append("paid")
        except InvalidInput as exc:
            outcomes.append(exc.rule)
        except OperationalError:
            outcomes.append("locked")  # SQLite: another writer held the database past the timeout
        finally:
            connection.close()

    threads = [threading.Thread(target=pay) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if connection.vendor == "sqlite":
        # SQLite serialises writers; one that finds the database locked fails cleanly, none overdraws.
        assert outcomes.count("paid") <= 1 and set(outcomes) <= {"paid", "balance_not_negative", "locked"}
    else:
        assert sorted(outcomes) == ["balance_not_negative"] * 3 + ["paid"]
    fund.account.refresh_from_db()
    assert fund.account.balance_fen == 10_000 - 6_000 * outcomes.count("paid") >= 0


def test_money_parsing_and_formatting():
    assert parse_yuan("¥1,234.5") == 123_450
    assert yuan(123_450) == "1,234.50" and yuan(-5) == "-0.05"
    for text, rule in [("1.234", "amount_precision"), ("-1", "amount_negative"), ("abc", "amount_format"),
                       ("NaN", "amount_format")]:
        with pytest.raises(InvalidInput) as caught:
            parse_yuan(text, field="amount")
        assert (caught.value.field, caught.value.rule) == ("amount", rule)


def test_the_api_shows_accounts_in_scope_and_lets_only_the_treasurer_post(fund):
    treasurer, member, stranger = fund.api(fund.treasurer), fund.api(fund.member), fund.api(fund.stranger)
    assert [a["code"] for a in stranger.get("/api/ledger/accounts").json()] == []
    assert stranger.get("/api/ledger/accounts/CAT-FUND").status_code == 404
    created = treasurer.post("/api/ledger/accounts/CAT-FUND/entries",
                             {"amount_fen": 8_000, "category": "staff_contribution", "party": "张三"})
    assert created.status_code == 201 and created.json()["balance_after_fen"] == 8_000
    assert only_error(member.post("/api/ledger/accounts/CAT-FUND/entries",
                                  {"amount_fen": 1, "category": "x"}), 403)["rule"] == "treasurer_only"
    over = treasurer.post("/api/ledger/accounts/CAT-FUND/entries", {"amount_fen": -9_000, "category": "relief_payment"})
    assert only_error(over, 422)["field"] == "amount_fen"
    reversed_ = treasurer.post(f"/api/ledger/entries/{created.json()['id']}/reverse", {"reason": "录错"})
    assert reversed_.status_code == 201 and reversed_.json()["amount_fen"] == -8_000
    listed = member.get("/api/ledger/accounts/CAT-FUND/entries").json()
    assert [e["amount_fen"] for e in listed] == [8_000, -8_000]
    assert listed[0]["reversed_by"] == reversed_.json()["id"]
