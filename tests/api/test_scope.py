"""A clerk of one window neither sees nor acts on another window's cases."""

from tests.factories import only_error
from yizhan.audit.models import AuditEvent
from yizhan.hall.models import Case, CaseState, Consultation


def test_a_clerk_cannot_see_another_windows_case(hall):
    theirs = hall.receive(hall.build, hall.w21, actor=hall.clerk21, applicant_name="某建筑公司")
    mine = hall.receive()
    api = hall.api(hall.clerk)
    assert [c["case_no"] for c in api.get("/api/hall/cases").json()["items"]] == [mine.case_no]
    error = only_error(api.get(f"/api/hall/cases/{theirs.case_no}"), 404)
    assert error["rule"] == "not_found"
    only_error(api.get(f"/api/hall/cases/{theirs.case_no}/missing-materials"), 404)
    only_error(api.get(f"/api/hall/cases/{theirs.case_no}/notices"), 404)
    # Their own clerk and the hall supervisor see it.
    assert hall.api(hall.clerk21).get(f"/api/hall/cases/{theirs.case_no}").status_code == 200
    assert hall.api(hall.supervisor).get(f"/api/hall/cases/{theirs.case_no}").status_code == 200


def test_a_clerk_cannot_act_on_another_windows_case(hall):
    theirs = hall.receive(hall.build, hall.w21, actor=hall.clerk21, applicant_name="某建筑公司")
    api = hall.api(hall.clerk)
    events = AuditEvent.objects.count()
    for action in ("accept", "withdraw"):
        only_error(api.post(f"/api/hall/cases/{theirs.case_no}/{action}"), 404)
    only_error(api.post(f"/api/hall/cases/{theirs.case_no}/refusals",
                        {"kind": "refuse_to_accept", "reason": "x", "legal_basis": "y"}), 404)
    theirs.refresh_from_db()
    assert theirs.state == CaseState.SUBMITTED
    assert AuditEvent.objects.count() == events


def test_a_clerk_cannot_receive_at_another_window(hall):
    error = only_error(hall.api(hall.clerk).post("/api/hall/cases", {
        "matter": "BUILD", "window": "W21", "applicant_name": "某公司"}), 403)
    assert (error["field"], error["rule"]) == ("window", "out_of_scope")
    assert not Case.objects.exists()


def test_a_department_head_sees_every_window_of_the_department_only(hall):
    w11 = hall.receive()
    w21 = hall.receive(hall.build, hall.w21, actor=hall.clerk21)
    api = hall.api(hall.head)
    assert [c["case_no"] for c in api.get("/api/hall/cases").json()["items"]] == [w11.case_no]
    only_error(api.get(f"/api/hall/cases/{w21.case_no}"), 404)


def test_a_user_without_a_hall_role_sees_nothing(hall):
    hall.receive()
    api = hall.api(hall.outsider)
    assert api.get("/api/hall/cases").json() == {"count": 0, "items": []}
    assert only_error(api.get("/api/hall/accountability"), 403)["rule"] == "hall_staff_only"
    assert only_error(api.get("/api/hall/warnings"), 403)["rule"] == "hall_staff_only"
    only_error(api.post("/api/hall/consultations", {"window": "W11", "asker_name": "a", "question": "q"}), 403)
    assert not Consultation.objects.exists()


def test_a_referred_consultation_shows_to_the_window_it_was_referred_to(hall):
    api = hall.api(hall.clerk)
    cid = api.post("/api/hall/consultations", {"window": "W11", "asker_name": "李四", "question": "施工许可？"}).json()["id"]
    other = hall.api(hall.clerk21)
    only_error(other.get(f"/api/hall/consultations/{cid}"), 404)
    api.post(f"/api/hall/consultations/{cid}/refer", {"to_window": "W21"})
    assert other.get(f"/api/hall/consultations/{cid}").status_code == 200
    assert other.post(f"/api/hall/consultations/{cid}/answer", {"answer": "到住建窗口办理"}).json()["state"] == "answered"
