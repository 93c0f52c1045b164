"""Festival reminders (Spring Festival and Mid-Autumn from the festival date table): N days before the
festival the welfare officers get the families not yet visited this season, once per festival, year
and unit, by the daily job or `yizhan visits remind`; the welfare officer's screens record a visit
(with the budget's refusal shown on the field) and list the reminder."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from tests.factories import at
from yizhan.errors import InvalidInput
from yizhan.jobs import registry
from yizhan.jobs.models import Notification
from yizhan.visits import festivals
from yizhan.visits.models import Festival, FestivalReminder, Visit
from yizhan.visits.payments import record_visit

SPRING_2010 = date(2010, 2, 14)


def test_the_lunar_festivals_come_from_the_date_table_and_a_missing_year_is_named(db):
    spring = Festival.objects.get(code="spring")
    assert festivals.festival_on(spring, 2009) == date(2009, 1, 26)
    assert festivals.festival_on(Festival.objects.get(code="mid_autumn"), 2010) == date(2010, 9, 22)
    spring.dates.filter(year=2031).delete()
    with pytest.raises(InvalidInput) as missing:
        festivals.festival_on(spring, 2031)
    assert (missing.value.field, missing.value.rule) == ("festival", "festival_date_missing")
    # The Spring Festival's season begins in the December before it.
    [occ] = festivals.upcoming(date(2008, 12, 20))
    assert (occ.festival.code, occ.on) == ("spring", date(2009, 1, 26))


def test_the_reminder_lists_families_not_yet_visited_and_is_sent_once(company):
    remind_on = SPRING_2010 - timedelta(days=Festival.objects.get(code="spring").remind_days)
    record_visit(company.zhang, visited_on=remind_on - timedelta(days=3), visitors="工会主席",
                 at=at(f"{remind_on - timedelta(days=3)} 10:00"))
    assert festivals.send_reminders(remind_on - timedelta(days=1)) == []
    ours, theirs = festivals.send_reminders(remind_on)  # by unit code: BOHAI, then JSPC
    assert (ours.unit, ours.families, ours.recipients) == (company.other, 1, 1)
    assert (theirs.unit, theirs.families, theirs.recipients) == (company.company, 1, 1)
    # Each company's officer gets the list of their own families only.
    message = next(m for m in mail.outbox if m.to == ["welfare@example.org"])
    assert "李秀英" in message.body and "张建国" not in message.body and "王海燕" not in message.body
    assert len(mail.outbox) == 2
    assert festivals.send_reminders(remind_on) == [] and festivals.send_reminders(remind_on + timedelta(days=1)) == []
    assert Notification.objects.filter(key__startswith="visits.remind:spring:2010:JSPC").count() == 1


def test_the_daily_job_is_on_the_schedule_and_the_command_sends_for_a_date(company):
    job = registry.get("visits.festival_reminders")
    assert job.every == timedelta(days=1)
    out = StringIO()
    call_command("visits", "remind", "--date", "2010-01-31", stdout=out)
    assert "JSPC" in out.getvalue() and FestivalReminder.objects.count() == 2


def test_the_welfare_officer_records_a_visit_on_the_register_screen(company, client):
    client.force_login(company.officer)
    page = client.get("/visits/")
    assert page.status_code == 200
    assert "张建国" in page.content.decode() and "王海燕" not in page.content.decode()
    form = {"family": company.zhang.pk, "visited_on": "2009-01-20", "visitors": "工会主席 沈美华",
            "budget": company.budget.pk, "consolation_fen": "300", "study_aid_fen": "800", "festival": ""}
    checked = client.post("/visits/record/", {**form, "check": "1"}, headers={"HX-Request": "true"})
    assert "预算余额不足" in checked.content.decode() and "id_study_aid_fen" in checked.content.decode()
    refused = client.post("/visits/record/", form, headers={"HX-Request": "true"})
    assert "预算余额不足" in refused.content.decode() and not Visit.objects.exists()
    done = client.post("/visits/record/", {**form, "study_aid_fen": "500"})
    assert done.status_code == 302
    visit = Visit.objects.get()
    assert (visit.consolation_fen, visit.study_aid_fen, visit.recorded_by) == (30_000, 50_000, company.officer)
    exported = client.get("/visits/?export=csv&table=visits").content.decode("utf-8-sig")
    assert "张建国" in exported and "800.00" in exported


def test_the_reminder_screen_lists_the_families_of_the_season(company, client):
    client.force_login(company.officer)
    page = client.get("/visits/reminders/?date=2010-01-31").content.decode()
    assert "春节" in page and "李秀英" in page and "王海燕" not in page
    assert client.get("/visits/reminders/?date=2010-06-01").content.decode().count("not-visited") == 0


def test_only_welfare_staff_open_the_screens(company, client, django_user_model):
    client.force_login(django_user_model.objects.create_user("nobody"))
    assert client.get("/visits/").status_code == 403
