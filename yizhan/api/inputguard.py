"""The API's net under every route: a NUL byte or a lone surrogate in any path segment, query value
or JSON string is refused with 422 and the field's name before any operation runs. No database stores
them alike (PostgreSQL refuses NUL outright, and cannot encode a lone surrogate), so a route whose
schema forgot a check would otherwise fail with a server error on one database and not the other.
Routes check their own inputs further (yizhan.api.common); this is only the floor.

On the screens, the same floor holds for the query string: a filter, a page number or a search box
never carries a NUL typed by a person, and one there is answered with the 400 page (Django's
SuspiciousOperation). Posted forms are left to their fields, which name the field that holds one."""

import json
from collections.abc import Callable, Iterator
from typing import Any

from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import Resolver404, resolve

from yizhan.api.errors import envelope, item
from yizhan.identifiers import unsafe_char_error

API_PREFIX = "/api/"


def _strings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, inner in value.items():
            yield from _strings(key, path)
            yield from _strings(inner, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for i, inner in enumerate(value):
            yield from _strings(inner, f"{path}.{i}" if path else str(i))


def _query(request: HttpRequest) -> Iterator[tuple[str, str]]:
    for name, values in request.GET.lists():
        yield from ((name, v) for v in [name, *values])


def _unsafe(value: str, field: str):
    return None if value.isprintable() else unsafe_char_error(value, field, controls=False)


def _inputs(request: HttpRequest) -> Iterator[tuple[str, str]]:
    try:
        kwargs = resolve(request.path_info).kwargs
    except Resolver404:
        kwargs = {}
    yield from ((name, str(value)) for name, value in kwargs.items())
    if "\x00" in request.path_info:
        yield "path", request.path_info
    yield from _query(request)
    if request.content_type == "application/json" and request.body:
        try:
            body = json.loads(request.body)
        except ValueError:
            return  # the operation answers a body that is not JSON itself (400)
        yield from _strings(body, "")


def first_unsafe(request: HttpRequest) -> JsonResponse | None:
    for field, value in _inputs(request):
        if (error := _unsafe(value, field)) is not None:
            return JsonResponse(envelope([item(field, error.rule, error.message)]), status=422,
                                json_dumps_params={"ensure_ascii": False})
    return None


class InputGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(API_PREFIX):
            if (refused := first_unsafe(request)) is not None:
                return refused
        elif any(_unsafe(value, name) is not None for name, value in _query(request)):
            raise SuspiciousOperation("a NUL byte or a lone surrogate in the query string")
        return self.get_response(request)
