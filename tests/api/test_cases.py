from datetime import timedelta

from django.utils import timezone

from tests.factories import VALID_ID, only_error
from yizhan.audit.models import AuditEvent
from yizhan.hall.cases import accept_case, start_review
from yizhan.hall.models import Case, CaseState


def new_case(hall, **extra) -> dict:
    body = {"matter": "LIC", "window": "W11", "applicant_name": "张三", "applicant_id": VALID_ID,
            "applicant_phone": "13800000000", **extra}
    response = hall.api(hall.clerk).post("/api/hall/cases", body)
    assert response.status_code == 201, response.content
    return response.json()


def test_receiving_a_case_returns_it_with_its_notice_timer(hall):
    case = new_case(hall)
    assert case["state"] == "submitted"
    assert case["case_no"].startswith("KP-")
    assert case["handler"] == "clerk"
    # Masked in every answer but the case's own page (tests/audit/test_privacy.py).
    assert case["applicant"] == {"kind": "person", "name": "张三", "id": VALID_ID[:6] + "********" + VALID_ID[-4:]}
    assert case["timers"]["notice"]["purpose"] == "notice"
    assert case["timers"]["promised"] is None
    stored = Case.objects.get(case_no=case["case_no"])
    assert stored.window == hall.w11 and stored.department == hall.d1


def test_a_bad_check_digit_is_refused_naming_the_field_and_nothing_is_written(hall):
    bad = VALID_ID[:17] + ("0" if VALID_ID[17] != "0" else "1")
    response = hall.api(hall.clerk).post("/api/hall/cases", {
        "matter": "LIC", "window": "W11", "applicant_name": "张三", "applicant_id": bad})
    error = only_error(response, 422)
    assert error["field"] == "applicant_id" and error["rule"] == "resident_id_check_digit"
    assert not Case.objects.exists()


def test_a_missing_field_and_an_unknown_matter_are_named(hall):
    error = only_error(hall.api(hall.clerk).post("/api/hall/cases", {"window": "W11"}), 422)
    assert error == {**error, "field": "matter", "rule": "missing"}
    error = only_error(hall.api(hall.clerk).post("/api/hall/cases", {"matter": "NOPE", "window": "W11"}), 422)
    assert (error["field"], error["rule"]) == ("matter", "unknown_matter")
    error = only_error(hall.api(hall.clerk).post("/api/hall/cases", {
        "matter": "LIC", "window": "W11", "channel": "fax"}), 422)
    assert (error["field"], error["rule"]) == ("channel", "enum")
    assert not Case.objects.exists()


def test_a_window_that_does_not_accept_the_matter_is_named(hall):
    response = hall.api(hall.supervisor).post("/api/hall/cases", {
        "matter": "LIC", "window": "W12", "applicant_name": "张三"})
    error = only_error(response, 422)
    assert (error["field"], error["rule"]) == ("window", "window_does_not_accept")


def test_the_whole_life_of_a_case(hall):
    api = hall.api(hall.clerk)
    no = new_case(hall)["case_no"]
    accepted = api.post(f"/api/hall/cases/{no}/accept").json()
    assert accepted["state"] == "accepted"
    assert accepted["timers"]["promised"]["level"] in ("normal", "yellow")
    assert accepted["timers"]["statutory"]["deadline"] > accepted["timers"]["promised"]["deadline"]
    assert api.post(f"/api/hall/cases/{no}/review").json()["state"] == "under_review"
    paused = api.post(f"/api/hall/cases/{no}/pause", {"reason": "expert_review", "note": "专家评审会"}).json()
    assert paused["timers"]["promised"]["level"] == "paused"
    assert paused["pauses"][0]["reason"] == "expert_review" and paused["pauses"][0]["ended_at"] is None
    resumed = api.post(f"/api/hall/cases/{no}/resume").json()
    assert resumed["pauses"][0]["ended_at"] is not None
    decided = api.post(f"/api/hall/cases/{no}/decide", {"outcome": "approved"}).json()
    assert (decided["state"], decided["outcome"]) == ("decided", "approved")
    completed = api.post(f"/api/hall/cases/{no}/complete").json()
    assert completed["state"] == "completed"
    assert all(t["stopped_at"] for t in completed["timers"].values() if t)
    actions = list(AuditEvent.objects.filter(object_type="hall.case").order_by("id").values_list("action", flat=True))
    assert actions[0] == "hall.case.received" and actions[-1] == "hall.case.completed"


def test_an_illegal_transition_is_409_and_changes_nothing(hall):
    api = hall.api(hall.clerk)
    no = new_case(hall)["case_no"]
    events = AuditEvent.objects.count()
    error = only_error(api.post(f"/api/hall/cases/{no}/complete"), 409)
    assert error["field"] == "state" and error["rule"] == "illegal_transition.complete"
    error = only_error(api.post(f"/api/hall/cases/{no}/resume"), 409)
    case = Case.objects.get(case_no=no)
    assert case.state == CaseState.SUBMITTED and case.completed_at is None
    assert AuditEvent.objects.count() == events


