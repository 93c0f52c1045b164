"""Bad input, route by route: every value below is sent to every route that takes the input, and each
must be refused with a 4xx and the envelope naming the field — never a server error, never stored.

The table is the inventory reported for the hardening work: `BAD` lists, per input, the bad values
tried; `ROUTES` which routes take which input."""

import collections
import json

import pytest

from tests.api.bad_routes import collected
from tests.factories import VALID_ID
from yizhan.hall.models import Case, Consultation, Refusal, RefusalKind
from yizhan.org.models import Role, StaffRole

NUL, SURROGATE, CONTROL = "A\x00B", "A\ud800B", "A\x07B"
LONG = "长" * 1001

# Bad values per kind of input. Query strings cannot carry lone surrogates (they are not UTF-8).
BAD = {
    "code": [NUL, SURROGATE, CONTROL, "X" * 65],
    "query_code": [NUL, CONTROL, "X" * 65],
    "query_text": [NUL],
    "path_code": [NUL, CONTROL, "X" * 65],
    "text": [NUL, SURROGATE],
    "short_text": [NUL, SURROGATE, LONG],
    "resident_id": [NUL, SURROGATE, "11010519491231002²", "١١٠١٠٥١٩٤٩١٢٣١٠٠٢٣", "1101051949123100", "X" * 65],
    "phone": [NUL, SURROGATE, "12345", "23812345678", "0750-1234567", "010-123", "１２３", "1" * 40],
    "day": ["0001-01-01", "9999-12-31", "0", "1999-12-31", "2100-01-01", "2010-02-30", "abc", "2010-1-1", NUL],
    "year": ["0", "-1", "1999", "2100", "99999999999999999999", "abc"],
    "limit": ["0", "-1", "501", "10000000000000000000000", "abc"],
    "offset": ["-1", "100001", "9223372036854775808", "1e3"],
    "seq": ["0", "-1", "2147483648", "99999999999999999999999"],
    "id": ["0", "-1", "9223372036854775808", "99999999999999999999999"],
    "list_text": [[NUL], [SURROGATE], [LONG]],
    "choice": ["bogus", NUL],
    "objects": [[{"value": NUL}], [{"orgUnit": SURROGATE}]],
}

