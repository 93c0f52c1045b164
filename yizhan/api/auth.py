"""Who is calling: a browser with a Django session (CSRF-checked on unsafe methods) or a program with
an API token (`Authorization: Bearer <key>`)."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja.security import HttpBearer
from ninja.security.apikey import APIKeyCookie
from ninja.utils import check_csrf

from yizhan.api.errors import ApiError
from yizhan.api.tokens import user_for_key


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_key(token)
        if user is not None:
            # Role checks and service functions read request.user, whichever way the caller signed in.
            request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """The Django session of a signed-in browser.

    Unlike django-ninja's own session auth, the CSRF check runs only once a session user is found, and
    a request that carries an Authorization header is left to the token check: a program with a wrong
    or revoked key gets 401, not a CSRF failure."""

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if "authorization" in request.headers:
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if check_csrf(request) is not None:
            raise ApiError(403, _("CSRF 校验失败：请刷新页面后重试"), rule="csrf")
        return user


token_auth = TokenAuth()
session_auth = SessionAuth()
# The token is tried first so that a program never trips over the session's CSRF check.
AUTH = [token_auth, session_auth]
