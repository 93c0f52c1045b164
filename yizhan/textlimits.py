"""Text stored within its column, on every database: each CharField's `max_length` is enforced before
a row is saved (SQLite would store any length; PostgreSQL fails mid-transaction with a server error),
and NUL bytes and lone surrogates are refused in every text column (PostgreSQL cannot store them).

`check_text(instance)` raises InvalidInput naming the model field (and its verbose name as the
label); `install()` runs it before every
save of a model of Yizhan's own apps, so each service function (which saves inside its transaction)
refuses such values with a rule error and writes nothing. Bulk writes (`bulk_create`) bypass save: the
imports that use them check their values with the same limits (`field_limit`)."""

from functools import cache
from typing import Any, cast

from django.db import models
from django.db.models.signals import pre_save
from django.utils.translation import gettext_lazy as _

from yizhan.errors import InvalidInput
from yizhan.identifiers import unsafe_char_error


@cache
def _text_fields(model: type[models.Model]) -> tuple[tuple[str, str, int | None, Any], ...]:
    return tuple(
        (f.name, f.attname, f.max_length if isinstance(f, models.CharField) else None, f.verbose_name)
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField)
    )


def field_limit(model: type[models.Model], name: str) -> int:
    """The column limit of a CharField, for callers that check values before building rows."""
    return cast(models.Field, model._meta.get_field(name)).max_length


def length_error(value: str, limit: int | None, field: str) -> InvalidInput | None:
    if limit is not None and len(value) > limit:
        return InvalidInput(_("不能超过 %(n)d 个字符（现为 %(len)d 个）") % {"n": limit, "len": len(value)},
                            field=field, rule="max_length")
    return None


def check_text(instance: models.Model) -> None:
    """Raise InvalidInput for the first text field of `instance` that is too long or holds a NUL byte
    or a lone surrogate."""
    for name, attname, limit, label in _text_fields(type(instance)):
        value = getattr(instance, attname)
        if not isinstance(value, str):
            continue
        error = unsafe_char_error(value, name, controls=False) if not value.isprintable() else None
        if (error := error or length_error(value, limit, name)) is not None:
            error.label = label
            raise error


def _before_save(sender: type[models.Model], instance: models.Model, raw: bool = False, **kwargs: Any) -> None:
    if not raw and sender.__module__.startswith("yizhan."):
        check_text(instance)


def install() -> None:
    pre_save.connect(_before_save, dispatch_uid="yizhan.textlimits")
