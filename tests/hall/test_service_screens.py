"""The service screens through Django's test client: lookup and rating, the QR page, complaints,
rectifications and appointments, each calling the same service functions as the API."""

import re

import pytest
from django.core.cache import cache
from django.template import Context, Template
from django.test import Client, RequestFactory

from tests.factories import at, password
from yizhan.hall import cases as engine
from yizhan.hall.models import Appointment, Complaint, Rating, Rectification
from yizhan.hall.ratings import case_for_token, rating_token


@pytest.fixture(autouse=True)
def _empty_cache(db):
    cache.clear()
    yield
    cache.clear()


def signed_in(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=password(user.username))
    return client


def done(hall):
    case = hall.receive(hall.spot, accept=True, applicant_phone="13800138000")
    return engine.complete_on_the_spot(case, at=at("2010-03-01 09:30"), actor=hall.clerk)


def test_lookup_shows_the_case_and_rates_it(hall):
    case = done(hall)
    client = Client()
    page = client.post("/lookup/", {"case_no": case.case_no, "last4": "8000"})
    assert page.status_code == 200 and "已办结" in page.content.decode() and 'id="rating-form"' in page.content.decode()
    assert "张三" not in page.content.decode()
    wrong = client.post("/lookup/", {"case_no": case.case_no, "last4": "0000"})
    assert "办件编号或后四位不正确" in wrong.content.decode()
    rated = client.post("/lookup/", {"case_no": case.case_no, "last4": "8000", "score": "1", "comment": "很差"})
    assert 'id="rated"' in rated.content.decode() and 'id="rating-form"' not in rated.content.decode()
    assert Rectification.objects.get().rating.case == case


def test_the_qr_page_rates_without_typing(hall):
    case = done(hall)
    page = Client().post(f"/lookup/rate/{rating_token(case)}/", {"score": "5"})
    assert page.status_code == 200 and Rating.objects.get().source == "qr"
    assert Client().get("/lookup/rate/forged/").status_code == 404


def test_the_completion_notice_tag_draws_the_rating_qr(hall):
    case = done(hall)
    request = RequestFactory().get("/")
    html = Template("{% load hall_rating %}{% rating_qr case %}").render(Context({"case": case, "request": request}))
    assert html.startswith('<figure class="rating-qr"><svg')
    # The signed link names this case (the token carries its signing time, so it is read back, not compared).
    token = re.search(r"/lookup/rate/([^/\"]+)/", html).group(1)
    assert case_for_token(token) == case


def test_an_online_complaint_and_its_conclusion_by_the_head(hall):
    filed = Client().post("/complaints/new/", {"complainant": "王五", "window": "W11", "content": "态度差"})
    assert 'id="complaint-filed"' in filed.content.decode()
    complaint = Complaint.objects.get()
    head = signed_in(hall.head)
    assert "态度差" in head.get("/complaints/").content.decode()
    assert signed_in(hall.clerk21).get(f"/complaints/{complaint.pk}/").status_code == 404
    page = head.post(f"/complaints/{complaint.pk}/", {"action": "conclude", "finding": "valid", "reason": "属实",
                                                      "reply": "已致歉"})
    assert page.status_code == 302
    complaint.refresh_from_db()
    assert (complaint.state, complaint.finding) == ("concluded", "valid")


def test_staff_register_a_phone_complaint_and_the_clerk_cannot_conclude(hall):
    clerk = signed_in(hall.clerk)
    page = clerk.post("/complaints/", {"complainant": "来电", "window": "W11", "content": "排队久", "channel": "hotline"})
    complaint = Complaint.objects.get()
    assert page.status_code == 302 and complaint.registered_by == hall.clerk
    detail = clerk.get(f"/complaints/{complaint.pk}/").content.decode()
    assert 'id="conclude-form"' not in detail
    refused = clerk.post(f"/complaints/{complaint.pk}/", {"action": "conclude", "finding": "valid", "reason": "x",
                                                          "reply": "y"})
    assert "只有部门负责人或大厅督查" in refused.content.decode()


def test_the_head_verifies_and_closes_a_rectification(hall):
    from yizhan.hall.ratings import rate_case

    rate_case(done(hall), score=2)
    item = Rectification.objects.get()
    head = signed_in(hall.head)
    assert signed_in(hall.clerk).get("/rectifications/").status_code == 403
    assert item.rating.case.case_no in head.get("/rectifications/").content.decode()
    assert head.post(f"/rectifications/{item.pk}/verify/", {"substantiated": "1", "verification": "属实"}).status_code \
        == 302
    assert head.post(f"/rectifications/{item.pk}/close/", {"measures": "培训", "reply": "已整改"}).status_code == 302
    item.refresh_from_db()
    assert (item.state, item.resolution) == ("closed", "rectified")


def test_book_and_the_clerk_sees_the_day(hall):
    from datetime import timedelta

    from django.utils import timezone

    from yizhan.calendar.workdays import current_calendar, local_date

    today = local_date(timezone.now())
    day = next(today + timedelta(days=n) for n in range(1, 15) if current_calendar().is_workday(today + timedelta(days=n)))
    query = f"?matter=LIC&window=W11&day={day.isoformat()}"
    page = Client().get("/appointments/book/" + query).content.decode()
    slots = re.findall(r'name="starts_at" value="([^"]+)"', page)
    assert slots and all(("T12:" in s or "T13:" in s or "T17:30" in s or "T18:" in s or "T19:" in s) for s in slots)
    booked = Client().post("/appointments/book/" + query, {"starts_at": slots[0], "applicant_name": "张三",
                                                           "applicant_phone": "13800138000"})
    assert 'id="booked"' in booked.content.decode()
    listing = signed_in(hall.clerk).get(f"/appointments/?window=W11&date={day.isoformat()}").content.decode()
    assert Appointment.objects.get().booking_no in listing


def test_the_lookup_page_slows_down_a_guesser(hall):
    case = done(hall)
    client = Client()
    for _n in range(4):
        client.post("/lookup/", {"case_no": case.case_no, "last4": "0000"})
    slowed = client.post("/lookup/", {"case_no": case.case_no, "last4": "8000"})
    assert slowed.status_code == 429 and "错误次数过多" in slowed.content.decode()
    assert 'id="case-status"' not in slowed.content.decode()
