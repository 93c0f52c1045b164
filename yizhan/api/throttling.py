"""django-ninja's throttle hook over yizhan.ratelimit: the real client address (trusted proxies
only) and counts kept in the store all server processes share."""

import threading

from django.http import HttpRequest
from ninja.throttling import BaseThrottle

from yizhan.ratelimit import Rate, limit


class AddressThrottle(BaseThrottle):
    def __init__(self, scope: str, rate: str) -> None:
        self.scope = scope
        self.rate = Rate.parse(rate)
        self._last = threading.local()  # ninja asks wait() right after allow_request(), same thread

    def allow_request(self, request: HttpRequest) -> bool:
        decision = limit(request, self.scope, self.rate)
        self._last.retry_after = decision.retry_after
        return decision.allowed

    def wait(self) -> float | None:
        return getattr(self._last, "retry_after", None)
