"""A school applies for its pupils; the bureau approves on the clock and pays from the budget; each
pupil counts once per programme and term; ineligible or unknown pupils are refused naming the ID."""

import pytest
from django.db import IntegrityError, transaction

from tests.factories import at
from tests.subsidies.conftest import rid
from yizhan.audit.models import AuditEvent
from yizhan.errors import IllegalTransition, ImportFailed, InvalidInput, NotPermitted
from yizhan.hall.models import CaseState, Outcome
from yizhan.ledger.models import Entry
from yizhan.subsidies import applications
from yizhan.subsidies.models import Batch, BatchState, Grant

SUBMIT = at("2010-11-01 09:00")  # a Monday


def submit(bureau, *numbers, programme=None, school=None, actor=None):
    return applications.apply(programme=programme or bureau.free, term=bureau.term, school=school or bureau.s1,
                              resident_ids=[rid(n) for n in numbers], at=SUBMIT, actor=actor or bureau.clerk1)


def errors_of(exc_info) -> list[tuple[int, str, str]]:
    return [(e.line, e.field, str(e.message)) for e in exc_info.value.errors]


def test_a_batch_is_a_case_on_the_clock_with_the_programmes_promised_limit(bureau):
    batch = submit(bureau, 1, 2, 3)
    assert (batch.pupils, batch.amount_fen, batch.state) == (3, 75_000, BatchState.SUBMITTED)
    case = batch.case
    assert case.state == CaseState.ACCEPTED and case.window == bureau.window
    # Ten working days from Monday 1 November 2010: Monday 15 November, end of day.
    assert case.promised_timer.deadline.date().isoformat() == "2010-11-15"
    assert AuditEvent.objects.filter(action="subsidies.batch.submitted").count() == 1


def test_approval_pays_one_posting_from_the_budget(bureau):
    batch = submit(bureau, 1, 2)
    batch = applications.approve(batch, at=at("2010-11-03 10:00"), actor=bureau.officer)
    assert batch.state == BatchState.PAID
    assert batch.entry.amount_fen == -50_000 and batch.entry.source_id == str(batch.pk)
    bureau.budget.refresh_from_db()
    assert bureau.budget.balance_fen == 1_000_000 - 50_000
    batch.case.refresh_from_db()
    assert (batch.case.state, batch.case.outcome) == (CaseState.COMPLETED, Outcome.APPROVED)
    assert batch.case.promised_timer.stopped_at is not None


def test_a_payment_over_the_balance_is_refused_and_nothing_changes(bureau):
    pupils = [1, 2, 3, 4]
    bureau.free.amount_fen = 300_000
    bureau.free.save()
    batch = submit(bureau, *pupils)  # ¥12,000 asked of a ¥10,000 budget
    with pytest.raises(InvalidInput) as exc:
        applications.approve(batch, at=at("2010-11-03 10:00"), actor=bureau.officer)
    assert exc.value.field == "amount_fen" and exc.value.rule == "balance_not_negative"
    batch.refresh_from_db()
    batch.case.refresh_from_db()
    assert batch.state == BatchState.SUBMITTED and batch.case.state == CaseState.ACCEPTED
    assert not Entry.objects.filter(category=applications.PAYMENT).exists()


def test_a_pupil_is_counted_once_per_programme_and_term(bureau):
    submit(bureau, 1, 2)
    with pytest.raises(ImportFailed) as exc:
        submit(bureau, 3, 2)
    [(line, field, message)] = errors_of(exc)
    assert (line, field) == (2, "resident_id") and rid(2) in message and "只计一次" in message
    assert Batch.objects.count() == 1
    # Another programme or a duplicate within one list
    submit(bureau, 2, programme=bureau.boarding)
    with pytest.raises(ImportFailed) as exc:
        submit(bureau, 4, 4, programme=bureau.boarding)
    assert errors_of(exc)[0][:2] == (2, "resident_id")


def test_the_database_refuses_a_second_counting_whatever_code_writes_it(bureau):
    batch = submit(bureau, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Grant.objects.create(batch=batch, pupil=bureau.pupils[1], programme=bureau.free, term=bureau.term,
                             amount_fen=1, boarder=False)


def test_ineligible_unknown_and_foreign_pupils_are_refused_with_the_rule(bureau):
    with pytest.raises(ImportFailed) as exc:
        applications.apply(programme=bureau.boarding, term=bureau.term, school=bureau.s1,
                           resident_ids=[rid(1), rid(99), rid(11), "429021200001010X1", rid(2)], at=SUBMIT,
                           actor=bureau.clerk1)
    found = errors_of(exc)
    assert [(line, field) for line, field, _m in found] == [(4, "resident_id"), (1, "resident_id"),
                                                            (2, "resident_id"), (3, "resident_id")]
    messages = {line: m for line, _f, m in found}
    assert "不是住宿生" in messages[1] and rid(1) in messages[1]
    assert "没有身份证号为" in messages[2]
    assert "不是本校学生" in messages[3]
    assert not Batch.objects.exists() and not Grant.objects.exists()


def test_remote_and_cold_area_rules(bureau):
    with pytest.raises(ImportFailed) as exc:
        submit(bureau, 1, programme=bureau.transport)
    assert "不是边远乡镇" in errors_of(exc)[0][2]
    assert submit(bureau, 3, programme=bureau.transport).pupils == 1  # S1 pupil living in remote 下谷
    with pytest.raises(ImportFailed) as exc:
        submit(bureau, 1, programme=bureau.heating)
    assert "高寒地区" in errors_of(exc)[0][2]
    assert submit(bureau, 11, 12, programme=bureau.heating, school=bureau.s2, actor=bureau.clerk2).pupils == 2


def test_only_the_schools_clerk_applies_and_only_an_officer_approves(bureau):
    with pytest.raises(NotPermitted):
        submit(bureau, 1, actor=bureau.clerk2)
    batch = submit(bureau, 1)
    with pytest.raises(NotPermitted):
        applications.approve(batch, actor=bureau.clerk1, at=at("2010-11-02 09:00"))
    applications.approve(batch, actor=bureau.officer, at=at("2010-11-02 09:00"))
    with pytest.raises(IllegalTransition):
        applications.approve(batch, actor=bureau.officer, at=at("2010-11-02 10:00"))


def test_a_refusal_is_confirmed_by_a_second_person_and_frees_the_pupils(bureau):
    batch = submit(bureau, 1, 2)
    applications.propose_refusal(batch, reason="名单未公示", legal_basis="资助管理办法第八条", by=bureau.officer,
                                 at=at("2010-11-02 09:00"))
    with pytest.raises(NotPermitted):
        applications.confirm_refusal(batch, by=bureau.officer, at=at("2010-11-02 10:00"))
    batch = applications.confirm_refusal(batch, by=bureau.head, note="同意", at=at("2010-11-02 11:00"))
    assert batch.state == BatchState.REFUSED
    assert batch.case.outcome == Outcome.REFUSED
    assert not batch.grants.filter(counted=True).exists()
    assert submit(bureau, 1, 2).pupils == 2  # applied again, after publication
