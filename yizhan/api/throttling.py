"""django-ninja's throttle hook over yizhan.ratelimit: the real client address (trusted proxies
only) and counts kept in the store all server processes share."""

import threading
from collections.abc import Callable

from django.http import HttpRequest
from ninja.throttling import BaseThrottle

from yizhan.ratelimit import limit


class AddressThrottle(BaseThrottle):
    def __init__(self, scope: str, rate: str | Callable[[], str]) -> None:
        """`rate` as "60/m", or a function returning it (read from settings at each request)."""
        self.scope = scope
        self.rate = rate
        self._last = threading.local()  # ninja asks wait() right after allow_request(), same thread

    def allow_request(self, request: HttpRequest) -> bool:
        decision = limit(request, self.scope, self.rate() if callable(self.rate) else self.rate)
        self._last.retry_after = decision.retry_after
        return decision.allowed

    def wait(self) -> float | None:
        return getattr(self._last, "retry_after", None)
