"""What every screen's forms share: turning a rule error into a form error, and the fields and query
parameters that refuse what the services cannot compute with.

The form fields are Django's with Yizhan's bounds: `DateField` and `DateTimeField` keep to the days of
`yizhan.days`, `IntegerField` to the integer column of PostgreSQL (a larger number would fail in the
database, not as a form error). Django's CharField already refuses NUL bytes (and `yizhan.textlimits`
again on save). A refused value is shown on its field, under its label, and the form keeps what was
typed. Query parameters (`?date=`, `?limit=`) that are malformed or out of range fall back to the
screen's default (`day_param`, `int_param`)."""

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from yizhan.days import day_or_none, range_error
from yizhan.errors import RuleError

MAX_INTEGER = 2**31 - 1  # an integer column on PostgreSQL


def attempt(form: forms.Form, action: Callable[[], Any]) -> Any:
    """Run a service call and return its result; a rule error becomes an error on the field it names
    (or on the form) and the result None. (Typed Any: in `form.is_valid() and attempt(...)` mypy would
    take the result for a bool.)"""
    try:
        return action()
    except RuleError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return None


def _in_range(value: date | datetime | None) -> None:
    if value is not None and (error := range_error(value, "")) is not None:
        raise ValidationError(error.message, code=error.rule)


class DateField(forms.DateField):
    """A day between yizhan.days.FIRST_DAY and LAST_DAY."""

    default_validators = [_in_range]


class DateTimeField(forms.DateTimeField):
    """A moment whose day lies between yizhan.days.FIRST_DAY and LAST_DAY."""

    default_validators = [_in_range]


class IntegerField(forms.IntegerField):
    """An integer that fits the database's integer column (a lower `max_value` may be given)."""

    def __init__(self, *, max_value: int = MAX_INTEGER, min_value: int | None = -MAX_INTEGER, **kwargs: Any) -> None:
        super().__init__(max_value=max_value, min_value=min_value, **kwargs)


def day_param(request: HttpRequest, name: str = "date") -> date | None:
    """The day a query parameter names, None when absent, malformed or out of range."""
    return day_or_none(request.GET.get(name, ""))


def int_param(request: HttpRequest, name: str, default: int, *, minimum: int = 1, maximum: int = 500) -> int:
    """A query parameter's whole number, kept within minimum–maximum; `default` when absent or malformed."""
    text = request.GET.get(name, "").strip()
    if not text.isascii() or not text.lstrip("-").isdigit() or len(text) > 12:
        return default
    return min(max(int(text), minimum), maximum)
