"""Admin change logging: every add, change and delete through the admin of any app writes an audit
event with the values before and after, in the same transaction as the change."""

from datetime import date

import pytest
from django.urls import reverse

from tests.factories import TZ, Hall, form_data
from yizhan.audit.models import AuditEvent
from yizhan.calendar.models import DayOverride
from yizhan.hall.models import Material
from yizhan.org.models import Role, StaffRole


@pytest.fixture
def hall(db, django_user_model) -> Hall:
    return Hall(django_user_model)


def event(action: str, obj) -> AuditEvent:
    [found] = AuditEvent.objects.filter(action=action, object_id=str(obj.pk))
    return found


def local_day(moment) -> date:
    return moment.astimezone(TZ).date()


def edit(client, url: str, **changes):
    response = client.post(url, form_data(client.get(url), **changes))
    assert response.status_code == 302, response.content.decode()[:3000]
    return response


def test_a_role_change_records_role_unit_and_user_before_and_after(hall, admin_client, admin_user):
    role = StaffRole.objects.get(user=hall.clerk)
    edit(admin_client, reverse("admin:org_staffrole_change", args=[role.pk]), role=Role.DEPARTMENT_HEAD,
         unit=str(hall.d1.pk))
    e = event("org.staffrole.changed", role)
    assert e.actor == admin_user and e.changes["via"] == "admin"
    assert e.changes["fields"] == ["role", "unit"]
    assert e.changes["before"] == {"id": role.pk, "user": hall.clerk.pk, "role": "clerk", "unit": hall.w11.pk}
    assert e.changes["after"] == {"id": role.pk, "user": hall.clerk.pk, "role": "department_head",
                                  "unit": hall.d1.pk}


def test_adding_and_deleting_a_role_are_recorded(hall, admin_client):
    add = reverse("admin:org_staffrole_add")
    edit(admin_client, add, user=str(hall.outsider.pk), role=Role.CLERK, unit=str(hall.w12.pk))
    role = StaffRole.objects.get(user=hall.outsider)
    assert event("org.staffrole.created", role).changes["after"]["unit"] == hall.w12.pk
    admin_client.post(reverse("admin:org_staffrole_delete", args=[role.pk]), {"post": "yes"})
    assert not StaffRole.objects.filter(pk=role.pk).exists()
    deleted = AuditEvent.objects.get(action="org.staffrole.deleted", object_id=str(role.pk))
    assert deleted.changes["before"]["user"] == hall.outsider.pk and deleted.changes["after"] is None


def test_the_event_is_part_of_the_change(hall, admin_client, monkeypatch):
    """If the audit event cannot be written, the change is not made either."""
    import yizhan.audit.admin_log

    def failing(*args, **kwargs):
        raise RuntimeError("audit store down")

    monkeypatch.setattr(yizhan.audit.admin_log, "record", failing)
    role = StaffRole.objects.get(user=hall.clerk)
    url = reverse("admin:org_staffrole_change", args=[role.pk])
    with pytest.raises(RuntimeError):
        admin_client.post(url, form_data(admin_client.get(url), role=Role.HALL_SUPERVISOR))
    assert StaffRole.objects.get(pk=role.pk).role == Role.CLERK


def test_a_calendar_override_records_the_deadlines_it_moved(hall, admin_client):
    """A typhoon closes the hall on Wednesday 3 March 2010: the case's promised deadline (5 working
    days after Monday 1 March: Monday 8 March) moves a working day on, and the override's event says so; deleting
    the override moves it back, and that is recorded too."""
    case = hall.accepted(when="2010-03-01 09:00")
    timer = case.promised_timer
    old = timer.deadline
    edit(admin_client, reverse("admin:workcalendar_dayoverride_add"), date="2010-03-03", is_workday=None,
         source="local", reason="台风停工")
    override = DayOverride.objects.get()
    timer.refresh_from_db()
    assert local_day(old) == date(2010, 3, 8) and local_day(timer.deadline) == date(2010, 3, 9)
    created = event("workcalendar.dayoverride.created", override)
    assert created.changes["after"]["is_workday"] is False
    moved = {m["timer"]: m for m in created.changes["moved"]}
    assert moved[timer.pk] == {"timer": timer.pk, "subject": f"hall.case:{case.pk}", "purpose": "promised",
                               "old": old.astimezone(TZ).isoformat(), "new": timer.deadline.astimezone(TZ).isoformat()}
    assert case.statutory_timer_id in moved

    admin_client.post(reverse("admin:workcalendar_dayoverride_delete", args=[override.pk]), {"post": "yes"})
    timer.refresh_from_db()
    assert timer.deadline == old
    deleted = AuditEvent.objects.get(action="workcalendar.dayoverride.deleted", object_id=str(override.pk))
    back = {m["timer"]: m for m in deleted.changes["moved"]}
    assert back[timer.pk]["new"] == old.astimezone(TZ).isoformat()


