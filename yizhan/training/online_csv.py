"""Course completions from the teachers' learning platform 网上神农架教育, as a CSV it exports:

    teacher_id,course_code,course_name,completed_on,hours,score

- `teacher_id`: the teacher's platform account, which is the trainee's `code` in Yizhan; a teacher
  Yizhan does not know is refused (register the teacher first);
- `course_code`, `course_name`: the platform's course; a new code becomes an online course of the
  unit the import is for;
- `completed_on` YYYY-MM-DD; `hours` 0.5–200 with one decimal; `score` 0–100, optional.

A completion already imported (same teacher and course) is updated, so the platform's whole export
can be imported again. Every broken row is reported with its line and field; nothing is written."""

from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any

from django.db import transaction
from django.utils.translation import gettext as _

from yizhan.audit.log import build, record_many
from yizhan.calendar.workdays import local_date
from yizhan.clock.moments import resolve_at
from yizhan.csvrows import ImportResult, Rows
from yizhan.errors import InvalidInput, NotPermitted
from yizhan.org.models import OrgUnit
from yizhan.textlimits import field_limit
from yizhan.training.models import Completion, Course, CourseKind, Trainee
from yizhan.training.sessions import decimal_of, require_officer

COLUMNS = ["teacher_id", "course_code", "course_name", "completed_on", "hours"]
OPTIONAL = ["score"]


def _number(rows: Rows, line: int, row: dict, field: str, high: str, *, optional: bool = False) -> Decimal | None:
    value = row.get(field, "")
    if not value:
        if not optional:
            rows.error(line, field, _("不能为空"))
        return None
    try:
        return decimal_of(value, field, low=Decimal("0.5") if field == "hours" else Decimal("0"), high=Decimal(high))
    except InvalidInput as exc:
        rows.error(line, field, exc.message)
        return None


def import_completions(stream: IO[str] | IO[bytes], *, unit: OrgUnit, at: datetime | None = None,
                       actor: Any = None, actor_label: str = "import-online") -> ImportResult:
    at = resolve_at(at)
    require_officer(actor, unit, field="unit")
    rows = Rows(stream, COLUMNS, OPTIONAL, codes=("teacher_id", "course_code", "completed_on", "hours", "score"))
    trainees = {t.code: t for t in Trainee.objects.select_related("unit")}
    courses = {c.code: c for c in Course.objects.all()}
    seen: dict[str, int] = {}
    parsed = []
    for line, row in rows:
        teacher = trainees.get(row.get("teacher_id", ""))
        if rows.required(line, row, "teacher_id") and teacher is None:
            rows.error(line, "teacher_id", _("没有账号为 %(v)s 的教师，请先登记") % {"v": row["teacher_id"][:40]})
        elif teacher is not None:
            try:
                require_officer(actor, teacher.unit, field="teacher_id",
                                message=_("您不负责该教师所在单位：%(v)s") % {"v": teacher.code})
            except NotPermitted as exc:
                rows.error(line, exc.field, exc.message)
        code = rows.required(line, row, "course_code")
        rows.text(line, row, "course_code", field_limit(Course, "code"))
        rows.text(line, row, "course_name", field_limit(Course, "name"))
        if code and code not in courses and not row.get("course_name"):
            rows.error(line, "course_name", _("新课程须写明课程名称"))
        completed_on = None
        if rows.required(line, row, "completed_on"):
            try:
                completed_on = date.fromisoformat(row["completed_on"])
            except ValueError:
                rows.error(line, "completed_on", _("日期应写作 YYYY-MM-DD：%(v)s") % {"v": row["completed_on"][:20]})
            else:
                if completed_on > local_date(at):
                    rows.error(line, "completed_on", _("完成日期不能晚于今天"))
        hours = _number(rows, line, row, "hours", "200")
        score = _number(rows, line, row, "score", "100", optional=True)
        if teacher is not None and code:
            rows.seen_once(line, "course_code", f"{teacher.code}/{code}", seen)
        parsed.append((teacher, code, row, completed_on, hours, score))
    rows.raise_if_any()
    created = updated = 0
    events = []
    with transaction.atomic():
        for teacher, code, row, completed_on, hours, score in parsed:
            course = courses.get(code)
            if course is None:
                course = courses[code] = Course.objects.create(code=code, name=row["course_name"], unit=unit,
                                                               kind=CourseKind.ONLINE)
            completion, is_new = Completion.objects.update_or_create(
                trainee=teacher, course=course, defaults={"completed_on": completed_on, "hours": hours, "score": score})
            created, updated = created + is_new, updated + (not is_new)
            events.append(build("training.completion.imported", completion, actor=actor, actor_label=actor_label, at=at,
                                trainee=teacher.code, course=code, completed_on=completed_on, hours=hours,
                                created=is_new))
        record_many(events)
    return ImportResult(created, updated)
