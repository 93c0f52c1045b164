"""The campaign brief (简报): a numbered issue of the bureau collecting one period's entries — the
visits made, the problems raised and the follow-ups done in it."""

from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from yizhan.audit.log import record
from yizhan.calendar.workdays import local_date
from yizhan.clock.moments import resolve_at
from yizhan.errors import InvalidInput
from yizhan.followups.models import FollowUp, FollowUpState
from yizhan.liaison.models import LIAISON_ROLES, BriefIssue, Problem, Visit
from yizhan.org.models import OrgUnit, UnitKind
from yizhan.org.scope import require_covers


def issue(bureau: OrgUnit, *, first_day: date, last_day: date, title: str = "", at: datetime | None = None,
          actor: Any = None) -> BriefIssue:
    at = resolve_at(at)
    if bureau.kind != UnitKind.BUREAU:
        raise InvalidInput(_("简报须由主管局编发"), field="bureau", rule="not_a_bureau")
    require_covers(actor, LIAISON_ROLES, bureau, field="bureau", message=_("只有主管局的领导可以编发简报"))
    if last_day < first_day:
        raise InvalidInput(_("截止日期不能早于起始日期"), field="last_day", rule="period_order")
    with transaction.atomic():
        OrgUnit.objects.select_for_update().filter(pk=bureau.pk).first()
        number = (BriefIssue.objects.filter(bureau=bureau).aggregate(n=Max("number"))["n"] or 0) + 1
        brief = BriefIssue.objects.create(bureau=bureau, number=number, first_day=first_day, last_day=last_day,
                                          title=(title or "").strip() or _("联系点工作简报"), issued_at=at)
        record("liaison.brief.issued", brief, actor=actor, at=at, number=number, first_day=first_day,
               last_day=last_day)
    return brief


def entries(brief: BriefIssue) -> dict[str, Any]:
    """What the issue collects, read from the bureau's subtree for its period."""
    subtree = brief.bureau.path
    visits = (Visit.objects.filter(point__school__path__startswith=subtree,
                                   visited_on__range=(brief.first_day, brief.last_day))
              .select_related("point__school", "point__leader").prefetch_related("problems").order_by("visited_on"))
    problems = Problem.objects.filter(visit__in=visits)
    done = [item for item in FollowUp.objects.filter(
        kind="liaison.problem", unit__path__startswith=subtree,
        state__in=(FollowUpState.DONE, FollowUpState.VERIFIED)).select_related("unit", "timer")
        if brief.first_day <= local_date(item.done_at) <= brief.last_day]
    return {"visits": list(visits), "problems": problems.count(), "done": done,
            "done_on_time": sum(1 for item in done if item.on_time)}