# (method, path, where the input goes, input name, kind); {case}, {seq}, {refusal}, {consultation}
# are filled with real objects, so only the bad input is at fault.
ROUTES = [
    ("POST", "/api/hall/cases", "body", "matter", "code"),
    ("POST", "/api/hall/cases", "body", "window", "code"),
    ("POST", "/api/hall/cases", "body", "applicant_name", "short_text"),
    ("POST", "/api/hall/cases", "body", "applicant_id", "resident_id"),
    ("POST", "/api/hall/cases", "body", "applicant_phone", "phone"),
    ("POST", "/api/hall/cases", "body", "green_project", "short_text"),
    ("GET", "/api/hall/cases", "query", "window", "query_code"),
    ("GET", "/api/hall/cases", "query", "department", "query_code"),
    ("GET", "/api/hall/cases", "query", "matter", "query_code"),
    ("GET", "/api/hall/cases", "query", "limit", "limit"),
    ("GET", "/api/hall/cases", "query", "offset", "offset"),
    ("GET", "/api/hall/cases/{case}", "path", "case_no", "path_code"),
    ("POST", "/api/hall/cases/{case}/accept", "path", "case_no", "path_code"),
    ("POST", "/api/hall/cases/{case}/pause", "body", "note", "short_text"),
    ("POST", "/api/hall/cases/{case}/decide", "body", "reason", "text"),
    ("POST", "/api/hall/cases/{case}/decide", "body", "legal_basis", "text"),
    ("POST", "/api/hall/cases/{case}/withdraw", "body", "reason", "text"),
    ("POST", "/api/hall/cases/{case}/green-channel", "body", "project", "short_text"),
    ("POST", "/api/hall/cases/{case}/handler", "body", "username", "code"),
    ("POST", "/api/hall/cases/{case}/materials", "body", "materials", "list_text"),
    ("POST", "/api/hall/cases/{case}/materials/applicable", "body", "material", "short_text"),
    ("POST", "/api/hall/cases/{case}/notices", "body", "override_reason", "text"),
    ("GET", "/api/hall/cases/{case}/notices/{seq}", "path", "seq", "seq"),
    ("GET", "/api/hall/cases/{case}/notices/{seq}/print", "path", "seq", "seq"),
    ("POST", "/api/hall/cases/{case}/refusals", "body", "reason", "text"),
    ("POST", "/api/hall/cases/{case}/refusals", "body", "legal_basis", "text"),
    ("GET", "/api/hall/refusals", "query", "state", "choice"),
    ("POST", "/api/hall/refusals/{refusal}/confirm", "path", "refusal_id", "id"),
    ("POST", "/api/hall/refusals/{refusal}/confirm", "body", "note", "text"),
    ("POST", "/api/hall/refusals/{refusal}/reject", "body", "note", "text"),
    ("POST", "/api/hall/consultations", "body", "window", "code"),
    ("POST", "/api/hall/consultations", "body", "asker_name", "short_text"),
    ("POST", "/api/hall/consultations", "body", "asker_phone", "phone"),
    ("POST", "/api/hall/consultations", "body", "question", "text"),
    ("POST", "/api/hall/consultations", "body", "answer", "text"),
    ("GET", "/api/hall/consultations", "query", "window", "query_code"),
    ("GET", "/api/hall/consultations", "query", "limit", "limit"),
    ("GET", "/api/hall/consultations", "query", "offset", "offset"),
    ("GET", "/api/hall/consultations/{consultation}", "path", "consultation_id", "id"),
    ("POST", "/api/hall/consultations/{consultation}/refer", "body", "to_window", "code"),
    ("POST", "/api/hall/consultations/{consultation}/refer", "body", "to_officer", "code"),
    ("POST", "/api/hall/consultations/{consultation}/refer", "body", "note", "short_text"),
    ("POST", "/api/hall/consultations/{consultation}/answer", "body", "answer", "text"),
    ("GET", "/api/hall/matters", "query", "q", "query_text"),
    ("GET", "/api/hall/matters", "query", "department", "query_code"),
    ("GET", "/api/hall/matters.csv", "query", "window", "query_code"),
    ("GET", "/api/hall/matters/{matter}", "path", "code", "path_code"),
    ("GET", "/api/hall/figures", "query", "from", "day"),
    ("GET", "/api/hall/figures", "query", "to", "day"),
    ("GET", "/api/hall/figures", "query", "unit", "query_code"),
    ("GET", "/api/hall/ranking", "query", "from", "day"),
    ("GET", "/api/hall/ranking", "query", "to", "day"),
    ("GET", "/api/hall/accountability", "query", "from", "day"),
    ("GET", "/api/hall/accountability", "query", "to", "day"),
    ("GET", "/api/hall/warnings", "query", "unit", "query_code"),
    ("GET", "/api/calendar/status", "query", "from", "year"),
    ("GET", "/api/calendar/status", "query", "to", "year"),
    ("GET", "/api/public/cases/{case}", "path", "case_no", "path_code"),
    ("GET", "/api/public/cases/{case}", "query", "last4", "query_code"),
    ("GET", "/api/hall/complaints", "query", "state", "choice"),
    ("POST", "/api/hall/complaints", "body", "complainant", "text"),
    ("POST", "/api/hall/complaints", "body", "content", "text"),
    ("POST", "/api/hall/complaints/{complaint}/investigate", "path", "complaint_id", "id"),
    ("POST", "/api/hall/complaints/{complaint}/investigate", "body", "investigation", "text"),
    ("POST", "/api/hall/complaints/{complaint}/conclude", "body", "reply", "text"),
    ("GET", "/api/hall/ratings", "query", "from", "day"),
    ("GET", "/api/hall/ratings", "query", "to", "day"),
    ("GET", "/api/hall/rectifications", "query", "state", "choice"),
    ("POST", "/api/hall/rectifications/{item}/verify", "path", "item_id", "id"),
    ("POST", "/api/hall/rectifications/{item}/verify", "body", "verification", "text"),
    ("POST", "/api/hall/rectifications/{item}/close", "body", "reply", "text"),
    ("GET", "/api/hall/appointments", "query", "date", "day"),
    ("POST", "/api/hall/appointments/{appointment}/receive", "path", "appointment_id", "id"),
    ("POST", "/api/hall/appointments/{appointment}/receive", "body", "applicant_id", "text"),
    ("POST", "/api/hall/appointments/{appointment}/no-show", "path", "appointment_id", "id"),
    ("POST", "/api/public/lookup", "body", "case_no", "text"),
    ("POST", "/api/public/ratings", "body", "comment", "text"),
    ("POST", "/api/public/complaints", "body", "content", "text"),
    ("GET", "/api/public/appointments/slots", "query", "date", "day"),
    ("POST", "/api/public/appointments", "body", "applicant_name", "text"),
    ("POST", "/api/surveillance/cards", "body", "name", "text"),
    ("POST", "/api/surveillance/cards/check", "body", "address", "text"),
    ("GET", "/api/surveillance/cards", "query", "state", "query_text"),
    ("GET", "/api/surveillance/cards/{card}", "path", "card_no", "path_code"),
    ("POST", "/api/surveillance/cards/{card}/correct", "body", "name", "text"),
    ("POST", "/api/surveillance/cards/{card}/delete", "body", "reason", "text"),
    ("POST", "/api/surveillance/cards/{card}/review", "path", "card_no", "path_code"),
    ("POST", "/api/surveillance/cards/{card}/restore", "path", "card_no", "path_code"),
    ("POST", "/api/surveillance/cards/{card}/release", "path", "card_no", "path_code"),
    ("GET", "/api/surveillance/signals", "query", "state", "query_text"),
    ("POST", "/api/surveillance/signals/{signal}/respond", "path", "signal_id", "id"),
    ("POST", "/api/surveillance/signals/{signal}/respond", "body", "reason", "text"),
    ("GET", "/api/surveillance/figures", "query", "from", "day"),
    ("GET", "/api/surveillance/quality", "query", "to", "day"),
    ("POST", "/api/surveillance/dhis2/dataValueSets", "body", "dataValues", "objects"),
    ("GET", "/api/surveillance/dhis2/dataValueSets", "query", "startDate", "day"),
]
# Path placeholders of the table and the names the OpenAPI document gives them.
PLACEHOLDERS = {"case": "case_no", "matter": "code", "card": "card_no", "seq": "seq", "refusal": "refusal_id",
                "consultation": "consultation_id", "complaint": "complaint_id", "item": "item_id",
                "appointment": "appointment_id", "signal": "signal_id"}
