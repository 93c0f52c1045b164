from datetime import date, time, timedelta

import pytest
from django.utils import timezone

from yizhan.errors import InvalidInput, NotPermitted
from yizhan.followups import service as followups
from yizhan.followups.models import FollowUp, FollowUpState
from yizhan.tenants import hazards, obligations, patrol
from yizhan.tenants.figures import figures
from yizhan.tenants.hazards import FindingIn
from yizhan.tenants.models import PatrolArea, Shift
from yizhan.tenants.obligations import COMMITMENT, HAZARD, REGISTRATION


def test_registering_the_occupant_closes_the_item_on_time(world):
    stay = world.lease(start=date(2026, 3, 2)).occupancies.get()
    obligations.register_occupant(stay, registered_on=date(2026, 3, 4), permit_note="已递交居住证申请",
                                  actor=world.manager)
    item = FollowUp.objects.get(kind=REGISTRATION)
    assert item.state == FollowUpState.VERIFIED and item.on_time is True
    with pytest.raises(Exception) as caught:
        obligations.register_occupant(stay, registered_on=date(2026, 3, 5), actor=world.manager)
    assert caught.value.field == "registered_on"


def test_a_registration_not_done_in_time_counts_as_overdue(world):
    world.lease(start=date(2026, 1, 5))
    world.lease("A-102", start=timezone.localdate(), end=timezone.localdate() + timedelta(days=300))
    row = figures(world.manager)
    assert row["registrations_open"] == 2 and row["registrations_overdue"] == 1
    assert figures(world.manager2)["registrations_open"] == 0


def test_signing_the_commitment_opens_next_years_renewal(world):
    lease = world.lease("A-S1", date(2025, 1, 1), date(2027, 12, 31))
    first = FollowUp.objects.get(kind=COMMITMENT)
    obligations.sign_commitment(lease, signed_on=date(2025, 1, 8), signer="店主", actor=world.manager)
    first.refresh_from_db()
    assert first.state == FollowUpState.VERIFIED and first.on_time
    renewal = FollowUp.objects.get(kind=COMMITMENT, state=FollowUpState.OPEN)
    assert timezone.localtime(renewal.deadline).date() == date(2026, 1, 8)
    assert figures(world.manager)["commitments_overdue"] == 1  # a year on, not renewed
    with pytest.raises(InvalidInput) as caught:
        obligations.sign_commitment(lease, signed_on=date(2025, 1, 8), signer="店主", actor=world.manager)
    assert caught.value.field == "signed_on"


def test_only_shops_sign_commitments(world):
    lease = world.lease("A-101")
    assert not FollowUp.objects.filter(kind=COMMITMENT).exists()
    with pytest.raises(InvalidInput) as caught:
        obligations.sign_commitment(lease, signed_on=date(2026, 1, 2), signer="某", actor=world.manager)
    assert caught.value.rule == "not_a_shop"


def test_a_hazard_is_fixed_then_verified_by_a_second_person(world):
    check = hazards.record_check(world.flat, checked_on=date(2026, 3, 2), actor=world.manager,
                                 findings=[FindingIn("gas", "燃气软管老化", 3)])
    finding = check.findings.get()
    item = finding.follow_up
    assert item.kind == HAZARD and item.needs_verification
    assert timezone.localtime(item.deadline).date() == date(2026, 3, 5)
    followups.complete(item, note="已更换软管", actor=world.manager)
    with pytest.raises(NotPermitted):
        followups.verify(item, effective=True, note="复查", actor=world.manager)
    assert figures(world.manager)["hazards_open"] == 1


def test_a_finding_without_a_limit_in_range_is_refused_and_nothing_kept(world):
    with pytest.raises(InvalidInput) as caught:
        hazards.record_check(world.flat, checked_on=date(2026, 3, 2), actor=world.manager,
                             findings=[FindingIn("wiring", "私拉电线", 0)])
    assert caught.value.field == "findings.0.fix_days"
    assert not FollowUp.objects.exists() and not world.flat.checks.exists()


def test_the_patrol_logs_its_shift_and_a_hazard_opens_a_fix(world):
    area = PatrolArea.objects.create(unit=world.office, code="A", name="A 区")
    night = Shift.objects.create(unit=world.office, code="N", name="夜班", starts=time(20), ends=time(8))
    today = timezone.localdate()
    entry = patrol.assign(day=today, shift=night, area=area, patroller=world.patroller, actor=world.manager)
    with pytest.raises(InvalidInput) as caught:
        patrol.assign(day=today, shift=night, area=area, patroller=world.patroller, actor=world.manager)
    assert caught.value.field == "patroller"
    with pytest.raises(NotPermitted):
        patrol.log_patrol(entry, note="x", actor=world.manager2)
    patrol.log_patrol(entry, note="楼道正常", actor=world.patroller, incidents=[
        patrol.IncidentIn("wiring", "A-101 门口私拉电线", "A-101", True, 2)])
    assert FollowUp.objects.get(kind=HAZARD).title.startswith("隐患整改：A-101")
    with pytest.raises(Exception) as again:
        patrol.log_patrol(entry, note="再记", actor=world.patroller)
    assert again.value.field == "entry"
