"""`yizhan hall stats`, `yizhan hall ranking` and the admin's 统计 page: the same figures everywhere."""

import io
import json

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import path, reverse

from tests.factories import HallWorld
from yizhan.hall.admin_stats import install
from yizhan.hall.models import Finding
from yizhan.hall.stats import FIGURE_KEYS

# The page is served from the admin once install() has run; this module's URLconf is built after it.
install(admin.site)
urlpatterns = [path("admin/", admin.site.urls)]

PERIOD = ["--from", "2010-03-01", "--to", "2010-03-31"]


@pytest.fixture
def world(db, django_user_model) -> HallWorld:
    world = HallWorld(django_user_model)
    world.case(world.spot, world.w11, received="2010-03-02 09:00", accepted="2010-03-02 09:00",
               completed="2010-03-02 09:30")
    world.case(world.prom, world.w12, received="2010-03-01 09:00", accepted="2010-03-01 09:00",
               completed="2010-03-20 10:00")  # past the promised 15 March
    world.case(world.two, world.w21, received="2010-03-01 09:00", accepted="2010-03-01 09:00")
    world.consultation(world.w11, "2010-03-03 10:00")
    world.complaint(world.w21, "2010-03-04 10:00", Finding.VALID)
    return world


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("hall", *args, stdout=out)
    return out.getvalue()


def test_stats_json_has_exactly_the_issue_keys(world):
    data = json.loads(run("stats", *PERIOD, "--json"))
    assert list(data) == ["first", "last", "unit", *FIGURE_KEYS]
    assert data == {
        "first": "2010-03-01", "last": "2010-03-31", "unit": None, "consultations": 1, "accepted": 3,
        "completed": 2, "on_the_spot": 1, "on_the_spot_rate": 1 / 3, "completed_on_time": 1, "on_time_rate": 0.5,
        "overdue_open": 1, "accountability": 0, "median_days": 7.0, "withdrawn": 0, "refused_to_accept": 0,
        "complaints": 1, "valid_complaints": 1, "ratings": 0, "bad_ratings": 0, "satisfaction_rate": None,
        "rectified": 0, "rectification_rate": None,
    }


def test_stats_table_shows_chinese_labels_with_the_keys(world):
    text = run("stats", *PERIOD, "--unit", "D1")
    lines = text.splitlines()
    assert "2010-03-01 至 2010-03-31" in lines[0] and "D1" in lines[0]
    rows = [line.split(maxsplit=2) for line in lines[1:]]
    assert [key for _label, key, _value in rows] == list(FIGURE_KEYS)
    values = {key: value for _label, key, value in rows}
    assert values["accepted"] == "2" and values["completed"] == "2" and values["valid_complaints"] == "0"
    assert values["on_the_spot_rate"] == "50.0 %" and values["on_time_rate"] == "50.0 %"
    assert values["median_days"] == "7.0" and values["overdue_open"] == "0"
    assert "即办率 on_the_spot_rate" in text and "受理事项 accepted" in text


@pytest.mark.parametrize(("args", "option"), [
    (["--from", "2010-13-01", "--to", "2010-03-31"], "--from"),
    (["--from", "2010-03-01", "--to", "31/03/2010"], "--to"),
    (["--from", "2010-04-01", "--to", "2010-03-31"], "--from"),
    ([*PERIOD, "--unit", "NOPE"], "--unit"),
])
@pytest.mark.parametrize("command", ["stats", "ranking"])
def test_bad_options_are_named_in_the_error(world, command, args, option):
    with pytest.raises(CommandError) as caught:
        run(command, *args)
    assert option in str(caught.value)


def test_ranking_json_and_table(world):
    data = json.loads(run("ranking", *PERIOD, "--json"))
    assert (data["first"], data["last"], data["unit"]) == ("2010-03-01", "2010-03-31", None)
    assert data["weights"]["on_time_rate"] == 50
    # W11: 50 + 20 + 30; W12: 0 + 0 + 30; W21 completed nothing: unranked.
    assert [(w["rank"], w["window"], w["score"]) for w in data["windows"]] == [
        (1, "W11", 100.0), (2, "W12", 30.0), (None, "W21", None),
    ]
    table = run("ranking", *PERIOD, "--unit", "D1").splitlines()
    assert "名次" in table[1] and "得分" in table[1]
    assert table[2].split()[:2] == ["1", "W11"] and "100.00" in table[2]
    assert table[3].split()[:2] == ["2", "W12"] and len(table) == 4


