from tests.api.conftest import VALID_ID, ApiClient, only_error


def test_the_public_lookup_needs_no_sign_in_and_reveals_no_personal_data(hall):
    case = hall.receive(applicant_name="张三丰", applicant_id=VALID_ID, applicant_phone="13812345678", accept=True)
    response = ApiClient(None).get(f"/api/public/cases/{case.case_no}")
    assert response.status_code == 200
    body = response.json()
    assert (body["case_no"], body["matter"], body["state"]) == (case.case_no, "食品经营许可", "accepted")
    assert body["promised_deadline"] and body["received_at"] and body["accepted_at"]
    text = response.content.decode()
    for private in ("张三丰", VALID_ID, "13812345678", "clerk", "W11", "市场监管一号窗口"):
        assert private not in text
    assert not {"applicant", "applicant_name", "applicant_id", "applicant_phone", "handler", "window"} & set(body)


def test_an_unknown_number_is_404_in_the_envelope(hall):
    error = only_error(ApiClient(None).get("/api/public/cases/KP-20990101-00001"), 404)
    assert (error["field"], error["rule"]) == ("case_no", "not_found")
