"""CSV imports of teachers (`code,name,school,sex,birth_year,subject[,resident_id]`) and assignments
(`teacher,to_school,start,end`): every broken row reported with its line and field, nothing written;
each row goes through the same service as the screens, which also refuses a school outside the
actor's scope."""

from datetime import datetime
from typing import IO, Any

from django.utils.translation import gettext_lazy as _

from yizhan.csvrows import ImportResult, Rows
from yizhan.exchange.assignments import assign
from yizhan.exchange.models import Teacher
from yizhan.exchange.teachers import register
from yizhan.org.models import OrgUnit, UnitKind

TEACHER_COLUMNS = ["code", "name", "school", "sex", "birth_year", "subject"]
ASSIGNMENT_COLUMNS = ["teacher", "to_school", "start", "end"]


def _schools(rows: Rows, parsed: list[tuple[int, dict]], column: str) -> dict[str, OrgUnit]:
    codes = {row[column] for _line, row in parsed if row.get(column)}
    found = {u.code: u for u in OrgUnit.objects.filter(code__in=codes, kind=UnitKind.SCHOOL)}
    for line, row in parsed:
        code = row.get(column)
        if code and code not in found:
            rows.error(line, column, _("学校不存在：%(v)s") % {"v": code[:40]})
    return found


def import_teachers(stream: IO[str] | IO[bytes], *, at: datetime | None = None,
                    actor: Any = None) -> ImportResult:
    rows = Rows(stream, TEACHER_COLUMNS, ["resident_id"], codes=("code", "school", "resident_id"))
    parsed: list[tuple[int, dict[str, Any]]] = []
    for line, row in rows:
        for name in ("code", "name", "school", "sex", "subject"):
            rows.required(line, row, name)
        parsed.append((line, {**row, "birth_year": rows.integer(line, row, "birth_year")}))
    schools = _schools(rows, parsed, "school")
    rows.raise_if_any()
    items = [(line, {**row, "school": schools.get(row["school"]), "resident_id": row.get("resident_id", "")})
             for line, row in parsed]
    return ImportResult(rows.apply(items, lambda item: register(at=at, actor=actor, **item)), 0)


def import_assignments(stream: IO[str] | IO[bytes], *, at: datetime | None = None,
                       actor: Any = None) -> ImportResult:
    rows = Rows(stream, ASSIGNMENT_COLUMNS, codes=("teacher", "to_school"))
    parsed: list[tuple[int, dict[str, Any]]] = []
    for line, row in rows:
        rows.required(line, row, "teacher")
        rows.required(line, row, "to_school")
        parsed.append((line, {**row, "start": rows.day(line, row, "start"), "end": rows.day(line, row, "end")}))
    teachers = {t.code: t for t in Teacher.objects.filter(code__in={r["teacher"] for _l, r in parsed})
                .select_related("school")}
    for line, row in parsed:
        if row["teacher"] and row["teacher"] not in teachers:
            rows.error(line, "teacher", _("教师工号不存在：%(v)s") % {"v": row["teacher"][:40]})
    schools = _schools(rows, parsed, "to_school")
    rows.raise_if_any()
    items = [(line, (teachers[row["teacher"]], schools[row["to_school"]], row["start"], row["end"]))
             for line, row in parsed]
    return ImportResult(rows.apply(items, lambda item: assign(item[0], to_school=item[1], start=item[2], end=item[3],
                                                              at=at, actor=actor)), 0)
