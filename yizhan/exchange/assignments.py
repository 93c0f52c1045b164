"""Assigning a teacher to a school of the other kind (town ↔ country) for a period: start ≤ end, and
a teacher is never in two assignments at once."""

from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from yizhan.audit.log import record
from yizhan.clock.moments import resolve_at
from yizhan.errors import InvalidInput
from yizhan.exchange.models import EXCHANGE_ROLES, Assignment, SchoolSite, Teacher
from yizhan.org.scope import require_covers


def area_of(school: Any) -> str | None:
    return SchoolSite.objects.filter(school=school).values_list("area", flat=True).first()


def assign(teacher: Teacher, *, to_school: Any, start: date | None, end: date | None, at: datetime | None = None,
           actor: Any = None) -> Assignment:
    at = resolve_at(at)
    if start is None:
        raise InvalidInput(_("开始日期不能为空"), field="start", rule="required")
    if end is None:
        raise InvalidInput(_("结束日期不能为空"), field="end", rule="required")
    if end < start:
        raise InvalidInput(_("结束日期不能早于开始日期"), field="end", rule="period_order")
    if to_school is None:
        raise InvalidInput(_("交流学校不能为空"), field="to_school", rule="required")
    # Both ends of the move are the actor's: the teacher's own school and the one they go to.
    require_covers(actor, EXCHANGE_ROLES, teacher.school, field="teacher",
                   message=_("不在您负责的范围内：%(v)s") % {"v": teacher.code})
    require_covers(actor, EXCHANGE_ROLES, to_school, field="to_school",
                   message=_("不在您负责的范围内：%(v)s") % {"v": to_school.code})
    if to_school.pk == teacher.school_id:
        raise InvalidInput(_("交流学校不能是教师的任职学校"), field="to_school", rule="same_school")
    home, there = area_of(teacher.school), area_of(to_school)
    if home is None or there is None:
        raise InvalidInput(_("学校尚未登记城乡类别"), field="to_school", rule="no_area")
    if home == there:
        raise InvalidInput(_("城乡交流须在城镇学校与农村学校之间进行"), field="to_school", rule="same_area")
    with transaction.atomic():
        Teacher.objects.select_for_update().filter(pk=teacher.pk).first()
        clash = Assignment.objects.filter(teacher=teacher, start__lte=end, end__gte=start).first()
        if clash is not None:
            raise InvalidInput(_("%(t)s 在 %(a)s 至 %(b)s 已有交流安排") % {"t": teacher.name, "a": clash.start,
                                                                        "b": clash.end},
                               field="start", rule="overlap")
        assignment = Assignment.objects.create(teacher=teacher, from_school=teacher.school, to_school=to_school,
                                               start=start, end=end, recorded_at=at)
        record("exchange.assignment.made", assignment, actor=actor, at=at, teacher=teacher.code,
               from_school=teacher.school.code, to_school=to_school.code, start=start, end=end)
    return assignment