_more_routes, _more_bodies, _more_placeholders = collected()
ROUTES += _more_routes
PLACEHOLDERS.update(_more_placeholders)

# A valid body per route, so that the bad input alone decides the answer.
BODIES = {
    "/api/hall/cases": {"matter": "LIC", "window": "W11", "applicant_name": "张三", "applicant_id": VALID_ID,
                        "applicant_phone": "13812345678"},
    "/pause": {"reason": "hearing", "note": "听证"},
    "/decide": {"outcome": "refused", "reason": "不符合条件", "legal_basis": "第三十八条"},
    "/withdraw": {"reason": "申请人撤回"},
    "/green-channel": {"project": "重点项目"},
    "/handler": {"username": "clerk"},
    "/materials": {"materials": ["申请书"]},
    "/applicable": {"material": "授权委托书"},
    "/notices": {"override_reason": ""},
    "/refusals": {"kind": "refuse_to_accept", "reason": "不符合条件", "legal_basis": "第三十二条"},
    "/confirm": {"note": "同意"},
    "/reject": {"note": "理由不足"},
    "/api/hall/consultations": {"window": "W11", "asker_name": "李四", "asker_phone": "0750-2221234",
                                "question": "怎么办理？"},
    "/refer": {"to_window": "W12", "to_officer": "clerk", "note": "转交"},
    "/answer": {"answer": "答复"},
}

BODIES.update(_more_bodies)
TRIED: collections.Counter = collections.Counter()