@pytest.mark.urls(__name__)
def test_admin_stats_page_shows_the_same_figures(world, client, admin_user):
    client.force_login(admin_user)
    index = client.get(reverse("admin:app_list", kwargs={"app_label": "hall"})).content.decode()
    url = reverse("admin:hall_stats")
    assert url in index and "统计" in index
    page = client.get(url, {"first": "2010-03-01", "last": "2010-03-31", "unit": "D1"})
    assert page.status_code == 200
    body = page.content.decode()
    assert page.context["figures"].as_dict() == json.loads(run("stats", *PERIOD, "--unit", "D1", "--json"))
    assert '<td class="accepted">2</td>' in body and '<td class="on_time_rate">50.0 %</td>' in body
    assert "W12 市场监管二号窗" in body


@pytest.mark.urls(__name__)
def test_admin_stats_form_rejects_a_reversed_period(world, client, admin_user):
    client.force_login(admin_user)
    page = client.get(reverse("admin:hall_stats"), {"first": "2010-04-01", "last": "2010-03-01"})
    assert page.status_code == 200 and page.context["figures"] is None
    assert "截止日期不能早于起始日期" in page.content.decode()


@pytest.mark.urls(__name__)
def test_admin_stats_needs_permission_to_view_cases(world, client):
    staff = world.user("staff", is_staff=True)
    client.force_login(staff)
    assert client.get(reverse("admin:hall_stats")).status_code == 403
    assert reverse("admin:hall_stats") not in client.get(reverse("admin:index")).content.decode()


def _department_head(world, unit, name: str, role: str = "department_head"):
    return world.grant(world.staff(name, role, unit), "hall.view_case", "audit.view_auditevent")


@pytest.mark.urls(__name__)
def test_admin_stats_of_a_department_head_cover_only_the_department(world, client):
    client.force_login(_department_head(world, world.d2, "head2"))
    url = reverse("admin:hall_stats")
    page = client.get(url, {"first": "2010-03-01", "last": "2010-03-31"})
    figures = page.context["figures"]
    assert figures.unit == "D2" and (figures.accepted, figures.completed, figures.valid_complaints) == (1, 0, 1)
    body = page.content.decode()
    assert "W21 住建窗口" in body and "W11" not in body and "全部机构" not in body
    # Another department's figures, or the whole hall's, are not offered.
    other = client.get(url, {"first": "2010-03-01", "last": "2010-03-31", "unit": "D1"})
    assert other.status_code == 200 and other.context["figures"] is None
    assert client.get(url, {"first": "2010-03-01", "last": "2010-03-31", "unit": "W21"}).context["figures"].accepted == 1


@pytest.mark.urls(__name__)
def test_the_audit_log_admin_hides_events_about_another_units_rows(world, client, admin_user):
    from yizhan.hall.models import Case
    from yizhan.org.models import Role

    d1_case = Case.objects.get(window=world.w11)
    d2_case = Case.objects.get(window=world.w21)
    url = reverse("admin:audit_auditevent_changelist")
    client.force_login(_department_head(world, world.d2, "head2"))
    events = {(e.object_type, e.object_id) for e in client.get(url).context["cl"].result_list}
    assert ("hall.case", str(d2_case.pk)) in events and ("hall.case", str(d1_case.pk)) not in events
    assert {t for t, _id in events} <= {"hall.case", "hall.complaint", "org.orgunit", "org.staffrole"}
    hidden = client.get(reverse("admin:audit_auditevent_changelist"), {"object_id": str(d1_case.pk)})
    assert not [e for e in hidden.context["cl"].result_list if e.object_type == "hall.case"
                and e.object_id == str(d1_case.pk)]
    # The superuser and the administrator see every event.
    administrator = _department_head(world, world.d2, "admin2", role=Role.ADMINISTRATOR)
    for user in (admin_user, administrator):
        client.force_login(user)
        seen = {(e.object_type, e.object_id) for e in client.get(url, {"all": ""}).context["cl"].result_list}
        assert ("hall.case", str(d1_case.pk)) in seen and ("hall.case", str(d2_case.pk)) in seen
