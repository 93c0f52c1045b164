from datetime import date

import pytest

from tests.tenants.conftest import resident_id
from yizhan.audit.models import AuditEvent
from yizhan.errors import InvalidInput, NotPermitted
from yizhan.followups.models import FollowUp, FollowUpState
from yizhan.tenants import registry
from yizhan.tenants.models import Lease, Occupancy, Tenant
from yizhan.tenants.obligations import REGISTRATION
from yizhan.tenants.registry import LeaseIn, Person, StayIn, register


def refused(field: str, rule: str, action) -> InvalidInput:
    before = (Lease.objects.count(), Occupancy.objects.count(), Tenant.objects.count(), FollowUp.objects.count())
    with pytest.raises(InvalidInput) as caught:
        action()
    assert (caught.value.field, caught.value.rule) == (field, rule)
    assert (Lease.objects.count(), Occupancy.objects.count(), Tenant.objects.count(),
            FollowUp.objects.count()) == before
    return caught.value


def test_a_lease_registers_the_lessee_living_there_with_a_registration_due(world):
    lease = world.lease(person=world.person("王芳", "510104"))
    stay = lease.occupancies.get()
    assert stay.tenant.province == "51" and stay.moved_in == date(2026, 1, 1)
    item = FollowUp.objects.get(kind=REGISTRATION, subject_id=str(stay.pk))
    assert item.state == FollowUpState.OPEN and item.unit == world.office and "王芳" in item.title
    assert AuditEvent.objects.filter(action="tenants.lease.registered", object_id=str(lease.pk)).exists()


def test_a_lease_ending_before_it_starts_is_refused_naming_end(world):
    refused("end", "end_before_start", lambda: world.lease(start=date(2026, 5, 1), end=date(2026, 4, 30)))


def test_a_room_is_not_leased_twice_for_overlapping_dates(world):
    world.lease("A-101", date(2026, 1, 1), date(2026, 6, 30))
    refused("room", "room_double_leased", lambda: world.lease("A-101", date(2026, 6, 30), date(2026, 12, 31)))
    assert world.lease("A-101", date(2026, 7, 1), date(2026, 12, 31)).start == date(2026, 7, 1)


def test_a_tenant_in_two_rooms_at_once_is_refused_naming_the_tenant(world):
    person = world.person("李雷")
    world.lease("A-101", person=person)
    error = refused("id_number", "tenant_in_two_rooms", lambda: world.lease("A-102", person=person))
    assert "李雷" in error.message and "A-101" in error.message


def test_a_room_is_not_over_occupied(world):
    lease = world.lease("A-101")  # capacity 2, the lessee lives there
    world.move_in(lease, world.person("二号"), date(2026, 2, 1))
    refused("room", "room_over_occupied", lambda: world.move_in(lease, world.person("三号"), date(2026, 3, 1)))


def test_moving_out_frees_the_place_and_cancels_the_registration(world):
    lease = world.lease("A-102")  # capacity 1
    stay = lease.occupancies.get()
    registry.move_out(stay, on=date(2026, 3, 1), actor=world.manager)
    assert FollowUp.objects.get(kind=REGISTRATION).state == FollowUpState.CANCELLED
    later = world.move_in(lease, world.person("后来者"), date(2026, 3, 1))
    assert later.moved_in == date(2026, 3, 1)


def test_a_file_reports_every_broken_item_and_writes_nothing(world):
    same = world.person("韩梅梅")
    items = [
        LeaseIn("H1", "A-101", same, date(2026, 1, 1), date(2026, 12, 31), 100000),
        LeaseIn("H2", "A-102", same, date(2026, 1, 1), date(2026, 12, 31), 100000),  # two rooms
        LeaseIn("H3", "A-S1", Person("坏号", "110105194912310021"), date(2026, 1, 1), date(2026, 12, 31), 1),
        StayIn("NOPE", world.person(), date(2026, 1, 1)),
    ]
    with pytest.raises(Exception) as caught:
        register(items, actor=world.manager, lines=[2, 3, 4, 5])
    assert [(e.line, e.field) for e in caught.value.errors] == [(3, "id_number"), (4, "id_number"), (5, "contract_no")]
    assert Lease.objects.count() == 0 and Tenant.objects.count() == 0


def test_an_unknown_province_code_is_refused(world):
    person = Person("某人", resident_id("990101"))
    refused("id_number", "resident_id_province", lambda: world.lease(person=person))


def test_another_office_cannot_lease_my_rooms(world):
    with pytest.raises(InvalidInput) as caught:
        register([LeaseIn("X", "A-101", world.person(), date(2026, 1, 1), date(2026, 2, 1), 1)], actor=world.manager2)
    assert caught.value.field == "room"
    stay = world.lease().occupancies.get()
    with pytest.raises(NotPermitted):
        registry.move_out(stay, on=date(2026, 2, 1), actor=world.manager2)


def test_ending_a_lease_early_moves_everyone_out_the_next_day(world):
    lease = world.lease("A-101")
    registry.terminate(lease, on=date(2026, 4, 30), reason="退租", actor=world.manager)
    assert lease.occupancies.get().moved_out == date(2026, 5, 1)
    assert world.lease("A-101", date(2026, 5, 1), date(2026, 12, 31)).room.code == "A-101"
