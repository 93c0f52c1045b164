"""Registering pupils, one by one or from a school's CSV (`resident_id,name,school_code,township_code,
boarder,grade`): matched by resident ID, new ones created, known ones updated. Every broken row is
reported with its line and field and nothing is written."""

from datetime import datetime
from typing import IO, Any

from django.db import transaction
from django.utils.translation import gettext as _

from yizhan.audit.log import build, record, record_many
from yizhan.clock.moments import resolve_at
from yizhan.csvrows import ImportResult, Rows
from yizhan.errors import InvalidInput
from yizhan.identifiers import validate_resident_id
from yizhan.org.models import OrgUnit, UnitKind
from yizhan.org.scope import covers, require_covers
from yizhan.subsidies.models import SUBSIDY_ROLES, Pupil, Township
from yizhan.textlimits import field_limit

COLUMNS = ["resident_id", "name", "school_code", "township_code"]
OPTIONAL = ["boarder", "grade"]
YES = {"是", "1", "yes", "y", "true", "住宿"}
NO = {"否", "0", "no", "n", "false", "走读", ""}


def boarder_flag(value: str) -> bool | None:
    value = value.strip().lower()
    return True if value in YES else False if value in NO else None


def _may_register(actor: Any, school: OrgUnit) -> bool:
    return actor is None or covers(actor, SUBSIDY_ROLES, school)


def register(*, resident_id: str, name: str, school: OrgUnit, township: Township, boarder: bool = False,
             grade: str = "", at: datetime | None = None, actor: Any = None, actor_label: str = "") -> Pupil:
    """Create or update the pupil with `resident_id` (validated: format and check digit)."""
    require_covers(actor, SUBSIDY_ROLES, school, field="school", message=_("您不负责该校"))
    at = resolve_at(at)
    resident_id = validate_resident_id(resident_id, field="resident_id")
    name = (name or "").strip()
    if not name:
        raise InvalidInput(_("姓名不能为空"), field="name", rule="required")
    if school.kind != UnitKind.SCHOOL:
        raise InvalidInput(_("须为学校"), field="school", rule="not_a_school")
    with transaction.atomic():
        pupil, created = Pupil.objects.update_or_create(resident_id=resident_id, defaults={
            "name": name, "school": school, "township": township, "boarder": boarder, "grade": grade.strip()})
        record("subsidies.pupil.registered", pupil, actor=actor, actor_label=actor_label, at=at, created=created,
               school=school.code, township=township.code, boarder=boarder)
    return pupil


def import_pupils(stream: IO[str] | IO[bytes], *, at: datetime | None = None, actor: Any = None,
                  actor_label: str = "import-pupils") -> ImportResult:
    at = resolve_at(at)
    rows = Rows(stream, COLUMNS, OPTIONAL, codes=("resident_id", "school_code", "township_code"))
    schools = {u.code: u for u in OrgUnit.objects.filter(kind=UnitKind.SCHOOL)}
    townships = {t.code: t for t in Township.objects.all()}
    seen: dict[str, int] = {}
    parsed = []
    for line, row in rows:
        resident_id = rows.required(line, row, "resident_id")
        if resident_id:
            try:
                resident_id = validate_resident_id(resident_id, field="resident_id")
            except InvalidInput as exc:
                rows.error(line, "resident_id", exc.message)
            rows.seen_once(line, "resident_id", resident_id, seen)
        if rows.required(line, row, "name"):
            rows.text(line, row, "name", field_limit(Pupil, "name"))
        rows.text(line, row, "grade", field_limit(Pupil, "grade"))
        school = schools.get(row.get("school_code", ""))
        if rows.required(line, row, "school_code") and school is None:
            rows.error(line, "school_code", _("没有编码为 %(v)s 的学校") % {"v": row["school_code"]})
        elif school is not None and not _may_register(actor, school):
            rows.error(line, "school_code", _("您不负责该校：%(v)s") % {"v": school.code})
        township = townships.get(row.get("township_code", ""))
        if rows.required(line, row, "township_code") and township is None:
            rows.error(line, "township_code", _("没有编码为 %(v)s 的乡镇") % {"v": row["township_code"]})
        boarder = boarder_flag(row.get("boarder", ""))
        if boarder is None:
            rows.error(line, "boarder", _("住宿生须填“是”或“否”：%(v)s") % {"v": row["boarder"][:20]})
        parsed.append((resident_id, row, school, township, boarder))
    rows.raise_if_any()
    existing = {p.resident_id: p for p in Pupil.objects.filter(resident_id__in=[p[0] for p in parsed])}
    created = updated = 0
    events = []
    with transaction.atomic():
        for resident_id, row, school, township, boarder in parsed:
            pupil = existing.get(resident_id) or Pupil(resident_id=resident_id)
            is_new = pupil.pk is None
            pupil.name, pupil.school, pupil.township = row["name"], school, township
            pupil.boarder, pupil.grade = boarder, row.get("grade", "")
            pupil.save()
            created, updated = created + is_new, updated + (not is_new)
            events.append(build("subsidies.pupil.imported", pupil, actor=actor, actor_label=actor_label, at=at,
                                created=is_new, school=school.code, township=township.code, boarder=boarder))
        record_many(events)
    return ImportResult(created, updated)


def batch_lines(stream: IO[str] | IO[bytes]) -> list[tuple[int, str]]:
    """The (line, resident ID) pairs of a batch file (`resident_id[,name]`); the IDs are checked by
    `applications.check_lines`, which reports every bad line."""
    rows = Rows(stream, ["resident_id"], ["name"], codes=("resident_id",))
    lines = []
    for line, row in rows:
        if rows.required(line, row, "resident_id"):
            lines.append((line, row["resident_id"]))
    rows.raise_if_any()
    return lines


def record_of(pupil: Pupil) -> list:
    """Every line of the pupil's batches, newest term first: what was paid, what waits, what was refused."""
    return list(pupil.grants.select_related("programme", "term", "batch", "batch__case", "batch__school")
                .order_by("-term__first_day", "programme__code"))
