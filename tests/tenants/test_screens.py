from datetime import date

from django.test import Client

from tests.factories import password
from tests.tenants.conftest import resident_id
from yizhan.audit.models import AuditEvent
from yizhan.tenants.models import Lease, Tenant


def client_for(user) -> Client:
    c = Client()
    assert c.login(username=user.username, password=password(user.username))
    return c


def test_the_board_shows_rooms_figures_and_exports_without_ids_for_a_patroller(world):
    world.lease("A-101", date(2025, 1, 1), date(2030, 12, 31), person=world.person("孙悟", "410105"))
    page = client_for(world.manager).get("/tenants/")
    html = page.content.decode()
    assert page.status_code == 200 and "房间 3 间" in html and "河南省" in html and 'id="room-A-101"' in html
    export = client_for(world.patroller).get("/tenants/?export=csv&table=tenants").content.decode("utf-8-sig")
    assert "孙悟" in export and "410105" not in export
    assert "410105" in client_for(world.manager).get("/tenants/?export=csv&table=tenants").content.decode("utf-8-sig")


def test_the_registration_form_names_the_end_date_when_it_is_before_the_start(world):
    c = client_for(world.manager)
    data = {"contract_no": "HT-9", "room": "A-101", "name": "冯七", "id_number": resident_id("500101"),
            "phone": "13812345678", "start": "2026-05-01", "end": "2026-04-01", "rent": "1500", "deposit": "3000"}
    page = c.post("/tenants/register/", data)
    assert page.status_code == 422 and 'id="error-end"' in page.content.decode()
    assert not Lease.objects.exists()
    done = c.post("/tenants/register/", {**data, "end": "2027-04-30"})
    assert done.status_code == 302
    assert Lease.objects.get().rent_fen == 150000


def test_the_obligations_list_puts_the_overdue_first_and_closes_a_registration(world):
    today = date.today()
    world.lease("A-102", today, date(today.year + 1, 12, 31), person=world.person("新来"))
    world.lease("A-101", date(2026, 1, 5), date(2029, 12, 31), person=world.person("老住户"))
    c = client_for(world.manager)
    html = c.get("/tenants/obligations/").content.decode()
    assert html.index("老住户") < html.index("新来") and "已超期" in html
    from yizhan.followups.models import FollowUp

    item = FollowUp.objects.get(title__contains="老住户")
    assert c.post(f"/tenants/obligations/{item.pk}/", {"registered_on": "2026-01-04"}).status_code == 422
    assert c.post(f"/tenants/obligations/{item.pk}/", {"registered_on": "2026-01-20"}).status_code == 302
    item.refresh_from_db()
    assert item.state == "verified" and item.on_time is False


def test_people_without_the_role_are_kept_out(world):
    assert client_for(world.outsider).get("/tenants/").status_code == 403
    assert client_for(world.patroller).get("/tenants/register/").status_code == 403


def test_the_patrol_screen_logs_a_hazard_and_speaks_english_too(world):
    from datetime import time

    from django.utils import timezone

    from yizhan.followups.models import FollowUp
    from yizhan.tenants import patrol
    from yizhan.tenants.models import PatrolArea, Shift

    area = PatrolArea.objects.create(unit=world.office, code="A", name="A 区")
    shift = Shift.objects.create(unit=world.office, code="D", name="白班", starts=time(0), ends=time(23, 59))
    entry = patrol.assign(day=timezone.localdate(), shift=shift, area=area, patroller=world.patroller,
                          actor=world.manager)
    c = client_for(world.patroller)
    assert "A 区" in c.get("/tenants/patrol/").content.decode()
    refused = c.post(f"/tenants/patrol/{entry.pk}/", {"note": "巡查", "kind": "gas", "description": "燃气味",
                                                      "hazard": "on"})
    assert refused.status_code == 422 and "安全隐患须注明房间" in refused.content.decode()
    done = c.post(f"/tenants/patrol/{entry.pk}/", {"note": "巡查", "kind": "gas", "description": "燃气味",
                                                   "room": "A-101", "hazard": "on", "fix_days": "2"})
    assert done.status_code == 302 and FollowUp.objects.get(kind="tenants.hazard").needs_verification
    english = c.get("/tenants/patrol/", headers={"Accept-Language": "en"}).content.decode()
    assert "Patrol roster" in english and "Logged" in english


def test_the_follow_ups_screen_lists_the_registrys_items_which_have_no_owner(world):
    world.lease("A-101", person=world.person("无主"))
    page = client_for(world.manager).get("/followups/")
    assert page.status_code == 200 and "无主" in page.content.decode()


def test_the_tenants_page_shows_the_id_in_full_only_to_the_manager_and_audits_that_look(world):
    world.lease(person=world.person("钱七", "330102"))
    tenant = Tenant.objects.get()
    assert tenant.id_number in client_for(world.manager).get(f"/tenants/tenants/{tenant.pk}/").content.decode()
    [event] = AuditEvent.objects.filter(action="privacy.revealed", object_id=str(tenant.pk))
    assert event.changes["via"] == "screen"
    page = client_for(world.patroller).get(f"/tenants/tenants/{tenant.pk}/")
    assert page.status_code == 200 and tenant.id_number not in page.content.decode()
    assert AuditEvent.objects.filter(action="privacy.revealed").count() == 1


def test_the_registration_form_names_an_end_date_beyond_the_calendar_and_an_absurd_rent(world):
    c = client_for(world.manager)
    data = {"contract_no": "HT-9", "room": "A-101", "name": "冯七", "id_number": resident_id("500101"),
            "phone": "13812345678", "start": "2026-05-01", "end": "2027-04-30", "rent": "1500", "deposit": ""}
    far = c.post("/tenants/register/", {**data, "end": "9999-12-31"})
    html = far.content.decode()
    assert far.status_code == 422 and 'id="error-end"' in html and "2099-12-31" in html
    assert 'value="9999-12-31"' in html  # the form keeps what was typed
    rich = c.post("/tenants/register/", {**data, "rent": "1e30"})
    assert rich.status_code == 422 and 'id="error-rent"' in rich.content.decode()
    assert "金额超出上限" in rich.content.decode()
    assert not Lease.objects.exists()


def test_a_tenant_name_written_as_a_formula_is_exported_as_text(world):
    import io

    from openpyxl import load_workbook

    world.lease("A-101", date(2025, 1, 1), date(2030, 12, 31), person=world.person("-2+3+cmd|' /C calc'!A0"))
    c = client_for(world.manager)
    csv_text = c.get("/tenants/?export=csv&table=tenants").content.decode("utf-8-sig")
    assert "'-2+3+cmd" in csv_text
    sheet = load_workbook(io.BytesIO(c.get("/tenants/?export=xlsx&table=tenants").content)).active
    names = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert names[0].value == "-2+3+cmd|' /C calc'!A0" and names[0].data_type == "s"
