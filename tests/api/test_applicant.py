"""The applicant's operations without signing in, and the staff's handling of what they produce."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from tests.factories import only_error
from yizhan.hall import cases as engine
from yizhan.hall.models import Appointment, Commitment, Complaint, StaffProfile
from yizhan.hall.ratings import rating_token


@pytest.fixture(autouse=True)
def _empty_cache(db):  # the cache lives in the database: it must be set up first (this file runs first)
    cache.clear()
    yield
    cache.clear()


def done_case(hall, phone="13800138000"):
    case = hall.receive(hall.spot, accept=True, applicant_phone=phone)
    return engine.complete_on_the_spot(case, actor=hall.clerk)


def test_lookup_rate_badly_and_the_head_closes_the_rectification(hall, anon):
    case = done_case(hall)
    body = {"case_no": case.case_no, "last4": "8000"}
    looked = anon.post("/api/public/lookup", body)
    assert looked.status_code == 200 and looked.json()["can_rate"] is True
    assert "applicant" not in looked.json() and "13800138000" not in looked.text
    assert only_error(anon.post("/api/public/lookup", {**body, "last4": "0000"}), 404)["rule"] == "lookup_failed"
    rated = anon.post("/api/public/ratings", {**body, "score": 2, "comment": "态度差"})
    assert rated.status_code == 201 and rated.json()["rectification"] is True
    assert only_error(anon.post("/api/public/ratings", {**body, "score": 5}), 409)["rule"] == "already_rated"
    items = hall.api(hall.head).get("/api/hall/rectifications").json()
    assert [(i["case_no"], i["state"]) for i in items] == [(case.case_no, "open")]
    assert hall.api(hall.clerk21).get("/api/hall/rectifications").json() == []
    item = items[0]["id"]
    assert only_error(hall.api(hall.clerk).post(f"/api/hall/rectifications/{item}/verify",
                                                {"substantiated": True, "verification": "属实"}), 403)
    ok = hall.api(hall.head).post(f"/api/hall/rectifications/{item}/verify",
                                  {"substantiated": True, "verification": "属实"})
    assert ok.status_code == 200 and ok.json()["state"] == "verified"
    closed = hall.api(hall.head).post(f"/api/hall/rectifications/{item}/close",
                                      {"measures": "培训", "reply": "已整改，感谢监督"}).json()
    assert (closed["state"], closed["resolution"]) == ("closed", "rectified")
    ratings = hall.api(hall.supervisor).get("/api/hall/ratings").json()
    assert [(r["case_no"], r["score_label"]) for r in ratings] == [(case.case_no, "不满意")]
    figures = hall.api(hall.supervisor).get("/api/hall/figures").json()
    assert (figures["ratings"], figures["bad_ratings"], figures["rectification_rate"]) == (1, 1, 1.0)


def test_too_many_wrong_guesses_answer_429_with_retry_after(hall, anon):
    case = done_case(hall)
    for _n in range(4):
        anon.post("/api/public/lookup", {"case_no": case.case_no, "last4": "0000"})
    response = anon.post("/api/public/lookup", {"case_no": case.case_no, "last4": "8000"})
    assert only_error(response, 429)["rule"] == "too_many_tries" and int(response["Retry-After"]) >= 1


def test_rating_by_the_qr_token(hall, anon):
    case = done_case(hall)
    rated = anon.post("/api/public/ratings", {"token": rating_token(case), "score": 5})
    assert rated.status_code == 201 and rated.json()["rectification"] is False
    assert only_error(anon.post("/api/public/ratings", {"token": "forged", "score": 5}), 422)["field"] == "token"


def test_an_online_complaint_is_concluded_valid_and_counts(hall, anon):
    StaffProfile.objects.create(user=hall.clerk, name="李窗口", badge_no="KP0101", unit=hall.w11)
    filed = anon.post("/api/public/complaints", {"complainant": "王五", "content": "态度差", "badge_no": "KP0101"})
    assert filed.status_code == 201 and filed.json()["deadline"]
    assert only_error(anon.post("/api/public/complaints", {"complainant": "王五", "content": "x"}), 422)["field"] \
        == "window"
    cid = filed.json()["id"]
    assert [c["id"] for c in hall.api(hall.clerk).get("/api/hall/complaints").json()] == [cid]
    assert hall.api(hall.clerk21).get("/api/hall/complaints").json() == []
    hall.api(hall.head).post(f"/api/hall/complaints/{cid}/investigate", {"investigation": "调取录像"})
    before = hall.api(hall.supervisor).get("/api/hall/figures").json()["valid_complaints"]
    done = hall.api(hall.head).post(f"/api/hall/complaints/{cid}/conclude",
                                    {"finding": "valid", "reason": "录像显示态度生硬", "reply": "已批评教育并致歉"})
    assert done.status_code == 200 and done.json()["state"] == "concluded" and done.json()["badge_no"] == "KP0101"
    assert hall.api(hall.supervisor).get("/api/hall/figures").json()["valid_complaints"] == before + 1


def test_staff_register_a_hotline_complaint(hall):
    response = hall.api(hall.clerk).post("/api/hall/complaints", {"complainant": "热线来电", "content": "排队久",
                                                                  "window": "W11", "channel": "hotline"})
    assert response.status_code == 201 and response.json()["channel"] == "hotline"
    assert Complaint.objects.get().registered_by == hall.clerk
    assert only_error(hall.api(hall.clerk21).post("/api/hall/complaints", {
        "complainant": "x", "content": "y", "window": "W11", "channel": "phone"}), 403)


def next_day_off_ten():
    """10:00 on the next day that is not a working day (a weekend, or a holiday; make-up days excluded)."""
    from yizhan.calendar.workdays import current_calendar, local_tz

    now = timezone.now().astimezone(local_tz())
    day = next(now + timedelta(days=n) for n in range(1, 15)
               if not current_calendar().is_workday((now + timedelta(days=n)).date()))
    return day.replace(hour=10, minute=0, second=0, microsecond=0)


def test_book_an_appointment_and_the_clerk_receives_it(hall, anon):
    when = next_day_off_ten()
    slots = anon.get("/api/public/appointments/slots", matter="LIC", window="W11", date=when.date().isoformat())
    assert slots.status_code == 200 and {s["slot"] for s in slots.json()} == {"weekend"}
    booked = anon.post("/api/public/appointments", {"matter": "LIC", "window": "W11", "applicant_name": "张三",
                                                    "applicant_phone": "13800138000", "starts_at": when.isoformat()})
    assert booked.status_code == 201 and booked.json()["slot"] == "weekend"
    refused = anon.post("/api/public/appointments", {"matter": "LIC", "window": "W11", "applicant_name": "张三",
                                                     "applicant_phone": "13800138000",
                                                     "starts_at": when.replace(hour=8).isoformat()})
    assert only_error(refused, 422)["field"] == "starts_at"
    listed = hall.api(hall.clerk).get("/api/hall/appointments", window="W11", date=when.date().isoformat()).json()
    assert [a["booking_no"] for a in listed] == [booked.json()["booking_no"]]
    assert hall.api(hall.clerk21).get("/api/hall/appointments", window="W11", date=when.date().isoformat()).json() \
        == []
    appointment = Appointment.objects.get()
    assert only_error(hall.api(hall.clerk).post(f"/api/hall/appointments/{appointment.pk}/receive", {}), 422)[
        "rule"] == "not_the_day"


def test_public_commitments(hall, anon):
    staff = StaffProfile.objects.create(user=hall.clerk, name="李窗口", badge_no="KP0101", unit=hall.w11)
    Commitment.objects.create(staff=staff, text="一次告知，限时办结", posted_on=timezone.now().date())
    Commitment.objects.create(staff=staff, text="已撤下", posted_on=timezone.now().date(), active=False)
    rows = anon.get("/api/public/commitments").json()
    assert [(r["badge_no"], r["name"], r["unit"], r["text"]) for r in rows] == [
        ("KP0101", "李窗口", "市场监管一号窗口", "一次告知，限时办结")]
