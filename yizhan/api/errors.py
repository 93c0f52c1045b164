"""One error envelope for everything the API refuses:

    {"errors": [{"field": "applicant_id", "rule": "resident_id_check_digit", "message": "..."}]}

`field` names the input at fault ("" when the problem is the object's state or the caller), `rule` is a
stable machine-readable code, `message` is for people. Status codes: 401 not signed in, 403 not allowed,
404 unknown (or outside the caller's scope), 409 the object's state does not allow the action,
422 the input breaks a rule; 400 only for a body that is not JSON at all; 500 a fault of the server, whose
traceback goes to the log under the request id the message quotes (`yizhan.logs`)."""

import logging
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError

from yizhan.api.tokens import TokenError
from yizhan.clock.errors import ClockError
from yizhan.errors import IllegalTransition, ImportFailed, NotPermitted, RuleError
from yizhan.logs import request_id

logger = logging.getLogger("yizhan.api")
SERVER_ERROR_MESSAGE = _("服务器内部错误，已记录在日志中（请求编号 %(id)s）")


class ErrorItem(Schema):
    field: str
    rule: str
    message: str
    line: int | None = None


class ErrorEnvelope(Schema):
    errors: list[ErrorItem]


# Declared on every operation so the OpenAPI document shows the envelope for each failure status.
ERROR_RESPONSES: dict[int, type[Schema]] = {
    400: ErrorEnvelope, 401: ErrorEnvelope, 403: ErrorEnvelope, 404: ErrorEnvelope, 409: ErrorEnvelope,
    405: ErrorEnvelope, 422: ErrorEnvelope, 500: ErrorEnvelope,
}
# The public applicant operations may also answer 429 (too many wrong guesses; see Retry-After).
PUBLIC_ERROR_RESPONSES: dict[int, type[Schema]] = {**ERROR_RESPONSES, 429: ErrorEnvelope}


class ApiError(Exception):
    """A refusal decided by the API layer itself (authentication, scope, an unknown id)."""

    def __init__(self, status: int, message: Any, *, field: str = "", rule: str) -> None:
        self.status, self.message, self.field, self.rule = status, str(message), field, rule
        super().__init__(self.message)


def not_found(what: Any, *, field: str = "") -> ApiError:
    return ApiError(404, _("%(what)s不存在或不在您的权限范围内") % {"what": what}, field=field, rule="not_found")


def item(field: str, rule: str, message: Any, line: int | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"field": field, "rule": rule, "message": str(message)}
    if line is not None:
        out["line"] = line
    return out


def envelope(items: Iterable[dict[str, Any]]) -> dict[str, Any]:
    return {"errors": list(items)}


def field_of(loc: Iterable[Any]) -> str:
    """The input a pydantic error points at: ("body", "payload", "applicant_id") → "applicant_id",
    ("query", "from") → "from"; list positions stay ("materials.0.id")."""
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("body", "query", "path", "form", "header", "cookie", "file"):
        source, parts = parts[0], parts[1:]
        if source == "body" and len(parts) > 1:
            parts = parts[1:]  # the operation's parameter name
    return ".".join(parts)


def _validation_items(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for err in errors:
        message = err.get("msg", "")
        if isinstance(err.get("ctx"), dict) and err["ctx"].get("error"):
            message = str(err["ctx"]["error"])
        out.append(item(field_of(err.get("loc", ())), str(err.get("type", "invalid")), message))
    return out


def _hall_status(exc: RuleError) -> int:
    # A rule error may name its own status (the lookup: 404 for a wrong guess, 429 while slowed down).
    if exc.http_status:
        return exc.http_status
    if isinstance(exc, IllegalTransition):
        return 409
    if isinstance(exc, NotPermitted):
        return 403
    return 422


def install(api: NinjaAPI) -> None:
    """Replace django-ninja's default error bodies with the envelope."""

    def respond(request: HttpRequest, items: list[dict[str, Any]], status: int) -> HttpResponse:
        return api.create_response(request, envelope(items), status=status)

    @api.exception_handler(ValidationError)
    def _validation(request, exc: ValidationError):
        return respond(request, _validation_items(exc.errors), 422)

    @api.exception_handler(ApiError)
    def _api(request, exc: ApiError):
        return respond(request, [item(exc.field, exc.rule, exc.message)], exc.status)

    @api.exception_handler(RuleError)
    def _hall(request, exc: RuleError):
        if isinstance(exc, ImportFailed):
            items = [item(e.field, "import_row", e.message, e.line) for e in exc.errors]
        else:
            items = [item(exc.field, exc.rule, exc.message)]
        response = respond(request, items, _hall_status(exc))
        if exc.retry_after:
            response["Retry-After"] = str(exc.retry_after)
        return response

    @api.exception_handler(ClockError)
    def _clock(request, exc: ClockError):
        return respond(request, [item("", "clock_state", exc)], 409)

    @api.exception_handler(TokenError)
    def _token(request, exc: TokenError):
        return respond(request, [item(exc.field, exc.rule, exc.message)], 422)

    @api.exception_handler(DjangoValidationError)
    def _django_validation(request, exc: DjangoValidationError):
        if hasattr(exc, "error_dict"):
            items = [item(f if f != "__all__" else "", "invalid", m) for f, ms in exc.message_dict.items() for m in ms]
        else:
            items = [item("", "invalid", m) for m in exc.messages]
        return respond(request, items, 422)

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request, exc):
        return respond(request, [item("", "authentication_required",
                                      _("需要登录或提供接口令牌（Authorization: Bearer <令牌>）"))], 401)

    @api.exception_handler(AuthorizationError)
    def _forbidden(request, exc):
        return respond(request, [item("", "forbidden", _("无权执行此操作"))], 403)

    @api.exception_handler(PermissionDenied)
    def _permission_denied(request, exc):
        return respond(request, [item("", "forbidden", str(exc) or _("无权执行此操作"))], 403)

    @api.exception_handler(Http404)
    def _http404(request, exc):
        return respond(request, [item("", "not_found", _("找不到请求的对象"))], 404)

    @api.exception_handler(ObjectDoesNotExist)
    def _does_not_exist(request, exc):
        return respond(request, [item("", "not_found", _("找不到请求的对象"))], 404)

    @api.exception_handler(HttpError)
    def _http(request, exc: HttpError):
        # 400: a body that cannot be parsed at all (not JSON); 429: the public lookup's rate limit.
        rule = {400: "malformed_body", 429: "rate_limited"}.get(exc.status_code, f"http_{exc.status_code}")
        return respond(request, [item("body" if exc.status_code == 400 else "", rule, exc.message)], exc.status_code)

    @api.exception_handler(Exception)
    def _server_error(request, exc: Exception):
        # Anything not handled above is a fault of ours: the traceback goes to the log (with the
        # request's id, path and user), the caller gets the envelope with the id to quote.
        logger.error("Internal Server Error: %s", request.path, exc_info=exc, extra={"status_code": 500})
        response = respond(request, [item("", "server_error", SERVER_ERROR_MESSAGE % {"id": request_id(request)})],
                           500)
        # django.request would log it again, without the traceback
        response._has_been_logged = True  # type: ignore[attr-defined]
        return response


def unknown_api_path(request: HttpRequest) -> JsonResponse:
    """Paths under /api/ that no operation serves."""
    return JsonResponse(envelope([item("", "not_found", _("没有这个接口：%(path)s") % {"path": request.path})]),
                        status=404, json_dumps_params={"ensure_ascii": False})
