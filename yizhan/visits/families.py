"""The register of families in difficulty: entered one at a time (screen, API) or imported from a CSV
(`household_no,head_name,employee_name,employee_id,members,reason,…`), the employee's resident ID
checked (length, birth date, check digit) either way."""

from datetime import datetime
from typing import IO, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _g

from yizhan.audit.log import build, record, record_many
from yizhan.csvrows import ImportResult, Rows
from yizhan.errors import InvalidInput
from yizhan.identifiers import normalize, validate_phone, validate_resident_id
from yizhan.org.models import OrgUnit
from yizhan.org.scope import require_covers
from yizhan.textlimits import field_limit
from yizhan.visits.models import VISIT_CHANGE_ROLES, Family, Reason

TEXT_FIELDS = ("household_no", "head_name", "employee_name", "members_note", "reason_detail", "address")
COLUMNS = ["household_no", "head_name", "employee_name", "employee_id", "members", "reason"]
OPTIONAL = ["members_note", "reason_detail", "address", "phone"]
MAX_MEMBERS = 30


def _reason(value: str) -> str:
    """A reason by its code or its Chinese label (大病重病)."""
    for choice in Reason:
        if value in (choice.value, str(choice.label)):
            return choice.value
    raise InvalidInput(_g("困难原因须为 %(v)s 之一") % {"v": "、".join(str(c.label) for c in Reason)},
                       field="reason", rule="choice")


def clean(values: dict[str, Any]) -> dict[str, Any]:
    """The family's fields checked and normalised; the first broken one raises InvalidInput naming it."""
    out = {}
    for name in TEXT_FIELDS:
        value = str(values.get(name) or "").strip()
        if name in ("household_no", "head_name", "employee_name") and not value:
            raise InvalidInput(_g("不能为空"), field=name, rule="required")
        if len(value) > field_limit(Family, name):
            raise InvalidInput(_g("不能超过 %(n)d 个字符") % {"n": field_limit(Family, name)}, field=name,
                               rule="max_length")
        out[name] = value
    out["household_no"] = normalize(out["household_no"], field="household_no")
    out["employee_id"] = validate_resident_id(str(values.get("employee_id") or ""), field="employee_id")
    members = values.get("members", 1)
    if isinstance(members, bool) or not isinstance(members, int) or not 1 <= members <= MAX_MEMBERS:
        raise InvalidInput(_g("家庭人口须为 1 至 %(n)d 的整数") % {"n": MAX_MEMBERS}, field="members", rule="range")
    out["members"] = members
    out["reason"] = _reason(str(values.get("reason") or ""))
    out["phone"] = validate_phone(values.get("phone") or "", field="phone") if values.get("phone") else ""
    return out


def require_officer(actor: Any, unit: OrgUnit) -> None:
    require_covers(actor, VISIT_CHANGE_ROLES, unit, field="unit", rule="welfare_officer_only",
                   message=_g("只有本单位的工会福利干事可以登记困难家庭"))


def register_family(unit: OrgUnit, *, actor: Any = None, at: datetime | None = None, **values: Any) -> Family:
    """Put a family on `unit`'s register; a household number already there is refused."""
    fields = clean(values)  # the family's own fields first, so a bad ID number is named whatever the unit
    require_officer(actor, unit)
    with transaction.atomic():
        if Family.objects.filter(unit=unit, household_no=fields["household_no"]).exists():
            raise InvalidInput(_g("户号 %(n)s 已登记") % {"n": fields["household_no"]}, field="household_no",
                               rule="duplicate")
        family = Family.objects.create(unit=unit, **fields)
        record("visits.family.registered", family, actor=actor, at=at, unit=unit.code,
               **{k: v for k, v in fields.items() if k != "employee_id"})
    return family


def import_families(stream: IO[str] | IO[bytes], unit: OrgUnit, *, actor: Any = None,
                    actor_label: str = "import-families") -> ImportResult:
    """Every row checked first (all broken rows reported with line and field, nothing written), then
    families created or updated by household number in one transaction."""
    require_officer(actor, unit)
    rows = Rows(stream, COLUMNS, OPTIONAL, codes=("household_no", "employee_id", "members", "phone"))
    parsed: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for line, row in rows:
        rows.seen_once(line, "household_no", row.get("household_no", ""), seen)
        members = rows.integer(line, row, "members", maximum=MAX_MEMBERS)
        try:
            parsed.append(clean({**row, "members": members if members is not None else 1}))
        except InvalidInput as exc:
            rows.error(line, exc.field, exc.message)
    rows.raise_if_any()
    created = updated = 0
    at = timezone.now()
    with transaction.atomic():
        existing = {f.household_no: f for f in Family.objects.filter(unit=unit)}
        events = []
        for fields in parsed:
            family = existing.get(fields["household_no"])
            if family is None:
                family = Family.objects.create(unit=unit, **fields)
                created += 1
            else:
                for name, value in fields.items():
                    setattr(family, name, value)
                family.save()
                updated += 1
            events.append(build("visits.family.imported", family, actor=actor, actor_label=actor_label, at=at,
                                unit=unit.code, household_no=family.household_no))
        record_many(events)
    return ImportResult(created, updated)
