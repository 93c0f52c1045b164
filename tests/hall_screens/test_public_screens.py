"""The kiosk and the board: no login, no personal data."""

from django.urls import reverse

from yizhan.hall import queue
from yizhan.hall.models import Ticket


def test_the_kiosk_issues_a_number_without_login(client, groups):
    a, _b = groups
    page = client.get("/queue/ticket/").content.decode()
    assert "市场监管" in page and "住建" in page
    client.post("/queue/ticket/", {"group": a.pk})
    response = client.post("/queue/ticket/", {"group": a.pk})
    assert response.context["issued"].label == "A002"
    assert response.context["ahead"] == 1
    assert Ticket.objects.count() == 2


def test_the_kiosk_refuses_an_unknown_group(client, groups):
    response = client.post("/queue/ticket/", {"group": "999"})
    assert response.context["error"] is True and not Ticket.objects.exists()


def test_the_board_shows_todays_figures_and_calls_but_no_applicant(client, staff_hall, groups):
    from yizhan.hall.cases import receive_case

    receive_case(matter=staff_hall.lic, window=staff_hall.w11, applicant_name="张三丰", applicant_phone="13911112222",
                 actor=staff_hall.clerk, accept=True)
    a, _b = groups
    queue.issue_ticket(a)
    queue.call_next(staff_hall.w11, by=staff_hall.clerk)
    response = client.get("/board/")
    body = response.content.decode()
    accepted = next(f for f in response.context["figures"] if f["key"] == "accepted")
    assert accepted["value"] == "1"
    assert "A001" in body and staff_hall.w11.name in body
    assert "张三丰" not in body and "13911112222" not in body
    assert 'hx-trigger="every' in body  # refreshes itself


def test_the_board_refresh_returns_only_its_body(client, db):
    response = client.get(reverse("hall:board"), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body and "board-figures" in body


def test_the_board_in_english(client, db):
    client.cookies["django_language"] = "en"
    body = client.get("/board/").content.decode()
    assert "Numbers called" in body
