"""Who follows which school: one leader per school at a time, one school per leader at a time."""

from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from yizhan.audit.log import record
from yizhan.clock.moments import resolve_at
from yizhan.errors import IllegalTransition, InvalidInput
from yizhan.liaison.models import LiaisonPoint
from yizhan.org.models import OrgUnit, UnitKind


def _overlapping(start: date, end: date | None) -> Q:
    """Points whose period [started_on, ended_on] meets [start, end] (None: still running)."""
    condition = Q(ended_on__isnull=True) | Q(ended_on__gte=start)
    if end is not None:
        condition &= Q(started_on__lte=end)
    return condition


def assign(school: OrgUnit, leader: Any, *, started_on: date, ended_on: date | None = None,
           at: datetime | None = None, actor: Any = None) -> LiaisonPoint:
    at = resolve_at(at)
    if school.kind != UnitKind.SCHOOL:
        raise InvalidInput(_("联系点须是学校"), field="school", rule="not_a_school")
    if ended_on is not None and ended_on < started_on:
        raise InvalidInput(_("结束日期不能早于开始日期"), field="ended_on", rule="period_order")
    with transaction.atomic():
        OrgUnit.objects.select_for_update().filter(pk=school.pk).first()
        clash = LiaisonPoint.objects.filter(_overlapping(started_on, ended_on))
        if clash.filter(school=school).exists():
            raise InvalidInput(_("%(s)s 在此期间已有联系领导") % {"s": school.name}, field="school",
                               rule="one_leader_per_school")
        if clash.filter(leader=leader).exists():
            raise InvalidInput(_("该领导在此期间已联系另一所学校"), field="leader", rule="one_school_per_leader")
        point = LiaisonPoint.objects.create(school=school, leader=leader, started_on=started_on, ended_on=ended_on)
        record("liaison.point.assigned", point, actor=actor, at=at, school=school.code, leader=leader.username,
               started_on=started_on, ended_on=ended_on)
    return point


def end(point: LiaisonPoint, *, ended_on: date, at: datetime | None = None, actor: Any = None) -> LiaisonPoint:
    at = resolve_at(at)
    with transaction.atomic():
        point = LiaisonPoint.objects.select_for_update().get(pk=point.pk)
        if point.ended_on is not None:
            raise IllegalTransition(_("该联系点已结束"), field="ended_on", rule="already_ended")
        if ended_on < point.started_on:
            raise InvalidInput(_("结束日期不能早于开始日期"), field="ended_on", rule="period_order")
        point.ended_on = ended_on
        point.save(update_fields=["ended_on"])
        record("liaison.point.ended", point, actor=actor, at=at, ended_on=[None, ended_on])
    return point


def current_points(leader: Any, on: date) -> list[LiaisonPoint]:
    return list(LiaisonPoint.objects.filter(leader=leader).filter(_overlapping(on, on)).filter(started_on__lte=on)
                .select_related("school"))