def _body(path: str) -> dict:
    for suffix, body in BODIES.items():
        if path.endswith(suffix):
            return dict(body)
    return {}


def _encode_path_value(value: str) -> str:
    from urllib.parse import quote

    return quote(value, safe="")


@pytest.fixture
def objects(hall):
    case = hall.receive(applicant_name="张三")
    from yizhan.hall.notices import issue_notice
    from yizhan.hall.refusals import request_refusal

    issue_notice(case, actor=hall.clerk)
    other = hall.receive(applicant_name="王五")
    refusal = request_refusal(other, kind=RefusalKind.REFUSE_TO_ACCEPT, reason="不符合", legal_basis="第三十二条",
                              by=hall.clerk)
    consultation = hall.api(hall.clerk).post("/api/hall/consultations", BODIES["/api/hall/consultations"]).json()
    # The tenants' services refuse anyone who manages no property before reading the input.
    StaffRole.objects.create(user=hall.supervisor, role=Role.PROPERTY_MANAGER, unit=hall.center)
    # Objects of the newer routes need not exist: their bad inputs are refused before any lookup.
    return {"case": case.case_no, "seq": "1", "refusal": str(refusal.pk), "consultation": str(consultation["id"]),
            "matter": "LIC", "complaint": "1", "item": "1", "appointment": "1", "signal": "1", "card": "X1",
            **{name: "1" for name in _more_placeholders}}


CASES = [(route, value) for route in ROUTES for value in BAD[route[4]]]


@pytest.mark.parametrize(("route", "value"), CASES, ids=[f"{r[0]} {r[1]} {r[3]}={v!r:.20}" for r, v in CASES])
def test_bad_input_is_refused_naming_the_field(hall, objects, route, value):
    method, template, where, name, kind = route
    before = (Case.objects.count(), Consultation.objects.count(), Refusal.objects.count())
    values = dict(objects)
    if where == "path":
        [placeholder] = [k for k, v in PLACEHOLDERS.items() if v == name and "{" + k + "}" in template]
        values[placeholder] = _encode_path_value(value)
    path = template.format(**values)
    client = hall.api(hall.supervisor)
    body = _body(template) if method == "POST" else {}
    query = {}
    if where == "body":
        body[name] = value
    elif where == "query":
        query[name] = value
    if method == "GET":
        response = client.client.get(path, query, headers=client.headers)
    else:
        response = client.client.post(path + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else ""),
                                      json.dumps(body), content_type="application/json", headers=client.headers)
    TRIED[f"{method} {template}"] += 1
    assert 400 <= response.status_code < 500, (response.status_code, response.content[:300])
    errors = response.json()["errors"]
    assert errors and all(e["message"] for e in errors)
    fields = {e["field"].split(".")[0] for e in errors}
    assert name in fields, errors
    if method == "POST" and response.status_code != 404:
        assert (Case.objects.count(), Consultation.objects.count(), Refusal.objects.count()) == before


def test_the_inventory_covers_every_route_that_takes_input():
    """Counts of bad inputs tried per route (printed with -s); every route with input is in the table."""
    from yizhan.api.root import api

    schema = api.get_openapi_schema()
    with_input = {f"{method.upper()} {path}" for path, ops in schema["paths"].items() for method, op in ops.items()
                  if op.get("parameters") or op.get("requestBody")}
    tried = {f"{m} {t}".format(**{k: "{" + v + "}" for k, v in PLACEHOLDERS.items()}) for m, t, *_rest in ROUTES}
    missing = with_input - tried
    # Transitions with only the case number as input share the path check of /accept.
    same_path_check = {p for p in missing if p.startswith("POST /api/hall/cases/{case_no}/")
                       or p.startswith("GET /api/hall/cases/{case_no}/")
                       or p == "POST /api/hall/cases/{case_no}/accept"}
    assert missing - same_path_check == set()
    per_route = collections.Counter(f"{m} {t}" for (m, t, _w, _n, kind) in ROUTES for _v in BAD[kind])
    print(json.dumps({"bad_inputs_total": sum(per_route.values()), "routes": len(per_route),
                      "per_route": dict(per_route)}, ensure_ascii=False))
