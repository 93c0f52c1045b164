"""One error path: every failure answers in the envelope on the API (500 included) or as a plain page
on the screens, and its traceback reaches the structured log with the request's id, path and user."""

import io
import json
import logging

import pytest
from django.test import Client

from tests.factories import only_error


@pytest.fixture
def log_lines():
    """The JSON lines the console handler configured in settings.LOGGING writes, captured."""
    handler = logging.getLogger("yizhan").handlers[0]
    assert handler is logging.getLogger("django.request").handlers[0]
    stream = io.StringIO()
    previous = handler.setStream(stream)
    lines: list[dict] = []
    yield lambda: lines.extend(json.loads(line) for line in stream.getvalue().splitlines()[len(lines):]) or lines
    handler.setStream(previous)


def boom(*args, **kwargs):
    raise RuntimeError("boom: a fault of the server")


def test_an_unexpected_fault_is_a_json_500_with_its_traceback_in_the_log(hall, monkeypatch, log_lines):
    monkeypatch.setattr("yizhan.hall.api.figures.hall_figures", boom)
    response = hall.api(hall.supervisor).get("/api/hall/figures")
    error = only_error(response, 500)
    assert response["Content-Type"].startswith("application/json")
    request_id = response["X-Request-ID"]
    assert error["rule"] == "server_error" and request_id in error["message"]
    [logged] = [r for r in log_lines() if r["level"] == "ERROR"]
    assert logged["logger"] == "yizhan.api" and logged["request_id"] == request_id
    assert (logged["path"], logged["user"], logged["status"], logged["method"]) == (
        "/api/hall/figures", "supervisor", 500, "GET")
    assert "RuntimeError: boom: a fault of the server" in logged["traceback"]
    assert 'figures.py' in logged["traceback"]
    [access] = [r for r in log_lines() if r["logger"] == "yizhan.request"]
    assert (access["status"], access["request_id"], access["user"]) == (500, request_id, "supervisor")


def test_a_caller_request_id_is_kept_and_a_bad_one_replaced(hall, log_lines):
    client = Client()
    ok = client.get("/api/public/cases/NONE?last4=0000", headers={"X-Request-ID": "lb-7f3a.42"})
    assert ok.status_code == 404 and ok["X-Request-ID"] == "lb-7f3a.42"
    bad = client.get("/api/public/cases/NONE?last4=0000", headers={"X-Request-ID": "x" * 65})
    assert len(bad["X-Request-ID"]) == 32 and bad["X-Request-ID"] != "x" * 65
    warned = [r for r in log_lines() if r["logger"] == "django.request"]
    assert [r["request_id"] for r in warned] == ["lb-7f3a.42", bad["X-Request-ID"]]
    assert {(r["level"], r["status"], r["path"]) for r in warned} == {("WARNING", 404, "/api/public/cases/NONE")}


def test_a_screen_fault_is_a_plain_page_with_its_traceback_in_the_log(db, monkeypatch, log_lines):
    monkeypatch.setattr("yizhan.api.home.public_figures", boom)
    response = Client(raise_request_exception=False).get("/")
    assert response.status_code == 500 and response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "服务器内部错误" in page and response["X-Request-ID"] in page and "Traceback" not in page
    [logged] = [r for r in log_lines() if r["level"] == "ERROR"]
    assert logged["logger"] == "django.request" and logged["status"] == 500 and logged["path"] == "/"
    assert logged["request_id"] == response["X-Request-ID"]
    assert "RuntimeError: boom" in logged["traceback"]


def test_screens_answer_a_plain_404_page_and_the_api_its_envelope(db):
    page = Client().get("/no-such-screen/")
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")
    assert "页面不存在" in page.content.decode()
    error = only_error(Client().get("/api/no/such/route"), 404)
    assert error["rule"] == "not_found"


def test_error_views_answer_in_the_envelope_under_the_api(rf):
    from yizhan import error_views

    for view, status in ((error_views.bad_request, 400), (error_views.permission_denied, 403),
                         (error_views.page_not_found, 404)):
        api = view(rf.get("/api/hall/cases"), Exception())
        assert api.status_code == status and json.loads(api.content)["errors"][0]["message"]
        screen = view(rf.get("/admin/x"), Exception())
        assert screen.status_code == status and screen["Content-Type"].startswith("text/html")
    api = error_views.server_error(rf.get("/api/hall/cases"))
    assert api.status_code == 500 and json.loads(api.content)["errors"][0]["rule"] == "server_error"
    assert b"500" in error_views.server_error(rf.get("/")).content


def test_a_method_the_path_does_not_take_answers_in_the_envelope(hall):
    """`check` is also a possible card number: GET on the POST-only check route is a 405 in the
    envelope, with the Allow header, and in the reader's language."""
    api = hall.api(hall.supervisor)
    response = api.get("/api/surveillance/cards/check")
    error = only_error(response, 405)
    assert error["rule"] == "method_not_allowed" and "GET" in error["message"]
    assert response["Allow"] == "POST" and response["Content-Type"].startswith("application/json")
    english = Client().get("/api/surveillance/cards/check", HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 405 and "does not take GET" in english.json()["errors"][0]["message"]
