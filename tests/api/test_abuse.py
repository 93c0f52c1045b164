"""Abuse from the outside: the public lookup's limit, login lockout, the cached public page, headers."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from yizhan.hall import public_figures as public_module


@pytest.fixture(autouse=True)
def _daily_allowance(settings):
    """60 a day rather than a minute: no window turns while a slow machine sends the requests."""
    settings.YIZHAN_PUBLIC_LOOKUP_RATE = "60/d"


@pytest.fixture
def lookup_url(hall) -> str:
    """A right lookup (case number and the phone's last four digits): only the address allowance stops it."""
    case = hall.receive(applicant_phone="13812345678")
    return f"/api/public/cases/{case.case_no}?last4=5678"


def test_the_public_lookup_is_limited_per_address_and_a_forged_header_does_not_reset_it(lookup_url):
    client = Client()
    codes = [client.get(lookup_url, headers={"X-Forwarded-For": f"198.51.100.{i}"}).status_code for i in range(61)]
    assert codes[:60] == [200] * 60 and codes[60] == 429
    limited = client.get(lookup_url)
    assert limited.status_code == 429 and int(limited["Retry-After"]) >= 1
    assert limited.json()["errors"][0]["rule"] == "rate_limited"
    other = Client(REMOTE_ADDR="192.0.2.44")
    assert other.get(lookup_url).status_code == 200  # another address has its own allowance


def test_behind_a_trusted_proxy_each_client_has_its_own_allowance(lookup_url, settings):
    settings.YIZHAN_TRUSTED_PROXIES = ["127.0.0.1"]
    client = Client()  # REMOTE_ADDR 127.0.0.1: the proxy
    for _ in range(60):
        assert client.get(lookup_url, headers={"X-Forwarded-For": "203.0.113.5"}).status_code == 200
    assert client.get(lookup_url, headers={"X-Forwarded-For": "203.0.113.5"}).status_code == 429
    assert client.get(lookup_url, headers={"X-Forwarded-For": "203.0.113.6"}).status_code == 200


def login(client: Client, password: str):
    return client.post("/admin/login/?next=/admin/", {"username": "boss", "password": password})


def test_wrong_admin_passwords_lock_the_account_for_that_address(db, settings):
    settings.AXES_FAILURE_LIMIT = 5
    get_user_model().objects.create_superuser("boss", "boss@example.org", "the-right-password")
    attacker = Client(REMOTE_ADDR="198.51.100.9")
    answers = [login(attacker, f"guess-{i}").status_code for i in range(5)]
    assert answers == [200] * 4 + [429]  # the form again with its error, then locked at the fifth
    locked = login(attacker, "the-right-password")
    assert locked.status_code == 429  # even the right password, from there, for now
    forged = Client(REMOTE_ADDR="198.51.100.9", HTTP_X_FORWARDED_FOR="192.0.2.1")
    assert login(forged, "the-right-password").status_code == 429  # no trusted proxy: the header changes nothing
    owner = Client(REMOTE_ADDR="192.0.2.10")
    assert login(owner, "the-right-password").status_code == 302  # the owner elsewhere still signs in


def test_the_landing_page_reuses_its_figures_for_all_visitors(db, monkeypatch):
    calls = []
    real = public_module.hall_figures

    def counting(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(public_module, "hall_figures", counting)
    for i in range(8):
        assert Client(REMOTE_ADDR=f"192.0.2.{i}").get("/").status_code == 200
    assert len(calls) == 1
    Client().get("/", {"first": "2010-03-01", "last": "2010-03-31"})
    assert len(calls) == 2  # another period is computed once too


def test_the_figures_turn_fresh_after_their_period(db, monkeypatch, settings):
    settings.YIZHAN_PUBLIC_FIGURES_SECONDS = 60
    clock = [1000.0]
    monkeypatch.setattr("yizhan.sharedcache.clock", lambda: clock[0])
    values = iter([{"n": 1}, {"n": 2}])
    from datetime import date

    def compute(first, last):
        class F:
            def as_dict(self):
                return next(values)
        return F()

    monkeypatch.setattr(public_module, "hall_figures", compute)
    day = date(2010, 3, 1)
    assert public_module.public_figures(day, day) == {"n": 1}
    clock[0] += 59
    assert public_module.public_figures(day, day) == {"n": 1}
    clock[0] += 2
    assert public_module.public_figures(day, day) == {"n": 2}


def test_pages_carry_a_content_security_policy_and_refuse_framing(db):
    response = Client().get("/")
    policy = response["Content-Security-Policy"]
    for directive in ("default-src 'self'", "script-src 'self'", "object-src 'none'", "frame-ancestors 'none'"):
        assert directive in policy
    assert response["X-Frame-Options"] == "DENY" and response["X-Content-Type-Options"] == "nosniff"