def test_moving_an_override_to_another_day_recomputes_both_days(hall, admin_client):
    case = hall.accepted(when="2010-03-01 09:00")
    old = case.promised_timer.deadline
    edit(admin_client, reverse("admin:workcalendar_dayoverride_add"), date="2010-03-03", is_workday=None,
         source="local", reason="台风停工")
    override = DayOverride.objects.get()
    edit(admin_client, reverse("admin:workcalendar_dayoverride_change", args=[override.pk]), date="2010-04-20")
    case.promised_timer.refresh_from_db()
    assert case.promised_timer.deadline == old
    changed = event("workcalendar.dayoverride.changed", override)
    assert changed.changes["fields"] == ["changed_at", "date"]
    assert {m["timer"] for m in changed.changes["moved"]} >= {case.promised_timer_id}


def test_the_bulk_delete_action_records_each_row(hall, admin_client):
    first = DayOverride.objects.create(date=date(2010, 6, 1), is_workday=False, reason="一")
    second = DayOverride.objects.create(date=date(2010, 6, 2), is_workday=False, reason="二")
    admin_client.post(reverse("admin:workcalendar_dayoverride_changelist"),
                      {"action": "delete_selected", "_selected_action": [first.pk, second.pk], "post": "yes"})
    assert not DayOverride.objects.exists()
    assert {e.object_id for e in AuditEvent.objects.filter(action="workcalendar.dayoverride.deleted")} == {
        str(first.pk), str(second.pk)}


def test_catalog_edits_record_inline_rows_and_window_choices(hall, admin_client):
    url = reverse("admin:hall_matter_change", args=[hall.lic.pk])
    page = admin_client.get(url)
    edit(admin_client, url, name="食品经营许可（新办）", windows=[str(hall.w11.pk), str(hall.w12.pk)],
         **{"materials-0-name": "申请书（原件）", "materials-3-name": "健康证明", "materials-3-sort": "4",
            "materials-3-form": form_data(page)["materials-0-form"], "materials-3-copies": "1",
            "materials-3-requirement": "mandatory", "materials-3-matter": str(hall.lic.pk),
            "materials-TOTAL_FORMS": "4"})
    changed = event("hall.matter.changed", hall.lic)
    assert changed.changes["fields"] == ["name", "windows"]
    assert changed.changes["before"]["windows"] == [hall.w11.pk]
    assert changed.changes["after"]["windows"] == sorted([hall.w11.pk, hall.w12.pk])
    renamed = event("hall.material.changed", hall.a)
    assert (renamed.changes["before"]["name"], renamed.changes["after"]["name"]) == ("申请书", "申请书（原件）")
    assert renamed.changes["parent"] == f"hall.matter:{hall.lic.pk}"
    added = Material.objects.get(name="健康证明")
    assert event("hall.material.created", added).changes["after"]["matter"] == hall.lic.pk


def test_deleting_a_matter_records_the_materials_it_takes_with_it(hall, admin_client):
    spot_material = Material.objects.create(matter=hall.spot, name="变更申请", sort=1)
    admin_client.post(reverse("admin:hall_matter_delete", args=[hall.spot.pk]), {"post": "yes"})
    assert event("hall.matter.deleted", hall.spot).changes["before"]["code"] == "SPOT"
    cascaded = AuditEvent.objects.get(action="hall.material.deleted", object_id=str(spot_material.pk))
    assert cascaded.changes["cascade_of"] == f"hall.matter:{hall.spot.pk}"


def test_user_edits_are_recorded_without_the_password(hall, admin_client):
    url = reverse("admin:auth_user_change", args=[hall.outsider.pk])
    edit(admin_client, url, first_name="六", is_staff="on", **{
        "staff_roles-TOTAL_FORMS": "1", "staff_roles-0-role": Role.CLERK, "staff_roles-0-unit": str(hall.w12.pk),
        "staff_roles-0-user": str(hall.outsider.pk)})
    changed = event("auth.user.changed", hall.outsider)
    assert {"first_name", "is_staff"} <= set(changed.changes["fields"])  # (date_joined loses its microseconds)
    assert changed.changes["before"]["password"] == changed.changes["after"]["password"] == "[secret]"
    assert hall.outsider.password not in str(changed.changes)
    role = StaffRole.objects.get(user=hall.outsider)
    created = event("org.staffrole.created", role)
    assert created.changes["parent"] == f"auth.user:{hall.outsider.pk}"
    assert (created.changes["after"]["role"], created.changes["after"]["unit"]) == ("clerk", hall.w12.pk)


def test_saving_without_a_change_records_nothing(hall, admin_client):
    role = StaffRole.objects.get(user=hall.clerk)
    edit(admin_client, reverse("admin:org_staffrole_change", args=[role.pk]))
    assert not AuditEvent.objects.filter(action="org.staffrole.changed").exists()


def test_the_audit_log_itself_offers_no_edit_or_delete(hall, admin_client):
    from django.db import transaction

    from yizhan.audit.log import record

    with transaction.atomic():
        e = record("test.thing.changed", ("test.thing", "1"), actor_label="t")
    assert admin_client.get(reverse("admin:audit_auditevent_delete", args=[e.pk])).status_code == 403
    admin_client.post(reverse("admin:audit_auditevent_change", args=[e.pk]), {"action": "x"})
    assert AuditEvent.objects.get(pk=e.pk).action == "test.thing.changed"
