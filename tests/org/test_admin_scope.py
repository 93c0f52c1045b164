"""The admin applies the one scope rule: the head of D1 sees, opens and acts on D1's rows only — of
every scoped model — while a superuser sees both departments'."""

import pytest
from django.urls import reverse

from yizhan.hall.models import RefusalState
from yizhan.org.models import Role, StaffRole

# (admin URL name, attribute of a Side holding the row)
SCOPED = [
    ("hall_case", "case"),
    ("hall_notice", "notice"),
    ("hall_refusal", "refusal"),
    ("hall_consultation", "consultation"),
    ("hall_complaint", "complaint"),
    ("clock_accountabilityrecord", "record"),
    ("clock_timer", "timer"),
]


def change_url(name: str, obj) -> str:
    return reverse(f"admin:{name}_change", args=[obj.pk])


@pytest.mark.parametrize(("name", "attr"), SCOPED, ids=[n for n, _a in SCOPED])
def test_lists_show_only_rows_in_the_viewers_subtree(world, head, admin_client, name, attr):
    _hall, mine, theirs = world
    page = head.get(reverse(f"admin:{name}_changelist"))
    assert page.status_code == 200
    body = page.content.decode()
    assert change_url(name, getattr(mine, attr)) in body
    assert change_url(name, getattr(theirs, attr)) not in body
    everything = admin_client.get(reverse(f"admin:{name}_changelist")).content.decode()
    assert change_url(name, getattr(mine, attr)) in everything and change_url(name, getattr(theirs, attr)) in everything


@pytest.mark.parametrize(("name", "attr"), SCOPED, ids=[n for n, _a in SCOPED])
def test_pages_of_another_units_rows_are_answered_as_missing(world, head, admin_client, name, attr):
    _hall, mine, theirs = world
    other = getattr(theirs, attr)
    assert head.get(change_url(name, getattr(mine, attr))).status_code == 200
    for view in ("change", "history", "delete"):
        response = head.get(reverse(f"admin:{name}_{view}", args=[other.pk]))
        assert response.status_code in (302, 403, 404), (view, response.status_code)
        assert str(other.pk) not in response.get("Location", "").replace(reverse("admin:index"), "")
    assert admin_client.get(change_url(name, other)).status_code == 200


def test_a_case_page_of_another_department_reveals_nothing(world, head):
    _hall, _mine, theirs = world
    response = head.get(change_url("hall_case", theirs.case), follow=True)
    body = response.content.decode()
    assert theirs.case.case_no not in body and theirs.case.applicant_id not in body


def test_actions_act_only_on_rows_in_scope(world, head):
    """Selecting another department's refusal by its id in a crafted request confirms nothing."""
    _hall, mine, theirs = world
    head.post(reverse("admin:hall_refusal_changelist"),
              {"action": "confirm", "_selected_action": [mine.refusal.pk, theirs.refusal.pk]})
    mine.refusal.refresh_from_db()
    theirs.refusal.refresh_from_db()
    assert mine.refusal.state == RefusalState.CONFIRMED
    assert theirs.refusal.state == RefusalState.PENDING


def test_search_does_not_reach_outside_the_scope(world, head):
    _hall, _mine, theirs = world
    body = head.get(reverse("admin:hall_case_changelist"), {"q": theirs.case.case_no}).content.decode()
    assert change_url("hall_case", theirs.case) not in body


def test_staff_roles_as_the_head_sees_them(world, head):
    """The head sees who holds roles in D1's subtree, not D2's nor the center's, and cannot edit
    roles (only administrators assign them), even holding the change permission."""
    hall, _mine, _theirs = world
    body = head.get(reverse("admin:org_staffrole_changelist")).content.decode()
    seen = {r.user.username for r in StaffRole.objects.all() if change_url("org_staffrole", r) in body}
    assert seen == {"clerk", "clerk2", "head"}
    own = StaffRole.objects.get(user=hall.clerk)
    page = head.get(change_url("org_staffrole", own))
    assert page.status_code == 200 and 'name="role"' not in page.content.decode()
    response = head.post(change_url("org_staffrole", own), {"user": hall.clerk.pk, "role": Role.HALL_SUPERVISOR,
                                                             "unit": hall.center.pk})
    assert response.status_code == 403
    assert StaffRole.objects.get(pk=own.pk).role == Role.CLERK


def test_units_as_the_head_sees_them(world, head):
    hall, _mine, _theirs = world
    body = head.get(reverse("admin:org_orgunit_changelist")).content.decode()
    assert all(change_url("org_orgunit", u) in body for u in (hall.d1, hall.w11, hall.w12))
    assert not any(change_url("org_orgunit", u) in body for u in (hall.center, hall.d2, hall.w21))


def test_an_administrator_of_a_subtree_cannot_move_a_row_out_of_it(world, client):
    """An administrator of D1 may assign roles in D1, but not over D2 or the whole center."""
    hall, _mine, _theirs = world
    admin_d1 = hall.staff("admin_d1", Role.ADMINISTRATOR, hall.d1)
    hall.grant(admin_d1, "org.view_staffrole", "org.change_staffrole", "org.add_staffrole", "org.view_orgunit")
    client.force_login(admin_d1)
    role = StaffRole.objects.get(user=hall.clerk)
    ok = client.post(change_url("org_staffrole", role), {"user": hall.clerk.pk, "role": Role.CLERK,
                                                         "unit": hall.w12.pk})
    assert ok.status_code == 302
    outside = client.post(change_url("org_staffrole", role), {"user": hall.clerk.pk, "role": Role.CLERK,
                                                              "unit": hall.w21.pk})
    assert outside.status_code == 200 and "unit" in outside.context["adminform"].form.errors
    assert StaffRole.objects.get(pk=role.pk).unit == hall.w12


def test_superuser_sees_every_role(world, admin_client):
    body = admin_client.get(reverse("admin:org_staffrole_changelist")).content.decode()
    assert all(change_url("org_staffrole", r) in body for r in StaffRole.objects.all())


def test_an_administrator_of_a_subtree_manages_only_its_accounts_and_roles(world, client):
    """In the user admin, an administrator of D1 sees D1's staff only and cannot give anyone a role
    outside D1 through the roles inline."""
    from tests.factories import form_data

    hall, _mine, _theirs = world
    admin_d1 = hall.staff("admin_d1", Role.ADMINISTRATOR, hall.d1)
    hall.grant(admin_d1, "auth.view_user", "auth.change_user", "org.view_staffrole", "org.change_staffrole",
               "org.add_staffrole", "org.view_orgunit")
    client.force_login(admin_d1)
    body = client.get(reverse("admin:auth_user_changelist")).content.decode()
    assert reverse("admin:auth_user_change", args=[hall.clerk.pk]) in body
    assert reverse("admin:auth_user_change", args=[hall.clerk21.pk]) not in body
    assert client.get(reverse("admin:auth_user_change", args=[hall.clerk21.pk])).status_code == 302
    url = reverse("admin:auth_user_change", args=[hall.clerk.pk])
    page = client.get(url)
    assert 'name="is_superuser"' not in page.content.decode()
    data = form_data(page, **{"staff_roles-TOTAL_FORMS": "2", "staff_roles-1-role": Role.CLERK,
                              "staff_roles-1-unit": str(hall.w21.pk), "staff_roles-1-user": str(hall.clerk.pk)})
    response = client.post(url, data)
    assert response.status_code == 200  # the form comes back with the error
    assert not StaffRole.objects.filter(user=hall.clerk, unit=hall.w21).exists()
