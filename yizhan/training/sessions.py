"""Holding a training session and recording who attended it and how they did; each change one
transaction with its audit event."""

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from yizhan.audit.log import record
from yizhan.clock.moments import resolve_at
from yizhan.errors import InvalidInput
from yizhan.org.scope import require_covers
from yizhan.textlimits import field_limit
from yizhan.training.models import TRAINING_ROLES, Attendance, Course, Session, Topic, Trainee

MAX_HOURS = Decimal("24")


def require_officer(actor: Any, unit, *, field: str = "course", message: Any = None) -> None:
    """The training officer of `unit` (or above it) acts on its courses and teachers."""
    require_covers(actor, TRAINING_ROLES, unit, field=field, message=message or _("您不是该单位的培训管理员"))


def decimal_of(value: Any, field: str, *, low: Decimal, high: Decimal) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise InvalidInput(_("%(f)s 应为数字：%(v)s") % {"f": field, "v": str(value)[:20]}, field=field,
                           rule="number_format") from None
    if not number.is_finite() or not low <= number <= high or number != number.quantize(Decimal("0.1")):
        raise InvalidInput(_("%(f)s 须在 %(a)s 至 %(b)s 之间，最多一位小数") % {"f": field, "a": low, "b": high},
                           field=field, rule="number_range")
    return number


def _text(value: str, field: str, model, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise InvalidInput(_("%(f)s 不能为空") % {"f": field}, field=field, rule="required")
    limit = field_limit(model, field)
    if limit is not None and len(value) > limit:
        raise InvalidInput(_("%(f)s 不能超过 %(n)d 个字符") % {"f": field, "n": limit}, field=field, rule="max_length")
    return value


def topics_of(unit, names: Iterable[str]) -> list[Topic]:
    """The unit's topics of `names`, created when new (a topic is named once per unit)."""
    result = []
    for name in dict.fromkeys(n.strip() for n in names if n and n.strip()):
        if len(name) > field_limit(Topic, "name"):
            raise InvalidInput(_("专题名称过长：%(v)s") % {"v": name[:40]}, field="topics", rule="max_length")
        result.append(Topic.objects.get_or_create(unit=unit, name=name)[0])
    return result


def hold_session(*, course: Course, day: date, title: str, trainer: str, hours: Any, topics: Iterable[str] = (),
                 location: str = "", at: datetime | None = None, actor: Any = None, actor_label: str = "") -> Session:
    at = resolve_at(at)
    require_officer(actor, course.unit)
    title = _text(title, "title", Session)
    trainer = _text(trainer, "trainer", Session)
    location = _text(location, "location", Session, required=False)
    hours = decimal_of(hours, "hours", low=Decimal("0.5"), high=MAX_HOURS)
    with transaction.atomic():
        session = Session.objects.create(course=course, date=day, title=title, trainer=trainer, hours=hours,
                                         location=location)
        covered = topics_of(course.unit, topics)
        session.topics.set(covered)
        record("training.session.held", session, actor=actor, actor_label=actor_label, at=at, course=course.code,
               date=day, hours=hours, trainer=trainer, topics=[t.name for t in covered])
    return session


def record_attendance(session: Session, trainee: Trainee, *, attended: bool = True, score: Any = None,
                      passed: bool | None = None, at: datetime | None = None, actor: Any = None,
                      actor_label: str = "") -> Attendance:
    """Create or correct `trainee`'s line of `session`. With a score and no explicit `passed`, the
    course's pass mark decides; an absent person has no assessment."""
    at = resolve_at(at)
    require_officer(actor, session.course.unit)
    if score not in (None, ""):
        score = decimal_of(score, "score", low=Decimal("0"), high=Decimal("100"))
    else:
        score = None
    if not attended and (score is not None or passed):
        raise InvalidInput(_("未出席的人员不能有考核成绩"), field="score", rule="absent_not_assessed")
    if passed is None and score is not None:
        passed = score >= session.course.pass_score
    with transaction.atomic():
        line, created = Attendance.objects.update_or_create(
            session=session, trainee=trainee, defaults={"attended": attended, "score": score, "passed": passed})
        record("training.attendance.recorded", line, actor=actor, actor_label=actor_label, at=at,
               session=session.pk, trainee=trainee.code, attended=attended, score=score, passed=passed,
               created=created)
    return line
