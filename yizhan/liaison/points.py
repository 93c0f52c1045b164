"""Who follows which school: one leader per school at a time, one school per leader at a time."""

from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from yizhan.audit.log import record
from yizhan.clock.moments import resolve_at
from yizhan.errors import IllegalTransition, InvalidInput, NotPermitted
from yizhan.liaison.models import LIAISON_ROLES, LiaisonPoint
from yizhan.org.models import OrgUnit, UnitKind
from yizhan.org.scope import covers, require_covers


def _overlapping(start: date, end: date | None) -> Q:
    """Points whose period [started_on, ended_on] meets [start, end] (None: still running)."""
    condition = Q(ended_on__isnull=True) | Q(ended_on__gte=start)
    if end is not None:
        condition &= Q(started_on__lte=end)
    return condition


def require_bureau_leader(actor: Any, school: OrgUnit, *, field: str) -> None:
    """Points are set and ended by a leader of the bureau above the school (a leader at a school
    follows it, but does not decide who follows it)."""
    bureau = school.ancestor_of_kind(UnitKind.BUREAU)
    message = _("只有主管局的领导可以确定联系点")
    if bureau is None:
        if actor is not None:
            raise NotPermitted(message, field=field, rule="out_of_scope")
        return
    require_covers(actor, LIAISON_ROLES, bureau, field=field, rule="out_of_scope", message=message)


def assign(school: OrgUnit, leader: Any, *, started_on: date, ended_on: date | None = None,
           at: datetime | None = None, actor: Any = None) -> LiaisonPoint:
    at = resolve_at(at)
    if school.kind != UnitKind.SCHOOL:
        raise InvalidInput(_("联系点须是学校"), field="school", rule="not_a_school")
    require_bureau_leader(actor, school, field="school")
    if not covers(leader, LIAISON_ROLES, school):
        raise InvalidInput(_("联系领导须在该校所属主管局担任联系点领导"), field="leader", rule="not_a_leader")
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
        point = LiaisonPoint.objects.select_for_update().select_related("school").get(pk=point.pk)
        require_bureau_leader(actor, point.school, field="point")
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
