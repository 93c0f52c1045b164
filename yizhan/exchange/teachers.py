"""Registering a teacher: a school of the bureau, sex, birth year, subject, and — when given — a
resident ID number (check digit validated; its birth year must match)."""

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from yizhan.audit.log import record
from yizhan.calendar.workdays import local_date
from yizhan.clock.moments import resolve_at
from yizhan.errors import InvalidInput
from yizhan.exchange.models import EXCHANGE_ROLES, Sex, Teacher
from yizhan.identifiers import normalize, validate_resident_id
from yizhan.org.models import OrgUnit, UnitKind
from yizhan.org.scope import require_covers


def register(*, code: str, name: str, school: OrgUnit | None, sex: str, birth_year: int | None, subject: str,
             resident_id: str = "", at: datetime | None = None, actor: Any = None) -> Teacher:
    at = resolve_at(at)
    code = normalize(code, field="code")
    if not code:
        raise InvalidInput(_("工号不能为空"), field="code", rule="required")
    if not (name or "").strip():
        raise InvalidInput(_("姓名不能为空"), field="name", rule="required")
    if school is None or school.kind != UnitKind.SCHOOL:
        raise InvalidInput(_("任职学校须是学校"), field="school", rule="not_a_school")
    require_covers(actor, EXCHANGE_ROLES, school, field="school",
                   message=_("不在您负责的范围内：%(v)s") % {"v": school.code})
    if sex not in Sex.values:
        raise InvalidInput(_("性别须为 M（男）或 F（女）"), field="sex", rule="choice")
    this_year = local_date(at).year
    if birth_year is None or not this_year - 70 <= birth_year <= this_year - 18:
        raise InvalidInput(_("出生年份须在 %(a)d–%(b)d 之间") % {"a": this_year - 70, "b": this_year - 18},
                           field="birth_year", rule="birth_year_range")
    if not (subject or "").strip():
        raise InvalidInput(_("任教学科不能为空"), field="subject", rule="required")
    if resident_id:
        resident_id = validate_resident_id(resident_id, field="resident_id", today=local_date(at))
        if int(resident_id[6:10]) != birth_year:
            raise InvalidInput(_("出生年份与身份证号不符"), field="birth_year", rule="id_mismatch")
    with transaction.atomic():
        if Teacher.objects.filter(code=code).exists():
            raise InvalidInput(_("工号已存在：%(v)s") % {"v": code}, field="code", rule="duplicate")
        if resident_id and Teacher.objects.filter(resident_id=resident_id).exists():
            raise InvalidInput(_("该身份证号的教师已登记"), field="resident_id", rule="duplicate")
        teacher = Teacher.objects.create(code=code, name=name.strip(), school=school, sex=sex, birth_year=birth_year,
                                         subject=subject.strip(), resident_id=resident_id)
        record("exchange.teacher.registered", teacher, actor=actor, at=at, school=school.code, subject=teacher.subject)
    return teacher
