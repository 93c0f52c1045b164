"""Sign-in, sign-out, the start page and navigation by role (Django test client)."""

import pytest
from django.urls import reverse

from tests.ui.conftest import PASSWORD
from yizhan.org.models import Role
from yizhan.ui.access import require_roles


def test_login_page_is_a_clean_form(client, db):
    response = client.get("/login/")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="username"' in body and 'name="password"' in body
    assert "登录" in body


def test_wrong_password_is_refused_and_says_so(client, staff_hall):
    response = client.post("/login/", {"username": "clerk", "password": "wrong"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert 'role="alert"' in response.content.decode()


def test_login_lands_on_the_dashboard_with_the_clerks_screens(client, staff_hall):
    response = client.post("/login/", {"username": "clerk", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("ui:dashboard")
    staff = response.context["staff_items"]
    names = {i["name"] for i in staff}
    assert "hall:supervisor" not in names  # a clerk is not a supervisor
    assert "admin:index" not in names


def test_supervisor_sees_no_clerk_workbench_but_the_public_screens(client, staff_hall):
    client.force_login(staff_hall.supervisor)
    response = client.get("/dashboard/")
    names = {i["name"] for i in response.context["staff_items"]}
    assert "hall:workbench" not in names
    assert all(i["public"] for i in response.context["public_items"])


def test_dashboard_needs_login(client, db):
    response = client.get("/dashboard/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=/dashboard/")


def test_logout_is_a_post_and_ends_the_session(client, staff_hall):
    client.force_login(staff_hall.clerk)
    response = client.post("/logout/")
    assert response.status_code == 302 and response["Location"] == "/login/"
    assert client.get("/dashboard/").status_code == 302


def test_english_through_the_language_switch(client, staff_hall):
    client.force_login(staff_hall.clerk)
    client.post("/i18n/setlang/", {"language": "en", "next": "/dashboard/"})
    body = client.get("/dashboard/").content.decode()
    assert "Sign out" in body and "退出" not in body


@pytest.mark.parametrize("who, allowed", [("clerk", True), ("head", False), ("nobody", False)])
def test_require_roles_uses_the_roles_held(rf, staff_hall, django_user_model, who, allowed):
    from django.core.exceptions import PermissionDenied
    from django.http import HttpResponse

    user = getattr(staff_hall, who, None) or django_user_model.objects.create_user(who)
    view = require_roles(Role.CLERK)(lambda request: HttpResponse("ok"))
    request = rf.get("/x/")
    request.user = user
    if allowed:
        assert view(request).status_code == 200
    else:
        with pytest.raises(PermissionDenied):
            view(request)


def test_static_libraries_are_served_from_the_npm_install(client, db):
    from django.contrib.staticfiles import finders

    assert finders.find("vendor/htmx/htmx.min.js")
    assert finders.find("vendor/echarts/echarts.min.js")
