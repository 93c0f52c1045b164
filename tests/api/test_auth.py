import json

import pytest
from django.core.management import call_command
from django.test import Client

from tests.factories import ApiClient, only_error
from yizhan.api.models import ApiToken
from yizhan.api.tokens import create_token, digest, revoke_token
from yizhan.audit.models import AuditEvent
from yizhan.hall.models import Case

PROTECTED = [
    ("get", "/api/me"),
    ("get", "/api/hall/matters"),
    ("get", "/api/hall/matters/LIC"),
    ("get", "/api/hall/matters.csv"),
    ("get", "/api/hall/cases"),
    ("post", "/api/hall/cases"),
    ("get", "/api/hall/consultations"),
    ("post", "/api/hall/consultations"),
    ("get", "/api/hall/refusals"),
    ("get", "/api/hall/figures"),
    ("get", "/api/hall/ranking"),
    ("get", "/api/hall/warnings"),
    ("get", "/api/hall/accountability"),
    ("get", "/api/calendar/status"),
]


@pytest.mark.parametrize(("method", "path"), PROTECTED)
def test_every_operation_needs_a_session_or_a_token(hall, anon, method, path):
    error = only_error(getattr(anon, method)(path), 401)
    assert error["rule"] == "authentication_required"


def test_every_operation_but_the_public_lookup_declares_authentication(hall, anon):
    schema = anon.get("/api/openapi.json").json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if path.startswith("/api/public/"):
                assert "security" not in operation, path
            else:
                assert operation["security"] == [{"TokenAuth": []}, {"SessionAuth": []}], (method, path)


def test_a_token_authenticates_its_user(hall):
    response = hall.api(hall.clerk).get("/api/me")
    assert response.status_code == 200
    assert response.json() == {"username": "clerk", "is_superuser": False, "hall_units": ["W11"]}


def test_a_token_records_when_it_was_last_used(hall):
    token, key = create_token(hall.clerk, "board")
    assert token.last_used is None
    ApiClient(key).get("/api/me")
    token.refresh_from_db()
    assert token.last_used is not None


def test_a_revoked_token_no_longer_works(hall):
    token, key = create_token(hall.clerk, "board")
    client = ApiClient(key)
    assert client.get("/api/me").status_code == 200
    revoke_token(token, actor=hall.supervisor)
    assert only_error(client.get("/api/me"), 401)["rule"] == "authentication_required"
    # A revoked key is refused on writes too, with 401 (not a CSRF failure) and nothing written.
    before = Case.objects.count()
    only_error(client.post("/api/hall/cases", {"matter": "LIC", "window": "W11", "applicant_name": "张三"}), 401)
    assert Case.objects.count() == before


def test_a_wrong_key_and_an_inactive_user_are_refused(hall):
    only_error(ApiClient("yz_not-a-real-key").get("/api/me"), 401)
    _token, key = create_token(hall.clerk, "board")
    hall.clerk.is_active = False
    hall.clerk.save()
    only_error(ApiClient(key).get("/api/me"), 401)


def test_only_the_digest_of_the_key_is_stored(hall):
    token, key = create_token(hall.clerk, "board")
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.key_hash == digest(key) and key not in (stored.key_hash, stored.prefix)
    assert key.startswith(stored.prefix)
    events = AuditEvent.objects.filter(action="api.token_created", object_id=str(token.pk))
    assert events.count() == 1
    assert key not in json.dumps(events.get().changes)


def test_a_token_needs_a_name(hall):
    from yizhan.api.tokens import TokenError

    with pytest.raises(TokenError) as exc:
        create_token(hall.clerk, "  ")
    assert exc.value.field == "name"
    assert not ApiToken.objects.exists()


def test_the_browser_session_works_and_unsafe_methods_need_the_csrf_token(hall):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(hall.clerk)
    assert browser.get("/api/me").json()["username"] == "clerk"
    body = json.dumps({"window": "W11", "asker_name": "李四", "question": "营业执照怎么办？"})
    refused = browser.post("/api/hall/consultations", body, content_type="application/json")
    assert only_error(refused, 403)["rule"] == "csrf"
    browser.get("/")  # the landing page sets the CSRF cookie
    token = browser.cookies["csrftoken"].value
    created = browser.post("/api/hall/consultations", body, content_type="application/json",
                           headers={"X-CSRFToken": token})
    assert created.status_code == 201, created.content
    assert created.json()["first_officer"] == "clerk"


def test_the_command_creates_a_working_token_and_revokes_it(hall, capsys):
    call_command("api-token", "create", "clerk", "--name", "hall board")
    key = capsys.readouterr().out.strip()
    token = ApiToken.objects.get(name="hall board")
    assert token.user == hall.clerk and token.key_hash == digest(key)
    assert ApiClient(key).get("/api/me").status_code == 200
    call_command("api-token", "list", "clerk")
    listing = capsys.readouterr().out
    assert "hall board" in listing and key not in listing
    call_command("api-token", "revoke", str(token.pk))
    assert ApiClient(key).get("/api/me").status_code == 401


def test_the_command_names_a_bad_username(hall):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="username"):
        call_command("api-token", "create", "nobody", "--name", "x")
    assert not ApiToken.objects.exists()


def test_the_admin_shows_a_new_key_once(hall, admin_user):
    browser = Client()
    browser.force_login(admin_user)
    response = browser.post("/admin/api/apitoken/add/", {"user": hall.clerk.pk, "name": "数据交换"})
    assert response.status_code == 200
    token = ApiToken.objects.get(name="数据交换")
    key = response.context["key"]
    assert token.key_hash == digest(key) and key in response.content.decode()
    assert ApiClient(key).get("/api/me").status_code == 200
    page = browser.get(f"/admin/api/apitoken/{token.pk}/change/").content.decode()
    assert key not in page and token.prefix in page


def test_the_admin_revokes_tokens(hall, admin_user):
    token, key = create_token(hall.clerk, "board")
    browser = Client()
    browser.force_login(admin_user)
    browser.post("/admin/api/apitoken/", {"action": "revoke", "_selected_action": [token.pk]})
    token.refresh_from_db()
    assert token.revoked is not None
    assert ApiClient(key).get("/api/me").status_code == 401
