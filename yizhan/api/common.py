"""Small pieces every router uses: the input types (codes, free text, dates, pagination), the period
of a figures query, org-unit references, the caller.

Input types, each refusing with 422 and the field's name:
- `Code` (identifiers, codes, case numbers, user names): NFKC-normalised with ASCII digits
  (`yizhan.identifiers.normalize`), at most 64 characters, no NUL bytes, lone surrogates or control
  characters;
- `Text` (free text): no NUL bytes or lone surrogates; `Annotated[Text, max_length_of(Model, "field")]` also within the
  model field's max_length (which the service layer enforces again, `yizhan.textlimits`);
- `Day`: a date written YYYY-MM-DD between 2000-01-01 and 2099-12-31 (a bare number such as `0` is
  not a date);
- `Limit` and `Offset`: 1–500 rows a page, starting at most at row 100 000;
- `Id` and `Seq`: positive integers within the database's range."""

import re
from datetime import date
from typing import Annotated, Any

from django.db import models
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Field, Schema
from pydantic import BeforeValidator, StringConstraints
from pydantic_core import PydanticCustomError

from yizhan.api.errors import ApiError
from yizhan.calendar.workdays import local_date
from yizhan.errors import InvalidInput
from yizhan.identifiers import normalize, unsafe_char_error
from yizhan.textlimits import field_limit

FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2099, 12, 31)
MAX_LIMIT, MAX_OFFSET = 500, 100_000
MAX_ID = 2**63 - 1  # BigAutoField on both databases
MAX_SEQ = 2**31 - 1  # IntegerField on PostgreSQL
CODE_LENGTH = 64
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _refusal(exc: InvalidInput) -> PydanticCustomError:
    return PydanticCustomError(exc.rule, str(exc.message))


def _code(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    try:
        return normalize(value, field="")
    except InvalidInput as exc:
        raise _refusal(exc) from None


def _text(value: Any) -> Any:
    if isinstance(value, str) and not value.isprintable():
        if (error := unsafe_char_error(value, "", controls=False)) is not None:
            raise _refusal(error)
    return value


def _day(value: Any) -> Any:
    if isinstance(value, date):
        parsed = value
    elif isinstance(value, str) and _ISO_DAY.fullmatch(value.strip()):
        try:
            parsed = date.fromisoformat(value.strip())
        except ValueError:
            raise PydanticCustomError("date_invalid", str(_("不是有效的日期：%(v)s") % {"v": value})) from None
    else:
        raise PydanticCustomError("date_format", str(_("日期应写作 YYYY-MM-DD")))
    if not FIRST_DAY <= parsed <= LAST_DAY:
        raise PydanticCustomError("date_range", str(_("日期须在 %(first)s 至 %(last)s 之间") % {
            "first": FIRST_DAY.isoformat(), "last": LAST_DAY.isoformat()}))
    return parsed


Code = Annotated[str, BeforeValidator(_code), StringConstraints(max_length=CODE_LENGTH)]
Text = Annotated[str, BeforeValidator(_text)]


def max_length_of(model: type[models.Model], name: str) -> StringConstraints:
    """The model field's column length (`max_length`) as a constraint: `Annotated[Text, max_length_of(Case,
    "applicant_name")]` is `Text` that fits the column, and the document shows the limit."""
    return StringConstraints(max_length=field_limit(model, name))


Day = Annotated[date, BeforeValidator(_day)]
DAY_RANGE = f"YYYY-MM-DD, {FIRST_DAY.isoformat()} to {LAST_DAY.isoformat()}"
Limit = Annotated[int, Field(ge=1, le=MAX_LIMIT, description=f"rows per page, at most {MAX_LIMIT}")]
Offset = Annotated[int, Field(ge=0, le=MAX_OFFSET, description=f"rows to skip, at most {MAX_OFFSET}")]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Seq = Annotated[int, Field(ge=1, le=MAX_SEQ)]


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
    return request.auth  # type: ignore[attr-defined]  # set by django-ninja's authentication
