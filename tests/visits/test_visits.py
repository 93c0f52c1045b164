"""Hardship visits: a visit's 慰问金 and 助学帮困费 are two payments from a ledger budget, posted with the
visit as their source in the visit's transaction; a payment the budget does not cover is refused naming
the amount, and nothing is written; families are registered (resident ID checked) and imported from CSV
with every broken row reported; figures per year, budget and kind come from the ledger."""

import io
from datetime import date

import pytest

from tests.factories import at, only_error
from tests.visits.conftest import resident_id
from yizhan.audit.models import AuditEvent
from yizhan.errors import ImportFailed, InvalidInput, NotPermitted
from yizhan.ledger import posting
from yizhan.ledger.models import Account, AccountKind, Entry
from yizhan.visits.families import import_families
from yizhan.visits.figures import figures
from yizhan.visits.models import Family, Visit
from yizhan.visits.payments import CONSOLATION, STUDY_AID, record_visit


def visit(company, family=None, **kwargs):
    kwargs.setdefault("visited_on", date(2009, 1, 20))
    kwargs.setdefault("visitors", "党委书记 顾建国")
    kwargs.setdefault("budget", company.budget)
    kwargs.setdefault("at", at("2009-01-20 15:00"))
    return record_visit(family or company.zhang, actor=company.officer, **kwargs)


def test_a_visit_posts_each_kind_of_money_to_the_budget_with_the_visit_as_source(company):
    v = visit(company, consolation_fen=30_000, study_aid_fen=50_000)
    entries = Entry.objects.filter(source_type="visits.visit", source_id=str(v.pk)).order_by("id")
    assert [(e.category, e.amount_fen) for e in entries] == [(CONSOLATION, -30_000), (STUDY_AID, -50_000)]
    company.budget.refresh_from_db()
    assert company.budget.balance_fen == 20_000
    assert AuditEvent.objects.filter(action="visits.visit.recorded", object_id=str(v.pk)).exists()


@pytest.mark.parametrize(("consolation", "study_aid", "field"), [
    (150_000, 0, "consolation_fen"),  # the first amount alone overdraws the budget
    (60_000, 50_000, "study_aid_fen"),  # the first fits, the second does not
])
def test_a_payment_over_the_budget_balance_is_refused_naming_the_field(company, consolation, study_aid, field):
    with pytest.raises(InvalidInput) as refused:
        visit(company, consolation_fen=consolation, study_aid_fen=study_aid)
    assert (refused.value.field, refused.value.rule) == (field, "over_budget_balance")
    company.budget.refresh_from_db()
    assert company.budget.balance_fen == 100_000
    assert not Visit.objects.exists()
    assert Entry.objects.filter(source_type="visits.visit").count() == 0


def test_the_budget_must_be_a_budget_of_the_familys_company(company):
    with pytest.raises(NotPermitted) as refused:
        visit(company, consolation_fen=100, budget=company.other_budget)
    assert refused.value.field == "budget"
    fund = Account.objects.create(code="JSPC-FUND", name="基金", kind=AccountKind.FUND, unit=company.company,
                                  opened_on=date(2009, 1, 1))
    with pytest.raises(NotPermitted):
        visit(company, consolation_fen=100, budget=fund)
    with pytest.raises(InvalidInput) as missing:
        visit(company, consolation_fen=100, budget=None)
    assert missing.value.field == "budget"
    assert not Visit.objects.exists()


def test_a_visit_without_money_needs_no_budget_but_needs_visitors_and_a_past_date(company):
    assert visit(company, budget=None).total_fen == 0
    with pytest.raises(InvalidInput) as no_one:
        visit(company, visitors=" ")
    with pytest.raises(InvalidInput) as future:
        visit(company, visited_on=date(2009, 1, 21))
    assert (no_one.value.field, future.value.field) == ("visitors", "visited_on")


def test_figures_per_year_budget_and_kind_count_standing_payments_only(company):
    visit(company, consolation_fen=20_000)
    second = visit(company, company.li, consolation_fen=20_000, study_aid_fen=30_000)
    posting.post(company.budget, 50_000, category="budget_allocation", at=at("2010-01-04 09:00"))
    visit(company, visited_on=date(2010, 2, 1), consolation_fen=30_000, at=at("2010-02-01 10:00"))
    wrong = Entry.objects.get(source_id=str(second.pk), category=STUDY_AID)
    posting.reverse(wrong, reason="重复发放", at=at("2010-02-02 10:00"))
    f = figures(Visit.objects.all())
    assert (f["visits"], f["families"], f["paid_fen"]) == (3, 2, 70_000)
    assert f["by_kind"] == {CONSOLATION: 70_000, STUDY_AID: 0}
    assert {y: (r["visits"], r["paid_fen"]) for y, r in f["by_year"].items()} == {2009: (2, 40_000),
                                                                                   2010: (1, 30_000)}
    assert f["by_budget"]["JSPC-VISIT"]["paid_fen"] == 70_000


