"""A leader's visit to the school they follow: findings, and each problem raised opened as a
follow-up item on the clock for the school (kind "liaison.problem")."""

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from yizhan.audit.log import record
from yizhan.clock.limits import Limit
from yizhan.clock.moments import resolve_at
from yizhan.errors import InvalidInput, NotPermitted
from yizhan.followups.service import open_follow_up
from yizhan.liaison.models import LiaisonPoint, Problem, Visit

FOLLOW_UP_KIND = "liaison.problem"
DEFAULT_DAYS = 15


def record_visit(point: LiaisonPoint, *, visited_on: date, findings: str, problems: Sequence[str] = (),
                 owner: Any = None, days: int = DEFAULT_DAYS, at: datetime | None = None,
                 actor: Any = None) -> Visit:
    """`problems`: one line each; every one becomes a follow-up due `days` working days after the
    visit is recorded, owned by `owner` (default: the leader, who sees it through)."""
    at = resolve_at(at)
    if actor is not None and not getattr(actor, "is_superuser", False) and actor.pk != point.leader_id:
        raise NotPermitted(_("只有该联系点的联系领导可以登记走访"), field="point", rule="not_the_leader")
    if visited_on < point.started_on or (point.ended_on is not None and visited_on > point.ended_on):
        raise InvalidInput(_("走访日期不在联系期内"), field="visited_on", rule="outside_period")
    findings = (findings or "").strip()
    if not findings:
        raise InvalidInput(_("走访情况不能为空"), field="findings", rule="required")
    problems = [p.strip() for p in problems if p and p.strip()]
    if not 1 <= days <= 365:
        raise InvalidInput(_("办理时限须为 1–365 个工作日"), field="days", rule="limit_range")
    with transaction.atomic():
        visit = Visit.objects.create(point=point, visited_on=visited_on, findings=findings, recorded_at=at)
        for text in problems:
            item = open_follow_up(visit, kind=FOLLOW_UP_KIND, title=text, unit=point.school, limit=Limit.days(days),
                                  owner=owner or point.leader, at=at, actor=actor)
            Problem.objects.create(visit=visit, description=text, follow_up=item)
        record("liaison.visit.recorded", visit, actor=actor, at=at, school=point.school.code, visited_on=visited_on,
               problems=problems)
    return visit
