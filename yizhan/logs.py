"""Structured logging: one JSON object per line, each carrying the request it belongs to.

`RequestIdMiddleware` gives every request an id (the caller's `X-Request-ID` when it is a plain token,
otherwise a new one), returns it in the `X-Request-ID` response header, and writes one access line
per request (logger `yizhan.request`). `RequestFilter` adds request id, method, path, user and status
to every record logged while a request is served (and to `django.request`'s records, which carry the
request themselves); `JsonFormatter` writes the record, its traceback included, as one line."""

import json
import logging
import re
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from django.http import HttpRequest, HttpResponse

_current: ContextVar[HttpRequest | None] = ContextVar("yizhan_request", default=None)
_CALLER_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")
access_log = logging.getLogger("yizhan.request")

# Attributes every LogRecord has; anything else was passed in `extra` and is written as is.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "request", "status_code"}


def current_request() -> HttpRequest | None:
    return _current.get()


def request_id(request: HttpRequest | None = None) -> str:
    request = request if request is not None else _current.get()
    return getattr(request, "request_id", "") if request is not None else ""


def _username(request: HttpRequest) -> str | None:
    user = getattr(request, "user", None)
    try:
        return user.get_username() if user is not None and user.is_authenticated else None
    except Exception:  # the session store itself may be what failed; the log line must still be written
        return None


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get("X-Request-ID", "")
        request.request_id = given if _CALLER_ID.fullmatch(given) else uuid.uuid4().hex  # type: ignore[attr-defined]
        token = _current.set(request)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request.request_id  # type: ignore[attr-defined]
            access_log.info("%s %s %s", request.method, request.path, response.status_code, extra={
                "request": request, "status_code": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1)})
            return response
        finally:
            _current.reset(token)


class RequestFilter(logging.Filter):
    """Adds request_id, method, path, user (and status when known) from the record's own request or
    the one being served."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        if not isinstance(request, HttpRequest):
            request = _current.get()
        if request is not None:
            record.request_id = request_id(request)
            record.method = request.method
            record.path = request.path
            record.user = _username(request)
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key in ("request_id", "method", "path", "user", "status_code"):
            if hasattr(record, key):
                out["status" if key == "status_code" else key] = getattr(record, key)
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in out and key not in ("request_id", "method", "path", "user"):
                out[key] = value
        if record.exc_info:
            out["exc_type"] = record.exc_info[0].__name__ if record.exc_info[0] else None
            out["traceback"] = self.formatException(record.exc_info)
        elif record.exc_text:
            out["traceback"] = record.exc_text
        return json.dumps(out, ensure_ascii=False, default=str)
