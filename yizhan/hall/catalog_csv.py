"""Importing and exporting the matter catalog as CSV.

Columns: code,name,department_code,kind,statutory_days,promised_days (required), then optionally
green_channel_days, materials (names separated by ";"), fee (yuan), legal_basis, window_codes
(window codes separated by ";"; empty: every window of the department). Matters are matched by code.
Codes are NFKC-normalised; time limits are whole working days up to 3650; text and amounts must fit
their columns (name 200 characters, fee 10 digits and 2 decimals).
Imported materials are added as mandatory originals, one copy; materials already on the matter keep
the details set in the admin, and none is removed by an import."""

from collections.abc import Iterable
from datetime import datetime
from typing import IO, Any

from django.db import transaction
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _

from yizhan import csvrows
from yizhan.audit.log import build, record_many
from yizhan.csvrows import ImportResult, Rows, split_list
from yizhan.hall.matter_limits import limit_errors
from yizhan.hall.models import Material, Matter
from yizhan.hall.service import resolve_at
from yizhan.org.models import OrgUnit, UnitKind
from yizhan.org.scope import require_holds
from yizhan.textlimits import field_limit

REQUIRED = ["code", "name", "department_code", "kind", "statutory_days", "promised_days"]
OPTIONAL = ["green_channel_days", "materials", "fee", "legal_basis", "window_codes"]
COLUMNS = REQUIRED + OPTIONAL
CODES = ("code", "department_code", "window_codes")
MAX_DAYS = 3650  # ten years of working days: longer is a typing error, and beyond the calendar's data


def import_catalog(stream: IO[str] | IO[bytes], *, at: datetime | None = None, actor: Any = None,
                   actor_label: str = "import-catalog") -> ImportResult:
    """Validate every row (raising ImportFailed listing each broken line and field, nothing written),
    then create or update the matters in one transaction with one audit event per matter. The catalogue
    is the administrators' to change."""
    require_holds(actor, ())
    at = resolve_at(at)
    rows = Rows(stream, REQUIRED, OPTIONAL, codes=CODES)
    raw = list(rows)
    codes = {row.get("department_code", "") for _l, row in raw}
    codes |= {c for _l, row in raw for c in split_list(row.get("window_codes", ""))}
    units = {u.code: u for u in OrgUnit.objects.filter(code__in=codes)}
    seen: dict[str, int] = {}
    parsed = []
    for line, row in raw:
        code = rows.required(line, row, "code")
        rows.text(line, row, "code", field_limit(Matter, "code"))
        rows.seen_once(line, "code", code, seen)
        rows.required(line, row, "name")
        rows.text(line, row, "name", field_limit(Matter, "name"))
        department = units.get(row.get("department_code", ""))
        if not row.get("department_code"):
            rows.error(line, "department_code", _("不能为空"))
        elif department is None or department.kind != UnitKind.DEPARTMENT:
            rows.error(line, "department_code", _("不是已有的进驻部门：%(v)s") % {"v": row["department_code"]})
        values: dict[str, Any] = {
            "kind": row.get("kind", ""),
            "statutory_days": rows.integer(line, row, "statutory_days", maximum=MAX_DAYS),
            "promised_days": rows.integer(line, row, "promised_days", maximum=MAX_DAYS),
            "green_channel_days": rows.integer(line, row, "green_channel_days", optional=True, maximum=MAX_DAYS),
        }
        values["green_channel"] = values["green_channel_days"] is not None
        for field, message in limit_errors(**values).items():
            rows.error(line, field, message)
        fee_field = Matter._meta.get_field("fee")
        fee = rows.decimal(line, row, "fee", max_digits=fee_field.max_digits, decimal_places=fee_field.decimal_places)
        materials = split_list(row.get("materials", ""))
        if len(set(materials)) != len(materials):
            rows.error(line, "materials", _("材料名称重复"))
        if any(len(m) > field_limit(Material, "name") for m in materials):
            rows.error(line, "materials", _("材料名称不能超过 %(n)d 字") % {"n": field_limit(Material, "name")})
        windows = []
        for wcode in split_list(row.get("window_codes", "")):
            window = units.get(wcode)
            if window is None or window.kind != UnitKind.WINDOW:
                rows.error(line, "window_codes", _("不是已有的窗口：%(v)s") % {"v": wcode})
            windows.append(window)
        parsed.append((row, department, values, fee, materials, windows))
    rows.raise_if_any()

    existing = {m.code: m for m in Matter.objects.filter(code__in=seen)}
    created = updated = 0
    events = []
    with transaction.atomic():
        for row, department, values, fee, materials, windows in parsed:
            matter = existing.get(row["code"])
            is_new = matter is None
            matter = matter or Matter(code=row["code"])
            matter.name, matter.department, matter.fee = row["name"], department, fee
            matter.legal_basis = row.get("legal_basis", matter.legal_basis or "")
            for field, value in values.items():
                setattr(matter, field, value)
            matter.save()
            if "window_codes" in rows.columns:
                matter.windows.set(windows)
            added = _add_materials(matter, materials)
            created, updated = created + is_new, updated + (not is_new)
            events.append(build("hall.matter.imported", matter, actor=actor, actor_label=actor_label, at=at,
                                created=is_new, name=matter.name, department=department.code, kind=matter.kind,
                                statutory_days=matter.statutory_days, promised_days=matter.promised_days,
                                green_channel_days=matter.green_channel_days, fee=matter.fee,
                                materials_added=added))
        record_many(events)
    return ImportResult(created, updated)


def _add_materials(matter: Matter, names: list[str]) -> list[str]:
    have = {name: sort for name, sort in matter.materials.values_list("name", "sort")}
    start = max(have.values(), default=0)
    new = [name for name in names if name not in have]
    Material.objects.bulk_create(
        [Material(matter=matter, name=name, sort=start + i + 1) for i, name in enumerate(new)]
    )
    return new


def export_rows(matters: Iterable[Matter]) -> Iterable[list[str]]:
    yield COLUMNS
    for m in matters:
        yield [
            m.code, m.name, m.department.code, m.kind, str(m.statutory_days), str(m.promised_days),
            "" if m.green_channel_days is None or not m.green_channel else str(m.green_channel_days),
            ";".join(mat.name for mat in m.materials.all()),
            f"{m.fee:.2f}", m.legal_basis, ";".join(w.code for w in m.windows.all()),
        ]


def export_catalog(out: IO[str] | HttpResponse, matters: Iterable[Matter] | None = None) -> int:
    """Write the catalog (or `matters`) as CSV in the import format. Returns the number of matters."""
    if matters is None:
        matters = Matter.objects.all()
    matters = list(matters.select_related("department").prefetch_related("materials", "windows")
                   if hasattr(matters, "select_related") else matters)
    writer = csvrows.writer(out)
    writer.writerows(export_rows(matters))
    return len(matters)

