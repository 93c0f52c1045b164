"""The smaller systems' present: their first screens show this year's items after `build_present`."""

from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from yizhan.anniversaries import demo as anniversaries_demo
from yizhan.demo.accounts import ensure_demo_accounts
from yizhan.visits import demo as visits_demo


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
