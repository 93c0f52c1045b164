"""What every hall screen does alike: run a service call and show its rule error, find a row in scope."""

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.db import models, transaction
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme

from yizhan.errors import RuleError
from yizhan.org.scope import restrict
from yizhan.ui.access import as_pk

M = TypeVar("M", bound=models.Model)


def in_scope(request: HttpRequest, model: type[M], pk: Any, action: str = "view", qs=None) -> M:
    """The row `pk` of `model` if the signed-in person may see (or change) it; 404 otherwise, so a row
    outside one's subtree is indistinguishable from one that does not exist."""
    rows = restrict(qs if qs is not None else model._default_manager.all(), request.user, action)
    wanted = as_pk(pk)
    obj = rows.filter(pk=wanted).first() if wanted is not None else None
    if obj is None:
        raise Http404
    return obj


def act(request: HttpRequest, steps: Callable[[], Any], success: Any = None) -> Any:
    """Run `steps` (one or more service calls) in one transaction. A rule error becomes an error
    message naming the field and nothing is written; success adds `success` as a message."""
    try:
        with transaction.atomic():
            result = steps()
    except RuleError as err:
        messages.error(request, str(err))
        return None
    if success:
        messages.success(request, success)
    return result


def back(request: HttpRequest, default: str) -> HttpResponseRedirect:
    """Redirect to the form's `next` when it is on this site, else to `default`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = default
    return HttpResponseRedirect(target or default)
