"""Importing the organisation tree from a legacy system's CSV: `code,name,parent_code,kind` and optionally
`division` (the unit's administrative-division code, yizhan.divisions). Units are
matched by code: new ones are created, existing ones updated. Every app that imports units (the hall's
center, departments and windows; the CDC's townships and villages) goes through `import_units`,
each allowing its own kinds."""

from collections.abc import Iterable
from datetime import datetime
from typing import IO, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yizhan.audit.log import build, record_many
from yizhan.csvrows import ImportResult, Rows
from yizhan.divisions.models import Division
from yizhan.org.models import ALLOWED_PARENT, OrgUnit, UnitKind
from yizhan.org.scope import require_holds
from yizhan.textlimits import field_limit

COLUMNS = ["code", "name", "parent_code", "kind"]
# A parent is always shallower than its child, so saving by depth saves parents first.
DEPTH = {UnitKind.CENTER: 0, UnitKind.DEPARTMENT: 1, UnitKind.CDC: 1, UnitKind.WINDOW: 2,
         UnitKind.TOWNSHIP: 2, UnitKind.VILLAGE: 3}


def import_units(stream: IO[str] | IO[bytes], *, kinds: Iterable[str] = tuple(UnitKind), at: datetime | None = None,
                 actor: Any = None, actor_label: str = "import-units") -> ImportResult:
    """Validate every row (raising ImportFailed with all broken rows, nothing written), then write
    them all in one transaction with one audit event per unit. `kinds`: the kinds this import accepts.
    The tree is the administrators' to change (a person holding no other role may not)."""
    require_holds(actor, ())
    at = at or timezone.now()
    kinds = tuple(str(k) for k in kinds)
    rows = Rows(stream, COLUMNS, ["division"], codes=("code", "parent_code", "division"))
    parsed: list[tuple[int, dict[str, str]]] = []
    seen: dict[str, int] = {}
    for line, row in rows:
        code = rows.required(line, row, "code")
        rows.text(line, row, "code", field_limit(OrgUnit, "code"))
        rows.required(line, row, "name")
        rows.text(line, row, "name", field_limit(OrgUnit, "name"))
        rows.seen_once(line, "code", code, seen)
        kind = row.get("kind", "")
        if kind not in kinds:
            rows.error(line, "kind", _("须为 %(kinds)s 之一：%(v)s") % {"kinds": "、".join(kinds), "v": kind})
        parsed.append((line, row))
    wanted = {row["division"] for _line, row in parsed if row.get("division")}
    divisions = {d.code: d for d in Division.objects.filter(code__in=wanted)}
    for line, row in parsed:
        if row.get("division") and row["division"] not in divisions:
            rows.error(line, "division", _("行政区划不存在：%(v)s") % {"v": row["division"]})
    in_file = {row["code"]: row for _line, row in parsed if row["code"]}
    existing = {u.code: u for u in OrgUnit.objects.filter(code__in=set(in_file) | {
        r["parent_code"] for r in in_file.values() if r["parent_code"]})}
    for line, row in parsed:
        if row["kind"] not in kinds:
            continue
        parent_code = row["parent_code"]
        parent_kind = None
        if parent_code:
            if parent_code in in_file:
                parent_kind = in_file[parent_code]["kind"]
            elif parent_code in existing:
                parent_kind = existing[parent_code].kind
            else:
                rows.error(line, "parent_code", _("上级机构不存在：%(v)s") % {"v": parent_code})
                continue
        if parent_kind not in ALLOWED_PARENT[UnitKind(row["kind"])]:
            rows.error(line, "parent_code", _("%(kind)s 不能设在 %(parent)s 之下") % {
                "kind": UnitKind(row["kind"]).label, "parent": parent_code or _("根")})
    rows.raise_if_any()

    created = updated = 0
    events = []
    with transaction.atomic():
        units = dict(existing)
        for _line, row in sorted(parsed, key=lambda item: DEPTH[UnitKind(item[1]["kind"])]):
            unit = units.get(row["code"])
            is_new = unit is None
            unit = unit or OrgUnit(code=row["code"])
            unit.name, unit.kind = row["name"], row["kind"]
            unit.parent = units[row["parent_code"]] if row["parent_code"] else None
            if row.get("division"):
                unit.division = divisions[row["division"]]
            unit.save()
            units[unit.code] = unit
            created, updated = created + is_new, updated + (not is_new)
            events.append(build("org.unit.imported", unit, actor=actor, actor_label=actor_label, at=at,
                                created=is_new, name=unit.name, kind=unit.kind, parent=row["parent_code"] or None))
        record_many(events)
    return ImportResult(created, updated)
