"""Values computed at most once per period by all server processes together (the shared cache).

`remember(key, seconds, compute)` keeps the value with the time it stops being fresh. A stale value
is still served while the one process that won the recompute lock replaces it, so a burst of
anonymous clients after expiry triggers one computation, not one per request."""

import time
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import caches

T = TypeVar("T")
STALE_FACTOR = 10  # a stale value is kept this many periods for the others to serve meanwhile
WAIT_SECONDS = 15.0  # with nothing cached yet, how long the others wait for the first computation


def remember(key: str, seconds: int, compute: Callable[[], T]) -> T:
    cache = caches["default"]
    entry = cache.get(key)
    now = time.time()
    if entry is not None and entry[1] > now:
        return entry[0]
    lock = f"{key}:lock"
    if cache.add(lock, 1, timeout=max(30, seconds)):
        try:
            value = compute()
            cache.set(key, (value, time.time() + seconds), timeout=seconds * STALE_FACTOR)
            return value
        finally:
            cache.delete(lock)
    if entry is not None:
        return entry[0]
    deadline = now + WAIT_SECONDS
    while time.time() < deadline:
        time.sleep(0.05)
        entry = cache.get(key)
        if entry is not None:
            return entry[0]
    return compute()
