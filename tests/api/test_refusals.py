from tests.factories import ApiClient, only_error
from yizhan.hall.models import Case, CaseState, Refusal, RefusalState


def propose(hall, no, **extra):
    body = {"kind": "refuse_to_accept", "reason": "不属于本部门职权范围", "legal_basis": "《行政许可法》第三十二条", **extra}
    return hall.api(hall.clerk).post(f"/api/hall/cases/{no}/refusals", body)


def test_a_refusal_takes_effect_only_once_a_second_person_confirms(hall):
    no = hall.receive(applicant_phone="13812345678").case_no
    response = propose(hall, no)
    assert response.status_code == 201, response.content
    refusal = response.json()
    assert refusal["state"] == "pending" and refusal["requested_by"] == "clerk"
    assert Case.objects.get(case_no=no).state == CaseState.SUBMITTED
    queue = hall.api(hall.head).get("/api/hall/refusals").json()
    assert [r["id"] for r in queue] == [refusal["id"]]
    # The public lookup does not show a refusal that is not confirmed.
    assert ApiClient(None).get(f"/api/public/cases/{no}?last4=5678").json()["state"] == "submitted"
    confirmed = hall.api(hall.head).post(f"/api/hall/refusals/{refusal['id']}/confirm", {"note": "同意"}).json()
    assert (confirmed["state"], confirmed["reviewed_by"], confirmed["case_state"]) == (
        "confirmed", "head", "refused_to_accept")


def test_a_refusal_needs_a_reason_and_a_legal_basis(hall):
    no = hall.receive().case_no
    error = only_error(propose(hall, no, reason="  "), 422)
    assert (error["field"], error["rule"]) == ("reason", "required")
    error = only_error(propose(hall, no, legal_basis=""), 422)
    assert (error["field"], error["rule"]) == ("legal_basis", "required")
    assert not Refusal.objects.exists()


def test_the_handler_cannot_confirm_their_own_refusal_nor_can_a_clerk(hall):
    no = hall.receive().case_no
    rid = propose(hall, no).json()["id"]
    error = only_error(hall.api(hall.clerk).post(f"/api/hall/refusals/{rid}/confirm", {}), 403)
    assert error["rule"] == "second_person"
    assert Refusal.objects.get(pk=rid).state == RefusalState.PENDING
    assert Case.objects.get(case_no=no).state == CaseState.SUBMITTED


def test_sending_a_refusal_back_needs_a_note_and_lets_the_case_go_on(hall):
    no = hall.receive().case_no
    rid = propose(hall, no).json()["id"]
    error = only_error(hall.api(hall.head).post(f"/api/hall/refusals/{rid}/reject", {"note": " "}), 422)
    assert (error["field"], error["rule"]) == ("note", "required")
    rejected = hall.api(hall.head).post(f"/api/hall/refusals/{rid}/reject", {"note": "材料可补正"}).json()
    assert rejected["state"] == "rejected"
    assert hall.api(hall.clerk).post(f"/api/hall/cases/{no}/accept").json()["state"] == "accepted"
    error = only_error(hall.api(hall.head).post(f"/api/hall/refusals/{rid}/confirm", {}), 409)
    assert error["rule"] == "refusal_not_pending"


def test_refusing_approval_through_decide(hall):
    api = hall.api(hall.clerk)
    no = api.post("/api/hall/cases", {"matter": "LIC", "window": "W11", "applicant_name": "张三",
                                      "accept": True}).json()["case_no"]
    api.post(f"/api/hall/cases/{no}/review")
    pending = api.post(f"/api/hall/cases/{no}/decide", {"outcome": "refused", "reason": "不符合条件",
                                                        "legal_basis": "《食品安全法》第三十五条"}).json()
    assert pending["state"] == "under_review" and pending["pending_refusal"]
    error = only_error(api.post(f"/api/hall/cases/{no}/decide", {"outcome": "approved"}), 409)
    assert error["rule"] == "refusal_pending"
    [refusal] = api.get(f"/api/hall/cases/{no}/refusals").json()
    assert refusal["kind"] == "refuse_approval"
    hall.api(hall.supervisor).post(f"/api/hall/refusals/{refusal['id']}/confirm", {})
    case = api.get(f"/api/hall/cases/{no}").json()
    assert (case["state"], case["outcome"]) == ("decided", "refused")


def test_a_refusal_of_another_department_is_out_of_reach(hall):
    theirs = hall.receive(hall.build, hall.w21, actor=hall.clerk21)
    rid = hall.api(hall.clerk21).post(f"/api/hall/cases/{theirs.case_no}/refusals", {
        "kind": "refuse_to_accept", "reason": "r", "legal_basis": "b"}).json()["id"]
    assert hall.api(hall.head).get("/api/hall/refusals").json() == []
    only_error(hall.api(hall.head).post(f"/api/hall/refusals/{rid}/confirm", {}), 404)
    assert Refusal.objects.get(pk=rid).state == RefusalState.PENDING
