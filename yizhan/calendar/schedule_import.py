"""Importing a year's official schedule, or local adjustments, from a small CSV file.

Format (UTF-8, header row): `date,kind,name` — kind `holiday` (a day off that would otherwise be
worked) or `workday` (a 调休 make-up working day on a weekend); name e.g. 春节.
"""

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from yizhan.calendar.models import CalendarYear, DayOverride
from yizhan.calendar.signals import announce, net_moves
from yizhan.calendar.workdays import invalidate, official_years

KINDS = {"holiday": False, "workday": True}


class ScheduleError(ValueError):
    """A schedule file that cannot be imported; the message names the line and field."""


@dataclass(frozen=True)
class ScheduleRow:
    line: int
    day: date
    is_workday: bool
    name: str


def parse_schedule(path: Path) -> list[ScheduleRow]:
    errors: list[str] = []
    rows: list[ScheduleRow] = []
    seen: dict[date, int] = {}
    with Path(path).open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        missing = {"date", "kind", "name"} - set(reader.fieldnames or [])
        if missing:
            raise ScheduleError(_("文件缺少列：%(cols)s") % {"cols": ", ".join(sorted(missing))})
        for line, raw in enumerate(reader, start=2):
            try:
                day = date.fromisoformat((raw["date"] or "").strip())
            except ValueError:
                errors.append(_("第 %(line)d 行 date：“%(v)s” 不是 YYYY-MM-DD 日期") % {"line": line, "v": raw["date"]})
                continue
            kind = (raw["kind"] or "").strip()
            if kind not in KINDS:
                errors.append(_("第 %(line)d 行 kind：应为 holiday 或 workday，而不是“%(v)s”") % {"line": line, "v": kind})
                continue
            name = (raw["name"] or "").strip()
            if not name:
                errors.append(_("第 %(line)d 行 name：不能为空") % {"line": line})
                continue
            if day in seen:
                errors.append(_("第 %(line)d 行 date：%(d)s 与第 %(first)d 行重复") % {"line": line, "d": day, "first": seen[day]})
                continue
            seen[day] = line
            rows.append(ScheduleRow(line, day, KINDS[kind], name))
    if errors:
        raise ScheduleError("\n".join(errors))
    if not rows:
        raise ScheduleError(_("文件没有数据行"))
    return rows


@dataclass(frozen=True)
class Imported:
    """What an import loaded, and the open deadlines it moved ({timer, subject, purpose, old, new})."""
    year: int | None
    rows: list[ScheduleRow]
    moved: list[dict]


@transaction.atomic
def import_official_year(path: Path, note: str) -> Imported:
    """Load one year's State Council schedule; replaces an earlier import of the same year."""
    rows = parse_schedule(path)
    years = {r.day.year for r in rows}
    if len(years) != 1:
        raise ScheduleError(_("一个文件只能包含一个年份的安排，此文件包含：%(y)s") % {"y": ", ".join(map(str, sorted(years)))})
    year = years.pop()
    if year in official_years():
        raise ScheduleError(
            _("%(y)d 年的国务院安排已包含在 chinesecalendar 中；本地调整请使用 --local") % {"y": year}
        )
    for row in rows:
        if row.is_workday and row.day.weekday() < 5:
            raise ScheduleError(_("第 %(line)d 行：%(d)s 是周一至周五，不能是调休上班日") % {"line": row.line, "d": row.day})
        if not row.is_workday and row.day.weekday() >= 5:
            raise ScheduleError(_("第 %(line)d 行：%(d)s 是周末，本来就休息") % {"line": row.line, "d": row.day})
    old: list[date] = []
    moved: list[dict] = []
    for replaced in DayOverride.objects.filter(source=DayOverride.Source.IMPORTED, date__year=year):
        old.append(replaced.date)
        replaced.delete()
        moved += replaced.moved  # filled by the calendar's signal, as for an override edited in the admin
    DayOverride.objects.bulk_create(
        DayOverride(date=r.day, is_workday=r.is_workday, source=DayOverride.Source.IMPORTED, reason=r.name) for r in rows
    )
    CalendarYear.objects.update_or_create(year=year, defaults={"source_note": note})
    invalidate()
    moved += announce(CalendarYear, sorted(set(old) | {r.day for r in rows} | {date(year, 1, 1)}))
    return Imported(year, rows, net_moves(moved))


@transaction.atomic
def import_local(path: Path) -> Imported:
    """Load local adjustments (closures, extra working days); replaces local entries on the same dates."""
    rows = parse_schedule(path)
    moved: list[dict] = []
    for row in rows:
        override, _created = DayOverride.objects.update_or_create(
            date=row.day,
            source=DayOverride.Source.LOCAL,
            defaults={"is_workday": row.is_workday, "reason": row.name},
        )
        moved += override.moved
    return Imported(None, rows, net_moves(moved))