def test_pausing_needs_a_known_reason(hall):
    api = hall.api(hall.clerk)
    no = new_case(hall, accept=True)["case_no"]
    error = only_error(api.post(f"/api/hall/cases/{no}/pause", {"reason": "lunch"}), 422)
    assert (error["field"], error["rule"]) == ("reason", "enum")
    error = only_error(api.post(f"/api/hall/cases/{no}/pause", {}), 422)
    assert (error["field"], error["rule"]) == ("reason", "missing")
    assert Case.objects.get(case_no=no).promised_timer.paused_since is None


def test_on_the_spot_and_withdrawal(hall):
    api = hall.api(hall.clerk)
    spot = api.post("/api/hall/cases", {"matter": "SPOT", "window": "W11", "applicant_name": "王五",
                                        "accept": True}).json()
    done = api.post(f"/api/hall/cases/{spot['case_no']}/complete-on-the-spot").json()
    assert (done["state"], done["outcome"]) == ("completed", "approved")
    no = new_case(hall)["case_no"]
    error = only_error(api.post(f"/api/hall/cases/{no}/complete-on-the-spot"), 409)
    assert error["rule"] == "illegal_transition.on_the_spot"
    withdrawn = api.post(f"/api/hall/cases/{no}/withdraw", {"reason": "申请人要求"}).json()
    assert withdrawn["state"] == "withdrawn"


def test_green_channel_flag_and_bad_project(hall):
    api = hall.api(hall.clerk)
    no = new_case(hall)["case_no"]
    error = only_error(api.post(f"/api/hall/cases/{no}/green-channel", {"project": " "}), 422)
    assert (error["field"], error["rule"]) == ("green_project", "required")
    flagged = api.post(f"/api/hall/cases/{no}/green-channel", {"project": "翠山湖新区"}).json()
    assert flagged["green_channel"] and flagged["green_project"] == "翠山湖新区"
    accepted = api.post(f"/api/hall/cases/{no}/accept").json()
    assert accepted["timers"]["promised"]["limit"].startswith("2 ")


def test_handler_change(hall):
    api = hall.api(hall.head)
    no = new_case(hall)["case_no"]
    error = only_error(api.post(f"/api/hall/cases/{no}/handler", {"username": "ghost"}), 422)
    assert (error["field"], error["rule"]) == ("username", "unknown_user")
    assert api.post(f"/api/hall/cases/{no}/handler", {"username": "head"}).json()["handler"] == "head"


def test_the_list_puts_green_channel_first_and_filters(hall):
    api = hall.api(hall.supervisor)
    first = new_case(hall)["case_no"]
    green = new_case(hall, green_project="翠山湖新区")["case_no"]
    hall.api(hall.clerk21).post("/api/hall/cases", {"matter": "BUILD", "window": "W21", "applicant_name": "某公司"})
    page = api.get("/api/hall/cases").json()
    assert page["count"] == 3
    assert [c["case_no"] for c in page["items"]][:2] == [green, first]
    assert {c["window"] for c in api.get("/api/hall/cases", department="D2").json()["items"]} == {"W21"}
    assert api.get("/api/hall/cases", window="W11").json()["count"] == 2
    assert api.get("/api/hall/cases", state="accepted").json()["count"] == 0
    assert [c["case_no"] for c in api.get("/api/hall/cases", green_channel="true").json()["items"]] == [green]
    error = only_error(api.get("/api/hall/cases", window="NOPE"), 422)
    assert (error["field"], error["rule"]) == ("window", "unknown_unit")
    error = only_error(api.get("/api/hall/cases", level="purple"), 422)
    assert (error["field"], error["rule"]) == ("level", "enum")


def test_the_list_filters_by_warning_level(hall):
    long_ago = (timezone.localtime() - timedelta(days=60)).strftime("%Y-%m-%d 09:00")
    late = hall.receive(when=long_ago)
    accept_case(late, actor=hall.clerk, at=late.received_at)
    start_review(late, actor=hall.clerk, at=late.received_at)
    fresh = new_case(hall, accept=True)["case_no"]
    api = hall.api(hall.clerk)
    overdue = api.get("/api/hall/cases", level="overdue").json()
    assert [c["case_no"] for c in overdue["items"]] == [late.case_no]
    assert overdue["items"][0]["alert"] == "overdue"
    assert fresh not in [c["case_no"] for c in api.get("/api/hall/cases", level="overdue").json()["items"]]
    detail = api.get(f"/api/hall/cases/{late.case_no}").json()
    assert detail["timers"]["statutory"]["level"] == "overdue"


def test_unknown_case_is_404_in_the_envelope(hall):
    error = only_error(hall.api(hall.clerk).get("/api/hall/cases/KP-00000000-00000"), 404)
    assert (error["field"], error["rule"]) == ("case_no", "not_found")


def test_a_body_that_is_not_json_is_400_in_the_envelope(hall):
    api = hall.api(hall.clerk)
    response = api.client.post("/api/hall/cases", "{not json", content_type="application/json", headers=api.headers)
    error = only_error(response, 400)
    assert (error["field"], error["rule"]) == ("body", "malformed_body")
    assert not Case.objects.exists()
