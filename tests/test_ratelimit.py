"""The client address behind proxies, and counting in the shared store."""

import pytest
from django.core.cache import caches
from django.test import RequestFactory

from yizhan.ratelimit import Rate, client_ip, hit, window_key


def request(remote: str, forwarded: str | None = None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_forwarded_for_is_ignored_unless_the_proxy_is_trusted(settings):
    settings.YIZHAN_TRUSTED_PROXIES = []
    assert client_ip(request("198.51.100.7", "1.2.3.4")) == "198.51.100.7"
    settings.YIZHAN_TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_ip(request("198.51.100.7", "1.2.3.4")) == "198.51.100.7"  # not from the proxy
    assert client_ip(request("10.0.0.5", "1.2.3.4")) == "1.2.3.4"
    assert client_ip(request("10.0.0.5")) == "10.0.0.5"


def test_the_nearest_untrusted_hop_counts_not_what_the_client_wrote(settings):
    settings.YIZHAN_TRUSTED_PROXIES = ["10.0.0.0/8", "2001:db8::/32"]
    # The client sent "9.9.9.9" itself; the proxies appended the address they saw.
    assert client_ip(request("10.0.0.5", "9.9.9.9, 1.2.3.4, 10.0.0.7")) == "1.2.3.4"
    assert client_ip(request("2001:db8::1", "[2001:db8::2]:443, 203.0.113.9:5000")) == "203.0.113.9"
    assert client_ip(request("10.0.0.5", "10.1.1.1, 10.2.2.2")) == "10.0.0.5"  # only proxies: the proxy itself
    assert client_ip(request("10.0.0.5", "1.2.3.4, not-an-address")) == "10.0.0.5"


def test_rates_parse_and_refuse_nonsense():
    assert (Rate.parse("60/m"), Rate.parse("5/10m"), Rate.parse("1000/d")) == (Rate(60, 60), Rate(5, 600),
                                                                              Rate(1000, 86400))
    with pytest.raises(ValueError):
        Rate.parse("sixty a minute")


def test_a_window_allows_exactly_its_count_then_turns(db):
    rate = Rate(3, 60)
    decisions = [hit("t", "1.2.3.4", rate, now=1000.0 + i) for i in range(5)]
    assert [d.allowed for d in decisions] == [True, True, True, False, False]
    assert [d.remaining for d in decisions[:3]] == [2, 1, 0]
    assert decisions[3].retry_after == 17  # at 1003 s, the window [960, 1020) has 17 s left
    assert hit("t", "5.6.7.8", rate, now=1004.0).allowed  # another address, its own count
    assert hit("other", "1.2.3.4", rate, now=1004.0).allowed  # another scope too
    assert hit("t", "1.2.3.4", rate, now=1020.0).allowed  # next window


def test_a_stale_hint_cannot_grant_more_than_the_count(db):
    """A process that read an old hint still has to claim a free slot (the cache's atomic add)."""
    rate = Rate(2, 60)
    assert hit("t", "ip", rate, now=0.0).allowed
    assert hit("t", "ip", rate, now=1.0).allowed
    caches["default"].set(window_key("t", "ip", 0) + ":n", 0)  # as if the hint were never written
    assert not hit("t", "ip", rate, now=2.0).allowed
