"""The fund's rules at work: who may be helped, how much, by whom, and what the ledger shows."""

import pytest

from tests.factories import at
from tests.relief.conftest import rid
from yizhan.audit.models import AuditEvent
from yizhan.errors import IllegalTransition, InvalidInput, NotPermitted
from yizhan.hall.models import CaseState, Outcome
from yizhan.ledger.models import Entry
from yizhan.relief import applications
from yizhan.relief.models import Application, ApplicationState


def counts():
    return Application.objects.count(), Entry.objects.count(), AuditEvent.objects.count()


def test_an_application_approved_and_paid_moves_the_balance_and_completes_the_case(bh):
    application = bh.apply(1)
    assert application.case.state == CaseState.ACCEPTED  # materials complete: accepted at once
    assert application.case.promised_timer is not None
    applications.approve(application, amount_fen=2_500_000, note="同意", at=at("2011-03-09 10:00"), actor=bh.chair)
    assert bh.balance() == 20_000_000  # approval promises, payment moves the money
    assert applications.available(bh.fund) == 17_500_000
    applications.pay(application, at=at("2011-03-10 10:00"), actor=bh.treasurer)
    application.refresh_from_db()
    assert application.state == ApplicationState.PAID
    assert application.entry.amount_fen == -2_500_000 and application.entry.party == "会员1"
    assert application.case.state == CaseState.COMPLETED and application.case.outcome == Outcome.APPROVED
    assert bh.balance() == 17_500_000


def test_missing_materials_wait_for_the_one_time_notice_and_the_supplement(bh):
    application = bh.apply(2, materials=["救助申请表"])
    assert application.case.state == CaseState.SUBMITTED
    with pytest.raises(IllegalTransition) as refused:
        applications.approve(application, amount_fen=1_000_000, at=at("2011-03-08 10:00"), actor=bh.chair)
    assert refused.value.field == "materials"
    notice = applications.notice(application, at=at("2011-03-07 10:00"), actor=bh.welfare)
    assert [i.name for i in notice.items.all()] == ["医保重大疾病认定证明", "医疗费用票据"]
    applications.supplement(application, ["医保重大疾病认定证明", "医疗费用票据"], at=at("2011-03-08 09:00"),
                            actor=bh.welfare)
    application.case.refresh_from_db()
    assert application.case.state == CaseState.ACCEPTED
    applications.approve(application, amount_fen=1_000_000, at=at("2011-03-08 10:00"), actor=bh.chair)


@pytest.mark.parametrize(("resident_id", "changes", "field", "rule"), [
    (rid(99), {}, "resident_id", "unknown_member"),
    ("120101197001010011", {}, "resident_id", "resident_id_checksum"),
    (rid(1), {"illness": "高血压"}, "illness", "illness_not_recognised"),
    (rid(1), {"certificate_no": ""}, "certificate_no", "certificate_required"),
    (rid(1), {"requested_fen": 0}, "requested_fen", "amount_positive"),
    (rid(1), {"materials": ["身份证"]}, "materials", "unknown_material"),
])
def test_bad_applications_are_refused_naming_the_field_and_nothing_is_written(bh, resident_id, changes, field, rule):
    before = counts()
    kwargs = {"illness": "恶性肿瘤", "certificate_no": "YB-1", "requested_fen": 100_000,
              "materials": ["救助申请表"], **changes}
    with pytest.raises(InvalidInput) as refused:
        applications.apply(fund=bh.fund, resident_id=resident_id, at=at("2011-03-07 09:00"), actor=bh.welfare,
                           **kwargs)
    assert refused.value.field == field
    if rule != "resident_id_checksum":
        assert refused.value.rule == rule
    assert counts() == before


def test_the_ceiling_per_person_counts_the_whole_year(bh):
    first = bh.apply(1)
    applications.approve(first, amount_fen=2_000_000, at=at("2011-03-08 10:00"), actor=bh.chair)
    second = bh.apply(1, when="2011-03-09 09:00", illness="尿毒症")
    before = counts()
    with pytest.raises(InvalidInput) as refused:
        applications.approve(second, amount_fen=1_000_001, at=at("2011-03-09 10:00"), actor=bh.chair)
    assert (refused.value.field, refused.value.rule) == ("amount_fen", "over_person_ceiling")
    assert counts() == before
    second.refresh_from_db()
    assert second.state == ApplicationState.SUBMITTED and second.case.state == CaseState.ACCEPTED
    applications.approve(second, amount_fen=1_000_000, at=at("2011-03-09 10:00"), actor=bh.chair)


def test_the_ceiling_per_year_of_the_fund(bh):
    for n in range(1, 6):
        applications.approve(bh.apply(n), amount_fen=3_000_000, at=at("2011-03-08 10:00"), actor=bh.chair)
    sixth = bh.apply(6)
    with pytest.raises(InvalidInput) as refused:
        applications.approve(sixth, amount_fen=100, at=at("2011-03-08 11:00"), actor=bh.chair)
    assert refused.value.rule == "over_year_ceiling"


def test_no_approval_beyond_what_the_fund_can_pay(bh):
    bh.rules.ceiling_per_year_fen = 50_000_000
    bh.rules.ceiling_per_person_fen = 50_000_000
    bh.rules.save()
    applications.approve(bh.apply(1), amount_fen=15_000_000, at=at("2011-03-08 10:00"), actor=bh.chair)
    second = bh.apply(2)
    before = counts()
    with pytest.raises(InvalidInput) as refused:
        applications.approve(second, amount_fen=5_000_001, at=at("2011-03-08 11:00"), actor=bh.chair)
    assert (refused.value.field, refused.value.rule) == ("amount_fen", "over_balance")
    assert "50,000.00" in refused.value.message
    assert counts() == before
    assert bh.balance() == 20_000_000


