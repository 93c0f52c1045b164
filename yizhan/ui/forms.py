"""What every screen's forms share: turning a rule error into a form error."""

from collections.abc import Callable
from typing import Any

from django import forms

from yizhan.errors import RuleError


def attempt(form: forms.Form, action: Callable[[], Any]) -> Any:
    """Run a service call and return its result; a rule error becomes an error on the field it names
    (or on the form) and the result None. (Typed Any: in `form.is_valid() and attempt(...)` mypy would
    take the result for a bool.)"""
    try:
        return action()
    except RuleError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return None

