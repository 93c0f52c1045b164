import io

import pytest

from tests.tenants.conftest import resident_id
from yizhan.audit.models import AuditEvent
from yizhan.errors import ImportFailed, NotPermitted
from yizhan.tenants import csv_io
from yizhan.tenants.models import Lease, Occupancy, Room, Tenant

LESSEE = resident_id("510104", seq=201)
OCCUPANT = resident_id("340102", seq=202)


def test_rooms_are_imported_and_updated_by_building_and_number(world):
    text = "building,building_name,number,kind,capacity\nB,B 幢,201,flat,3\nB,B 幢,S2,商铺,1\n"
    assert str(csv_io.import_rooms(io.StringIO(text), unit=world.office, actor=world.manager)) == "新增 2 条，更新 0 条"
    assert Room.objects.get(code="B-S2").kind == "shop"
    result = csv_io.import_rooms(io.StringIO("building,number,kind,capacity\nB,201,flat,4\n"), unit=world.office)
    assert (result.created, result.updated) == (0, 1) and Room.objects.get(code="B-201").capacity == 4


def test_a_broken_rooms_file_reports_each_line_and_writes_nothing(world):
    text = ("building,number,kind,capacity\n"
            "B,201,flat,3\n"
            "B,201,flat,2\n"      # twice
            "B,202,house,2\n"     # unknown kind
            "B,203,flat,-1\n"     # negative
            "A,,flat,2\n")        # no number
    with pytest.raises(ImportFailed) as caught:
        csv_io.import_rooms(io.StringIO(text), unit=world.office, actor=world.manager)
    assert [(e.line, e.field) for e in caught.value.errors] == [(3, "number"), (4, "kind"), (5, "capacity"),
                                                              (6, "number")]
    assert not Room.objects.filter(building__code="B").exists()


def test_another_offices_manager_cannot_import_into_mine(world):
    with pytest.raises(NotPermitted) as caught:
        csv_io.import_rooms(io.StringIO("building,number,kind\nB,1,flat\n"), unit=world.office, actor=world.manager2)
    assert caught.value.field == "unit"


def test_leases_and_occupants_come_in_one_file(world):
    text = ("role,contract_no,room,name,id_number,phone,start,end,rent_yuan,deposit_yuan,moved_in,registered_on\n"
            f"承租人,F-1,A-101,周一,{LESSEE},13812345678,2026-01-01,2026-12-31,1500,3000,,2026-01-03\n"
            f"同住人,F-1,,吴二,{OCCUPANT},,,,,,2026-02-01,\n")
    result = csv_io.import_leases(io.StringIO(text), actor=world.manager)
    assert (len(result.leases), len(result.stays), result.tenants_created) == (1, 2, 2)
    assert Lease.objects.get().rent_fen == 150000
    assert Occupancy.objects.filter(registered_on__isnull=True).count() == 1


def test_a_broken_leases_file_names_line_and_field_and_writes_nothing(world):
    text = ("role,contract_no,room,name,id_number,start,end,rent_yuan,moved_in\n"
            f"lessee,F-1,A-101,周一,{LESSEE},2026-01-01,2026-12-31,1500,\n"
            f"lessee,F-2,A-102,周一,{LESSEE},2026-01-01,2026-12-31,1500,\n"        # same person, two rooms
            f"lessee,F-3,A-S1,郑三,{OCCUPANT},2026-06-01,2026-05-01,1500,\n"       # ends before it starts
            "lessee,F-4,A-9,某,123,2026-01-01,2026-02-01,abc,\n"                   # bad rent (and more)
            f"boss,F-5,A-9,某,{OCCUPANT},2026-01-01,2026-02-01,1,\n")             # unknown role
    with pytest.raises(ImportFailed) as caught:
        csv_io.import_leases(io.StringIO(text), actor=world.manager)
    found = [(e.line, e.field) for e in caught.value.errors]
    assert (3, "id_number") in found and (4, "end") in found and (5, "rent_yuan") in found and (6, "role") in found
    assert (2, "id_number") not in found
    assert not Lease.objects.exists() and not Tenant.objects.exists()


def test_the_export_leaves_ids_out_unless_the_user_manages_the_tenant(world):
    world.lease("A-101")
    tenant = Tenant.objects.get()
    mine = csv_io.tenants_table(world.manager, day=Lease.objects.get().start)
    assert mine.rows[0][1] == tenant.id_number
    theirs = csv_io.tenants_table(world.patroller, day=Lease.objects.get().start)
    assert theirs.rows[0][1] == "" and "*" in theirs.rows[0][2]
    assert csv_io.tenants_table(world.manager2, day=Lease.objects.get().start).rows == []
    csv_io.record_export(world.manager, mine)
    assert AuditEvent.objects.get(action="tenants.exported").changes["id_numbers"] == 1