def test_a_refusal_needs_a_second_member_of_the_committee(bh):
    application = bh.apply(3)
    applications.propose_refusal(application, reason="病种不符", legal_basis="管理办法第五条", by=bh.chair,
                                 at=at("2011-03-08 10:00"))
    with pytest.raises(NotPermitted) as same:
        applications.confirm_refusal(application, by=bh.chair, at=at("2011-03-08 11:00"))
    assert same.value.rule == "second_person"
    with pytest.raises(NotPermitted):
        applications.confirm_refusal(application, by=bh.treasurer, at=at("2011-03-08 11:00"))
    applications.confirm_refusal(application, by=bh.member, note="同意", at=at("2011-03-08 11:00"))
    application.refresh_from_db()
    assert application.state == ApplicationState.REFUSED
    assert application.case.state == CaseState.COMPLETED and application.case.outcome == Outcome.REFUSED
    assert bh.balance() == 20_000_000


def test_a_refusal_sent_back_lets_the_committee_approve(bh):
    application = bh.apply(4)
    applications.propose_refusal(application, reason="材料存疑", legal_basis="第五条", by=bh.chair,
                                 at=at("2011-03-08 10:00"))
    applications.reject_refusal(application, by=bh.member, note="材料已核实", at=at("2011-03-08 11:00"))
    applications.approve(application, amount_fen=500_000, at=at("2011-03-08 12:00"), actor=bh.member)
    application.refresh_from_db()
    assert application.state == ApplicationState.APPROVED


def test_only_the_committee_decides_and_only_the_treasurer_pays(bh):
    application = bh.apply(1)
    with pytest.raises(NotPermitted):
        applications.approve(application, amount_fen=100_000, at=at("2011-03-08 10:00"), actor=bh.treasurer)
    with pytest.raises(NotPermitted):
        applications.approve(application, amount_fen=100_000, at=at("2011-03-08 10:00"), actor=bh.outsider)
    applications.approve(application, amount_fen=100_000, at=at("2011-03-08 10:00"), actor=bh.chair)
    with pytest.raises(NotPermitted):
        applications.pay(application, at=at("2011-03-08 11:00"), actor=bh.chair)
    with pytest.raises(IllegalTransition):
        applications.approve(application, amount_fen=100_000, at=at("2011-03-08 10:00"), actor=bh.chair)


def test_rules_version_in_force_is_the_one_applied(bh):
    from tests.relief.conftest import rules_file
    from yizhan.relief.rules import load_rules

    load_rules(rules_file(version="2011-1", effective_from="2011-03-08", illnesses=["恶性肿瘤", "尿毒症", "白血病"]))
    with pytest.raises(InvalidInput):
        bh.apply(1, illness="白血病")  # 7 March: the 2009 rules
    application = bh.apply(1, illness="白血病", when="2011-03-08 09:00")
    assert application.rules.version == "2011-1"


@pytest.mark.parametrize(("changes", "field"), [
    ({"fund": "NOPE"}, "fund"), ({"illnesses": []}, "illnesses"), ({"materials": ["a", "a"]}, "materials"),
    ({"ceiling_per_person_fen": 0}, "ceiling_per_person_fen"), ({"ceiling_per_year_fen": 100}, "ceiling_per_person_fen"),
    ({"effective_from": "2009-13-01"}, "effective_from"), ({"title": ""}, "title"),
])
def test_bad_rules_files_are_refused_naming_the_field(bh, changes, field):
    from tests.relief.conftest import rules_file
    from yizhan.relief.models import Rules
    from yizhan.relief.rules import load_rules

    with pytest.raises(InvalidInput) as refused:
        load_rules(rules_file(version="X", **changes))
    assert refused.value.field == field
    assert Rules.objects.count() == 1


def test_no_route_can_spend_what_is_approved_and_not_yet_paid(bh):
    """¥200,000 in the fund, ¥25,000 approved: a treasurer's payout through the ledger API and the
    reversal of a contribution may use the ¥175,000 left, not a fen more, and the approved application
    can still be paid."""
    from yizhan.relief import contributions
    from yizhan.relief.models import Contribution

    application = bh.apply(1)
    applications.approve(application, amount_fen=2_500_000, at=at("2011-03-09 10:00"), actor=bh.chair)
    api = bh.api(bh.treasurer)
    too_much = api.post("/api/ledger/accounts/BH-RELIEF/entries", {"amount_fen": -17_500_001, "category": "other"})
    assert too_much.status_code == 422 and too_much.json()["errors"][0]["rule"] == "available_not_negative"
    assert api.post("/api/ledger/accounts/BH-RELIEF/entries",
                    {"amount_fen": -10_000_000, "category": "other"}).status_code == 201
    assert applications.available(bh.fund) == 7_500_000 and bh.balance() == 10_000_000
    union = Contribution.objects.get(contributor="公司工会")  # ¥80,000: the balance would hold, the promise not
    with pytest.raises(InvalidInput) as reversal:
        contributions.correct(union, reason="重复记账", actor=bh.treasurer)
    assert reversal.value.rule == "available_not_negative" and bh.balance() == 10_000_000
    applications.pay(application, actor=bh.treasurer)  # now: after the treasurer's payout
    assert bh.balance() == 7_500_000 and applications.available(bh.fund) == 7_500_000
