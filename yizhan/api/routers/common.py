"""Small pieces every router uses: the period of a figures query, org-unit references, the caller."""

from datetime import date
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Schema

from yizhan.api.errors import ApiError
from yizhan.calendar.workdays import local_date


class UnitRef(Schema):
    code: str
    name: str


def unit_ref(unit) -> dict | None:
    return {"code": unit.code, "name": unit.name} if unit is not None else None


def period(first: date | None, last: date | None) -> tuple[date, date]:
    """Inclusive local dates: `to` defaults to today (Asia/Shanghai), `from` to `to`."""
    last = last or local_date(timezone.now())
    first = first or last
    if first > last:
        raise ApiError(422, _("开始日期不能晚于结束日期"), field="from", rule="period_order")
    return first, last


def user(request: HttpRequest) -> Any:
    """The signed-in user or the token's owner."""
    return request.auth
