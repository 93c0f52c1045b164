from tests.factories import VALID_ID, ApiClient, only_error
from yizhan.audit.models import AuditEvent


def test_the_public_lookup_needs_no_sign_in_and_reveals_no_personal_data(hall):
    case = hall.receive(applicant_name="张三丰", applicant_id=VALID_ID, applicant_phone="13812345678", accept=True)
    response = ApiClient(None).get(f"/api/public/cases/{case.case_no}?last4=5678")
    assert response.status_code == 200
    body = response.json()
    assert (body["case_no"], body["matter"], body["state"]) == (case.case_no, "食品经营许可", "accepted")
    assert body["promised_deadline"] and body["received_at"] and body["accepted_at"]
    text = response.content.decode()
    for private in ("张三丰", VALID_ID, "13812345678", "clerk", "W11", "市场监管一号窗口"):
        assert private not in text
    assert not {"applicant", "applicant_name", "applicant_id", "applicant_phone", "handler", "window"} & set(body)
    by_id = ApiClient(None).get(f"/api/public/cases/{case.case_no}?last4={VALID_ID[-4:]}")
    assert by_id.status_code == 200 and by_id.json()["case_no"] == case.case_no


def test_the_case_number_alone_answers_nothing(hall):
    case = hall.receive(applicant_phone="13812345678", accept=True)
    missing = ApiClient(None).get(f"/api/public/cases/{case.case_no}")
    assert missing.status_code == 422 and "last4" in {e["field"] for e in missing.json()["errors"]}
    assert case.case_no not in missing.content.decode()
    malformed = only_error(ApiClient(None).get(f"/api/public/cases/{case.case_no}?last4=12"), 422)
    assert (malformed["field"], malformed["rule"]) == ("last4", "last4_format")


def test_an_unknown_number_and_a_wrong_suffix_answer_alike(hall):
    case = hall.receive(applicant_phone="13812345678", accept=True)
    unknown = only_error(ApiClient(None).get("/api/public/cases/KP-20990101-00001?last4=5678"), 404)
    wrong = only_error(ApiClient(None).get(f"/api/public/cases/{case.case_no}?last4=0000"), 404)
    assert unknown == wrong and (wrong["field"], wrong["rule"]) == ("last4", "lookup_failed")
    assert AuditEvent.objects.filter(action="hall.lookup.failed").count() == 2


def test_wrong_guesses_are_slowed_down_as_for_the_lookup_form(hall):
    case = hall.receive(applicant_phone="13812345678", accept=True)
    client = ApiClient(None)
    for _n in range(4):
        client.get(f"/api/public/cases/{case.case_no}?last4=0000")
    slowed = client.get(f"/api/public/cases/{case.case_no}?last4=5678")  # even the right digits, for now
    assert only_error(slowed, 429)["rule"] == "too_many_tries" and int(slowed["Retry-After"]) >= 1
    # the counters are the lookup's: the POST is slowed down too
    posted = client.post("/api/public/lookup", {"case_no": case.case_no, "last4": "5678"})
    assert only_error(posted, 429)["rule"] == "too_many_tries"
