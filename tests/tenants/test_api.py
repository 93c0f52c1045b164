from datetime import date

from tests.factories import only_error
from tests.tenants.conftest import resident_id
from yizhan.audit.models import AuditEvent
from yizhan.tenants.models import Lease, Tenant

LEASE = {"contract_no": "HT-1", "room": "A-101", "name": "赵六", "id_number": resident_id("350102"),
         "phone": "13912345678", "start": "2026-01-01", "end": "2026-12-31", "rent_fen": 120000,
         "deposit_fen": 240000}


def test_the_manager_registers_a_lease_and_sees_the_figures(world):
    api = world.api(world.manager)
    response = api.post("/api/tenants/leases", LEASE)
    assert response.status_code == 201, response.content
    assert response.json()["room"] == "A-101"
    figures = api.get("/api/tenants/figures", ).json()
    assert figures["rooms"] == 3 and figures["by_province"][0]["name"] == "福建省"
    rooms = {r["code"]: r for r in api.get("/api/tenants/rooms").json()}
    assert rooms["A-101"]["lease"] == "HT-1"


def test_a_lease_ending_before_it_starts_is_refused_and_nothing_written(world):
    error = only_error(world.api(world.manager).post("/api/tenants/leases", {**LEASE, "end": "2025-12-31"}), 422)
    assert (error["field"], error["rule"]) == ("end", "end_before_start")
    assert not Lease.objects.exists() and not Tenant.objects.exists()


def test_a_tenant_already_living_elsewhere_is_refused(world):
    api = world.api(world.manager)
    api.post("/api/tenants/leases", LEASE)
    error = only_error(api.post("/api/tenants/leases", {**LEASE, "contract_no": "HT-2", "room": "A-102"}), 422)
    assert (error["field"], error["rule"]) == ("id_number", "tenant_in_two_rooms")


def test_ids_are_masked_in_lists_and_in_full_only_for_the_manager_audited(world):
    world.lease(person=world.person("钱七", "330102"))
    tenant = Tenant.objects.get()
    [row] = world.api(world.manager).get("/api/tenants/tenants").json()
    assert "*" in row["id_number"] and row["province_name"] == "浙江省"
    full = world.api(world.manager).get(f"/api/tenants/tenants/{tenant.pk}").json()
    assert full["id_number"] == tenant.id_number
    assert AuditEvent.objects.filter(action="privacy.revealed", object_id=str(tenant.pk)).count() == 1
    masked = world.api(world.patroller).get(f"/api/tenants/tenants/{tenant.pk}").json()
    assert masked["id_number"] != tenant.id_number and masked["phone"].startswith("138****")
    only_error(world.api(world.manager2).get(f"/api/tenants/tenants/{tenant.pk}"), 404)


def test_occupants_move_in_and_out_through_the_api(world):
    lease = world.lease("A-101", date(2026, 1, 1), date(2026, 12, 31))
    api = world.api(world.manager)
    body = {"contract_no": lease.contract_no, "name": "同住人", "id_number": resident_id("420102"), "moved_in": "2026-02-01"}
    stay = api.post("/api/tenants/occupancies", body)
    assert stay.status_code == 201, stay.content
    third = only_error(api.post("/api/tenants/occupancies", {**body, "id_number": resident_id("430102")}), 422)
    assert third["field"] == "room"
    out = api.post(f"/api/tenants/occupancies/{stay.json()['id']}/move-out", {"on": "2026-03-01"})
    assert out.json()["moved_out"] == "2026-03-01"
    obligations = api.get("/api/tenants/obligations").json()
    assert [o["kind"] for o in obligations] == ["tenants.registration"]  # the lessee's; the occupant's is cancelled
