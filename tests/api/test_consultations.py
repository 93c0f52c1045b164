from tests.factories import only_error
from yizhan.hall.models import Consultation, Referral


def ask(hall, **extra):
    body = {"window": "W11", "asker_name": "李四", "asker_phone": "13900000000", "question": "食品经营许可要带什么？",
            **extra}
    return hall.api(hall.clerk).post("/api/hall/consultations", body)


def test_create_refer_answer_keeps_the_first_officer_responsible(hall):
    response = ask(hall)
    assert response.status_code == 201, response.content
    created = response.json()
    assert (created["state"], created["first_officer"], created["responsible_officer"]) == ("open", "clerk", "clerk")
    cid = created["id"]
    referred = hall.api(hall.clerk).post(f"/api/hall/consultations/{cid}/refer",
                                         {"to_window": "W21", "to_officer": "clerk21", "note": "涉及住建"}).json()
    assert referred["current_window"]["code"] == "W21" and referred["current_officer"] == "clerk21"
    assert referred["responsible_officer"] == "clerk"
    assert [(r["seq"], r["from_window"]["code"], r["to_window"]["code"]) for r in referred["referrals"]] == [
        (1, "W11", "W21")]
    answered = hall.api(hall.clerk21).post(f"/api/hall/consultations/{cid}/answer", {"answer": "带营业执照"}).json()
    assert (answered["state"], answered["answered_by"], answered["responsible_officer"]) == (
        "answered", "clerk21", None)


def test_answered_on_the_spot_and_listed(hall):
    ask(hall, answer="带身份证和申请书")
    ask(hall)
    api = hall.api(hall.clerk)
    assert [c["state"] for c in api.get("/api/hall/consultations").json()] == ["open", "answered"]
    assert len(api.get("/api/hall/consultations", state="open").json()) == 1
    assert api.get("/api/hall/consultations", window="W11", limit=1).json()[0]["state"] == "open"


def test_bad_input_is_named(hall):
    error = only_error(ask(hall, question="   "), 422)
    assert (error["field"], error["rule"]) == ("question", "required")
    error = only_error(ask(hall, window="D1"), 422)
    assert (error["field"], error["rule"]) == ("window", "not_a_window")
    assert not Consultation.objects.exists()
    cid = ask(hall).json()["id"]
    error = only_error(hall.api(hall.clerk).post(f"/api/hall/consultations/{cid}/refer", {"to_window": "ZZ"}), 422)
    assert (error["field"], error["rule"]) == ("to_window", "unknown_unit")
    error = only_error(hall.api(hall.clerk).post(f"/api/hall/consultations/{cid}/refer",
                                                 {"to_window": "W21", "to_officer": "ghost"}), 422)
    assert (error["field"], error["rule"]) == ("to_officer", "unknown_user")
    assert not Referral.objects.exists()


def test_answering_twice_is_409(hall):
    cid = ask(hall, answer="已答复").json()["id"]
    error = only_error(hall.api(hall.clerk).post(f"/api/hall/consultations/{cid}/answer", {"answer": "再答"}), 409)
    assert error["rule"] == "consultation_closed"
    assert Consultation.objects.get(pk=cid).answer == "已答复"
