"""Personal data: which fields hold it, how it is masked, and the audit event of every look at it
unmasked. Every app uses this one rule.

Resident ID numbers and social credit codes keep their first six and last four characters
(`440783********123X`), phone numbers their first three and last four digits (`138****5678`).
They are shown unmasked only on a case's detail (a hall case, a disease report card) to staff whose
scope covers it, and each such view writes a `privacy.revealed` audit event (who, which record, which fields, when)."""

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.db import models, transaction

from yizhan.audit.log import record

ID, PHONE = "id", "phone"

# model label → {field: kind}. Labels, not imports: the audit app sits below every other app.
PERSONAL_FIELDS: dict[str, dict[str, str]] = {
    "hall.case": {"applicant_id": ID, "applicant_phone": PHONE},
    "hall.consultation": {"asker_phone": PHONE},
    "hall.complaint": {"phone": PHONE},
    "hall.appointment": {"applicant_phone": PHONE},
    "hall.staffprofile": {"phone": PHONE},  # the work phone: shown in full to the administrator only
    "surveillance.casecard": {"id_number": ID, "phone": PHONE},
    "tenants.tenant": {"id_number": ID, "phone": PHONE},
}
# Never written anywhere in clear, not even masked: only whether they changed.
SECRET_FIELDS = frozenset({"password", "key_hash"})

REVEALED = "privacy.revealed"


def mask_id(value: str) -> str:
    """440783199001011234 → 440783********1234; short values keep only their last two characters."""
    value = (value or "").strip()
    if len(value) >= 10:
        return value[:6] + "*" * (len(value) - 10) + value[-4:]
    return "*" * max(len(value) - 2, 0) + value[-2:] if len(value) > 2 else "*" * len(value)


def mask_phone(value: str) -> str:
    """13812345678 → 138****5678, 0750-2212345 → 075*-***2345: the digits between the first three
    and the last four are hidden; separators stay. Fewer than eight digits keep only the last two."""
    value = (value or "").strip()
    digits = [i for i, ch in enumerate(value) if ch.isdigit()]
    keep = set(digits[:3] + digits[-4:]) if len(digits) >= 8 else set(digits[-2:])
    return "".join(ch if (i in keep or not ch.isdigit()) else "*" for i, ch in enumerate(value))


MASKS = {ID: mask_id, PHONE: mask_phone}


def mask(kind: str, value: str) -> str:
    return MASKS[kind](value)


def personal_fields(model: type[models.Model] | models.Model) -> dict[str, str]:
    """{field name: kind} of the personal data `model` holds."""
    return PERSONAL_FIELDS.get(model._meta.label_lower, {})


def masked(model: type[models.Model] | models.Model, values: Mapping[str, Any]) -> dict[str, Any]:
    """`values` (field name → value, e.g. one row of a list or an export) with the personal fields of
    `model` masked and secrets replaced by a marker."""
    kinds = personal_fields(model)
    out = {}
    for name, value in values.items():
        if name in SECRET_FIELDS:
            out[name] = "[secret]" if value else ""
        elif name in kinds and isinstance(value, str):
            out[name] = mask(kinds[name], value)
        else:
            out[name] = value
    return out


def masked_value(obj: models.Model, field: str) -> str:
    """One personal field of `obj`, masked."""
    return mask(personal_fields(obj)[field], getattr(obj, field) or "")


def record_reveal(user: Any, obj: models.Model, fields: list[str], *, via: str, at: datetime | None = None) -> None:
    """The audit event of `user` seeing `fields` of `obj` unmasked (only the fields that hold a value)."""
    shown = [f for f in fields if getattr(obj, f, "")]
    if not shown:
        return
    with transaction.atomic():
        record(REVEALED, obj, actor=user, at=at, fields=shown, via=via)
