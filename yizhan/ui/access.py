"""The one view-side role check of the screens. Which rows a screen shows is still decided by
`yizhan.org.scope` (restrict/permits); this only answers "may this person open this screen at all",
with the same scope function: a user may open a screen when they hold one of its roles somewhere."""

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from yizhan.org.models import OrgUnit, Role
from yizhan.org.scope import roles_held, units


def allows(held: set[str] | None, roles: Iterable[str]) -> bool:
    """Whether a person holding `held` (from `roles_held`) holds one of `roles`; administrators and
    superusers always do."""
    return held is None or bool(held & {*roles, Role.ADMINISTRATOR})


def holds_any(user: Any, roles: Iterable[str]) -> bool:
    """Whether `user` holds one of `roles` at some unit (superusers and administrators always do)."""
    return allows(roles_held(user), roles)


def as_pk(value: Any) -> int | None:
    """A primary key as a form or a query names it; None for anything else ("x'--", "1e3", "²")."""
    text = str(value if value is not None else "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 18 else None


def unit_in_scope(user: Any, roles: Iterable[str], pk: Any, kind: str | None = None) -> OrgUnit:
    """The unit `pk` if it lies in `user`'s subtrees for `roles`; otherwise (a malformed `pk` too)
    PermissionDenied."""
    wanted = as_pk(pk)
    qs = units(user, roles)
    unit = (qs.filter(kind=kind) if kind else qs).filter(pk=wanted).first() if wanted is not None else None
    if unit is None:
        raise PermissionDenied
    return unit


def require_roles(*roles: str) -> Callable:
    """Decorator: login required, then one of `roles` held somewhere, else 403."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not holds_any(request.user, roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        # The nav reads it to show only the screens a person may open.
        wrapped.required_roles = roles  # type: ignore[attr-defined]
        return wrapped

    return decorate
