"""The real client address and rate limits kept in the store every server process shares.

`client_ip(request)` believes X-Forwarded-For only when the request comes from a proxy listed in
YIZHAN_TRUSTED_PROXIES, and then takes the nearest address that is not one of those proxies (the
left-hand entries are whatever the client chose to send). `hit(scope, ident, rate)` counts one use
against a fixed window in the shared cache (the database cache, or Redis): each allowed request
claims a numbered slot with the cache's atomic `add`, so concurrent processes cannot both take the
last one. Any view, API route or screen limits itself with `limit(request, scope, rate)`.
"""

import hashlib
import ipaddress
import math
import re
import time
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
RATE = re.compile(r"(\d+)/(\d*)([smhd])")


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(e, strict=False) for e in entries)


def trusted_proxies() -> tuple[Network, ...]:
    return _networks(tuple(settings.YIZHAN_TRUSTED_PROXIES))


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # [v6]:port
        text = text[1:text.index("]")]
    elif text.count(":") == 1:  # v4:port
        text = text.split(":", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _trusted(addr, proxies: tuple[Network, ...]) -> bool:
    return addr is not None and any(addr in net for net in proxies)


def client_ip(request: HttpRequest) -> str:
    """The address a rate limit or a lockout should count against."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    proxies = trusted_proxies()
    if not proxies or not _trusted(_address(remote), proxies):
        return remote
    hops = [h for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    for hop in reversed(hops):
        addr = _address(hop)
        if addr is None:  # a forged, unparsable entry: stop at the last address we can vouch for
            return remote
        if not _trusted(addr, proxies):
            return str(addr)
    return remote


def axes_client_ip(request: HttpRequest) -> str:
    """django-axes' AXES_CLIENT_IP_CALLABLE: lockouts count against the same address."""
    return client_ip(request)


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int

    @classmethod
    def parse(cls, text: str) -> "Rate":
        """"60/m", "5/10m", "1000/d"."""
        match = RATE.fullmatch(text.strip())
        if match is None:
            raise ValueError(f"rate {text!r}: expected COUNT/[N]UNIT with UNIT one of s, m, h, d")
        return cls(int(match[1]), int(match[2] or 1) * UNITS[match[3]])

    def __str__(self) -> str:
        return f"{self.count}/{self.seconds}s"


@dataclass(frozen=True)
class Decision:
    allowed: bool
    remaining: int
    retry_after: int  # seconds until the window turns


def hit(scope: str, ident: str, rate: Rate, *, now: float | None = None) -> Decision:
    """Count one use of `scope` by `ident`; at most `rate.count` are allowed per window."""
    cache = caches["default"]
    now = time.time() if now is None else now
    window = int(now // rate.seconds)
    retry_after = max(1, math.ceil((window + 1) * rate.seconds - now))
    digest = hashlib.sha256(f"{scope}\0{ident}".encode()).hexdigest()[:24]
    base = f"rl:{digest}:{window}"
    # The hint is only a starting point; the slots themselves are what is counted.
    start = cache.get(f"{base}:n", 0)
    for slot in range(start + 1, rate.count + 1):
        if cache.add(f"{base}:{slot}", 1, retry_after + 1):
            cache.set(f"{base}:n", slot, retry_after + 1)
            return Decision(True, rate.count - slot, retry_after)
    cache.set(f"{base}:n", rate.count, retry_after + 1)
    return Decision(False, 0, retry_after)


def limit(request: HttpRequest, scope: str, rate: Rate | str) -> Decision:
    """Count this request against `scope` for its client address."""
    rate = Rate.parse(rate) if isinstance(rate, str) else rate
    return hit(scope, client_ip(request), rate)