def test_a_familys_employee_id_and_household_are_checked(company):
    with pytest.raises(InvalidInput) as bad_id:
        company.family("JS009", "赵军", employee_id=resident_id()[:17] + "0")
    assert bad_id.value.field == "employee_id"
    with pytest.raises(InvalidInput) as twice:
        company.family("JS001", "赵军")
    assert (twice.value.field, twice.value.rule) == ("household_no", "duplicate")


def test_the_family_import_reports_every_broken_row_and_writes_nothing(company):
    good = resident_id(date(1966, 6, 6), 444)
    csv = ("household_no,head_name,employee_name,employee_id,members,reason\n"
           f"JS010,周志明,周志明,{good},4,大病重病\n"
           "JS011,吴桂兰,吴桂兰,310116197003151230,3,illness\n"
           f"JS012,,徐伟,{good},2,student\n"
           f"JS013,孙军,孙军,{good},99,student\n"
           f"JS010,马红梅,马红梅,{good},2,unknown\n")
    with pytest.raises(ImportFailed) as failed:
        import_families(io.StringIO(csv), company.company)
    assert {(e.line, e.field) for e in failed.value.errors} == {
        (3, "employee_id"), (4, "head_name"), (5, "members"), (6, "household_no"), (6, "reason")}
    assert Family.objects.filter(unit=company.company).count() == 2


def test_the_family_import_reads_a_gbk_file_and_updates_by_household(company):
    csv = ("household_no,head_name,employee_name,employee_id,members,reason,address\n"
           f"JS001,张建国,张建国,{resident_id()},5,大病重病,石化街道1号\n"
           f"JS020,郑晓东,郑晓东,{resident_id(date(1988, 12, 12), 555)},2,单亲家庭,\n")
    result = import_families(io.BytesIO(csv.encode("gbk")), company.company)
    assert (result.created, result.updated) == (1, 1)
    company.zhang.refresh_from_db()
    assert (company.zhang.members, company.zhang.address) == (5, "石化街道1号")
    assert Family.objects.get(household_no="JS020").get_reason_display() == "单亲家庭"


def test_the_api_records_a_visit_in_scope_and_refuses_one_over_the_budget(company):
    client = company.api(company.officer)
    body = {"family": company.zhang.pk, "visited_on": "2009-01-20", "visitors": "工会主席", "budget": "JSPC-VISIT",
            "consolation_fen": 30_000, "study_aid_fen": 50_000, "festival": "spring"}
    made = client.post("/api/visits/visits", body)
    assert made.status_code == 201, made.content
    assert made.json()["festival"] == "spring"
    over = client.post("/api/visits/visits", {**body, "consolation_fen": 10_000, "study_aid_fen": 20_000})
    error = only_error(over, 422)
    assert (error["field"], error["rule"]) == ("study_aid_fen", "over_budget_balance")
    other = only_error(client.post("/api/visits/visits", {**body, "family": company.wang.pk}), 404)
    assert other["field"] == "family"
    assert Visit.objects.count() == 1
    f = client.get("/api/visits/figures", year=2009).json()
    assert (f["visits"], f["paid_fen"], f["by_kind"]["visit_study_aid"]) == (1, 80_000, 50_000)
    assert [row["household_no"] for row in company.api(company.other_officer).get("/api/visits/families").json()] \
        == ["BH001"]
    csv = client.get("/api/visits/visits.csv")
    assert "张建国" in csv.content.decode("utf-8-sig") and "500.00" in csv.content.decode("utf-8-sig")


def test_the_api_registers_a_family_checking_the_employee_id(company):
    client = company.api(company.officer)
    body = {"unit": "JSPC", "household_no": "JS030", "head_name": "林丽娟", "employee_name": "林丽娟",
            "employee_id": "310116197003151231", "members": 2, "reason": "disability"}
    assert only_error(client.post("/api/visits/families", body), 422)["field"] == "employee_id"
    assert client.post("/api/visits/families", {**body, "employee_id": resident_id()}).status_code == 201
    assert only_error(company.api(company.other_officer).post(
        "/api/visits/families", {**body, "household_no": "JS031", "employee_id": resident_id()}), 403)["field"] == "unit"


def test_only_the_units_welfare_officer_registers_imports_and_records_whoever_calls(company):
    with pytest.raises(NotPermitted) as visit_refused:
        visit(company, family=company.wang, budget=None)
    assert (visit_refused.value.field, visit_refused.value.rule) == ("family", "welfare_officer_only")
    with pytest.raises(NotPermitted) as import_refused:
        import_families(io.StringIO("household_no,head_name,employee_name,employee_id,members,reason\n"),
                        company.other, actor=company.officer)
    assert import_refused.value.field == "unit"
    assert not Visit.objects.exists()
