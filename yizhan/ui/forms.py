"""What every screen's forms share: turning a rule error into a form error."""

from collections.abc import Callable
from typing import TypeVar

from django import forms

from yizhan.errors import RuleError

T = TypeVar("T")


def attempt(form: forms.Form, action: Callable[[], T]) -> T | None:
    """Run a service call; a rule error becomes an error on the field it names (or on the form)."""
    try:
        return action()
    except RuleError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return None

