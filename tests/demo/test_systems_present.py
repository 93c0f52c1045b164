"""The smaller systems' present: their first screens show this year's items after `build_present`."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from yizhan.anniversaries import demo as anniversaries_demo
from yizhan.demo.accounts import ensure_demo_accounts
from yizhan.visits import demo as visits_demo

pytestmark = pytest.mark.once_on_postgresql


def signed_in(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def test_this_months_anniversary_cards_and_this_years_visits_are_on_their_first_screens(db, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    now = timezone.now()
    for demo in (visits_demo, anniversaries_demo):
        demo.build(lambda _line: None)
        demo.build_present(now)
        demo.build_present(now)  # a second start adds nothing
        ensure_demo_accounts(tuple(demo.ACCOUNTS))
    month = signed_in("jspc_party").get("/anniversaries/")
    assert month.status_code == 200 and month.context["cards_this_year"] >= 1
    assert all(card.year == now.year for card in month.context["recent"][:1])
    visits = signed_in("jspc_welfare").get("/visits/")
    assert visits.status_code == 200
    this_year = [v for v in visits.context["visits"] if v.visited_on.year == now.year]
    assert this_year and len({v.pk for v in this_year}) == len(this_year)


def test_this_quarters_council_has_open_follow_ups(db, settings, tmp_path):
    from yizhan.councils import demo as councils_demo
    from yizhan.councils.models import Meeting, Proposal

    settings.DATA_DIR = tmp_path
    now = timezone.now()
    councils_demo.build(lambda _line: None)
    councils_demo.build_present(now)
    councils_demo.build_present(now)
    ensure_demo_accounts(tuple(councils_demo.ACCOUNTS))
    latest = Meeting.objects.order_by("-year", "-quarter").first()
    assert latest.year >= now.year - 1 and latest.held_on <= now.date() and Meeting.objects.filter(
        year=latest.year, quarter=latest.quarter).count() == 3
    open_items = Proposal.objects.filter(meeting__year=latest.year, meeting__quarter=latest.quarter,
                                         follow_up__done_at__isnull=True).exclude(follow_up=None)
    assert open_items.exists()
    page = signed_in("jspc_council").get("/councils/")
    assert page.status_code == 200 and f"/councils/meeting/{latest.pk}/" in page.content.decode()
    meeting = signed_in("jspc_council").get(f"/councils/meeting/{latest.pk}/")
    assert open_items.filter(meeting=latest).first().title in meeting.content.decode()


def test_this_years_relief_applications_are_paid_approved_and_waiting(db, settings, tmp_path):
    from yizhan.relief import demo as relief_demo
    from yizhan.relief.models import Application

    settings.DATA_DIR = tmp_path
    now = timezone.now()
    relief_demo.build(lambda _line: None)
    relief_demo.build_present(now)
    relief_demo.build_present(now)
    this_year = Application.objects.filter(case__received_at__year=now.year)
    assert this_year.count() == len(relief_demo.PRESENT)
    assert {a.state for a in this_year} >= {"paid", "approved"}
    ensure_demo_accounts(tuple(relief_demo.ACCOUNTS))
    page = signed_in("bh_welfare").get("/relief/", follow=True)
    assert page.status_code == 200 and f"{now.year}年公司拨款" in page.content.decode()  # this year's ledger


def test_this_terms_subsidies_are_granted_and_on_the_officers_screen(db, settings, tmp_path):
    from yizhan.subsidies import demo as subsidies_demo
    from yizhan.subsidies.models import Grant, Term

    settings.DATA_DIR = tmp_path
    now = timezone.now()
    subsidies_demo.build(lambda _line: None)
    subsidies_demo.build_present(now)
    subsidies_demo.build_present(now)
    code, name, *_rest = subsidies_demo.current_term(timezone.localdate(now))
    assert Term.objects.filter(code=code).count() == 1
    assert Grant.objects.filter(term__code=code).exists()
    ensure_demo_accounts(tuple(subsidies_demo.ACCOUNTS))
    page = signed_in("snj_clerk").get("/subsidies/")  # the school clerk's first screen: this term's lists
    assert page.status_code == 200 and name in page.content.decode()
