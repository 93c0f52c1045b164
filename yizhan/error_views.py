"""The error pages of the screens (400, 403, 404, 500), installed as Django's handlers in
`yizhan.urls`. Under /api/ the same failures answer in the API's JSON envelope instead, so a failure
raised before the API itself runs (a middleware, an unknown path) is never an HTML page there.

The 500 page is rendered without the request's context processors: whatever broke the request (the
database, the session) must not break its error page too. It shows the request id, which the log
carries with the traceback (`yizhan.logs`)."""

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext_lazy as _

from yizhan.api.errors import SERVER_ERROR_MESSAGE, envelope, item
from yizhan.logs import request_id

API_PREFIX = "/api/"


def _json(status: int, rule: str, message: Any) -> JsonResponse:
    return JsonResponse(envelope([item("", rule, message)]), status=status, json_dumps_params={"ensure_ascii": False})


def _page(request: HttpRequest, status: int, template: str) -> HttpResponse:
    body = loader.get_template(template).render({"request_id": request_id(request), "path": request.path}, request)
    return HttpResponse(body, status=status, content_type="text/html; charset=utf-8")


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return _json(400, "bad_request", _("请求无效"))
    return _page(request, 400, "400.html")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return _json(403, "forbidden", _("无权执行此操作"))
    return _page(request, 403, "403.html")


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return _json(404, "not_found", _("找不到请求的对象"))
    return _page(request, 404, "404.html")


def server_error(request: HttpRequest) -> HttpResponse:
    rid = request_id(request)
    if request.path.startswith(API_PREFIX):
        return _json(500, "server_error", SERVER_ERROR_MESSAGE % {"id": rid})
    try:
        body = loader.get_template("500.html").render({"request_id": rid})
    except Exception:  # a broken template must not hide the original failure behind another
        body = f"<!DOCTYPE html><title>500</title><h1>500 Server Error</h1><p>{rid}</p>"
    return HttpResponse(body, status=500, content_type="text/html; charset=utf-8")
