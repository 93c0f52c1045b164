"""Login lockout (django-axes) for every sign-in that comes with a request: the admin's and any login
page's. A sign-in without a request (a script, a test's Client.login) has no address to count and is
left to the next backend, where django-axes' own backend would refuse it outright."""

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.http import HttpRequest


class LockoutBackend(AxesStandaloneBackend):
    def authenticate(self, request: HttpRequest | None, username: str | None = None, password: str | None = None,
                     **kwargs: Any) -> None:
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)
