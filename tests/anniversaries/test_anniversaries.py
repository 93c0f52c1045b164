"""Party anniversaries: on the day a member joined, a card and a message are made once a year — a second
run, or two at once, make nothing more; 29 February is greeted on 28 February in other years; the month
ahead is listed with print links; members are imported from CSV with every broken row reported; an
unknown member is a clear error."""

import io
import threading
from datetime import date
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import OperationalError, connection

from tests.factories import only_error
from yizhan.anniversaries.cards import find_member, month_ahead, send_card, send_day
from yizhan.anniversaries.members import import_members
from yizhan.anniversaries.models import Card, PartyMember
from yizhan.errors import ImportFailed, InvalidInput
from yizhan.jobs import registry
from yizhan.jobs.models import Notification


def test_the_days_cards_are_made_and_sent_once(party):
    made = send_day(date(2009, 7, 1))
    assert sorted(c.member.member_no for c in made) == ["BH0001", "DY0001"]
    card = Card.objects.get(member=party.july)
    assert (card.year, card.years, card.channel) == (2009, 24, "sms") and "24 周年" in card.message
    assert send_day(date(2009, 7, 1)) == []
    assert Card.objects.count() == 2
    assert Notification.objects.filter(key="anniversaries.card:DY0001:2009", recipient="13912345678").count() == 1
    assert len(send_day(date(2010, 7, 1))) == 2  # next year, a new card


def test_a_run_that_meets_a_card_made_by_another_sends_no_second_message(party):
    first, made = send_card(party.july, date(2009, 7, 1))
    again, made_again = send_card(party.july, date(2009, 7, 1))
    assert (made, made_again, again.pk) == (True, False, first.pk)
    assert Notification.objects.filter(key__startswith="anniversaries.card:DY0001").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_make_one_card_and_one_message(django_user_model):
    from tests.anniversaries.conftest import Party

    Party(django_user_model)
    outcomes: list[str] = []
    barrier = threading.Barrier(3)

    def run() -> None:
        try:
            barrier.wait()
            outcomes.append(str(len(send_day(date(2009, 7, 1)))))
        except OperationalError:
            outcomes.append("locked")  # SQLite: another writer held the database past the timeout
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert Card.objects.filter(year=2009).count() == 2
    assert Notification.objects.filter(key__endswith=":2009").count() == 2
    if connection.vendor != "sqlite":
        assert sorted(outcomes)[-1] != "0" and "locked" not in outcomes


def test_a_member_who_joined_on_29_february_is_greeted_on_28_february(party):
    assert [c.member for c in send_day(date(2009, 2, 28))] == [party.leap]
    assert send_day(date(2012, 2, 28)) == []
    assert [c.member for c in send_day(date(2012, 2, 29))] == [party.leap]
    assert mail.outbox[0].to == ["li@example.org"]


def test_the_month_ahead_lists_anniversaries_soonest_first(party):
    ahead = month_ahead(date(2009, 6, 15))
    assert [(on, m.member_no) for on, m in ahead] == [(date(2009, 7, 1), "BH0001"), (date(2009, 7, 1), "DY0001")]
    assert month_ahead(date(2009, 8, 1)) == []


def test_the_daily_job_is_scheduled_and_the_command_is_idempotent(party):
    assert registry.get("anniversaries.cards").every.days == 1
    out = StringIO()
    call_command("anniversaries", "send", "--date", "2009-07-01", stdout=out)
    call_command("anniversaries", "send", "--date", "2009-07-01", stdout=out)
    assert "新发送贺卡 2 张" in out.getvalue() and "新发送贺卡 0 张" in out.getvalue()


def test_the_member_import_reports_every_broken_row_and_writes_nothing(party):
    csv = ("member_no,name,unit_code,joined_on,phone\n"
           "DY0100,陈明,JSPC-B1,1999-07-01,13912340000\n"
           "DY0101,杨静,NOWHERE,2001-07-01,\n"
           "DY0102,黄振华,JSPC-B1,2001-02-30,\n"
           "DY0103,,JSPC-B1,1920-01-01,123\n"
           "DY0100,周海涛,JSPC-B1,2005-05-05,\n")
    with pytest.raises(ImportFailed) as failed:
        import_members(io.StringIO(csv))
    assert {(e.line, e.field) for e in failed.value.errors} == {
        (3, "unit_code"), (4, "joined_on"), (5, "name"), (5, "joined_on"), (5, "phone"), (6, "member_no")}
    assert PartyMember.objects.count() == 3
    result = import_members(io.StringIO("member_no,name,unit_code,joined_on\nDY0001,王卫东,JSPC-B1,1985-07-02\n"
                                        "DY0200,曾丽娟,JSPC-B1,2008-10-01\n"))
    assert (result.created, result.updated) == (1, 1)


def test_an_unknown_member_is_a_clear_error(party, client):
    with pytest.raises(InvalidInput) as unknown:
        find_member("DY9999")
    assert (unknown.value.field, unknown.value.rule) == ("member_no", "unknown_member")
    error = only_error(party.api(party.officer).get("/api/anniversaries/members/DY9999"), 404)
    assert error["field"] == "member_no"
    assert only_error(party.api(party.officer).get("/api/anniversaries/members/BH0001"), 404)["field"] == "member_no"
    client.force_login(party.officer)
    assert client.get("/anniversaries/cards/DY9999/2009/").status_code == 404


def test_the_month_screen_links_each_anniversary_to_its_printable_card(party, client):
    client.force_login(party.officer)
    send_day(date(2009, 7, 1))
    page = client.get("/anniversaries/?date=2009-06-20").content.decode()
    assert "王卫东" in page and "赵志刚" not in page and "/anniversaries/cards/DY0001/2009/" in page
    card = client.get("/anniversaries/cards/DY0001/2009/").content.decode()
    assert "size: A5" in card and "光荣在党 24 年" in card and Card.objects.get(member=party.july).message in card


def test_the_api_lists_the_month_ahead_and_sends_for_welfare_officers_only(party, django_user_model):
    client = party.api(party.officer)
    ahead = client.get("/api/anniversaries/upcoming", date="2009-06-20").json()
    assert [(a["on"], a["member"]["member_no"], a["years"]) for a in ahead] == [("2009-07-01", "DY0001", 24)]
    sent = client.post("/api/anniversaries/send", {"date": "2009-07-01"}).json()
    assert [c["member_no"] for c in sent["sent"]] == ["DY0001"]  # the caller's members only
    assert client.post("/api/anniversaries/send", {"date": "2009-07-01"}).json()["sent"] == []
    assert [c["year"] for c in client.get("/api/anniversaries/cards", year=2009).json()] == [2009]
    nobody = party.api(party.user("nobody"))
    assert only_error(nobody.post("/api/anniversaries/send", {"date": "2009-07-02"}), 403)


def test_the_month_screen_of_a_day_beyond_the_calendar_shows_today_instead(party, client):
    client.force_login(party.officer)
    page = client.get("/anniversaries/?date=9999-12-31")
    assert page.status_code == 200 and page.context["day"].year < 9999
