"""Management reviews (管理评审): the inputs the standard asks for (GB/T 27025-2008 4.15.1), one
entry per topic, the conclusion, and the decisions — each a follow-up item with an owner and a
deadline on the clock. The internal-audit input can be drafted from the year's figures."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from yizhan.audit.log import record
from yizhan.clock.limits import Limit
from yizhan.clock.moments import resolve_at
from yizhan.errors import InvalidInput
from yizhan.followups.models import FollowUp
from yizhan.followups.service import open_follow_up
from yizhan.org.models import OrgUnit, UnitKind
from yizhan.org.scope import require_covers
from yizhan.quality.models import QUALITY_MANAGERS, ManagementReview, ReviewInput, ReviewTopic

DECISION = "quality.review_decision"


@dataclass(frozen=True)
class Decision:
    title: str
    unit: OrgUnit
    owner: Any
    days: int


def hold_review(cdc: OrgUnit, *, code: str, held_on: date, chair: str, conclusion: str, inputs: dict[str, str],
                decisions: Sequence[Decision] = (), at: datetime | None = None, actor: Any = None,
                actor_label: str = "") -> ManagementReview:
    at = resolve_at(at)
    code, chair, conclusion = (code or "").strip(), (chair or "").strip(), (conclusion or "").strip()
    if cdc.kind != UnitKind.CDC:
        raise InvalidInput(_("管理评审须属于疾控中心"), field="cdc", rule="not_cdc")
    require_covers(actor, QUALITY_MANAGERS, cdc, field="cdc", rule="not_quality_manager",
                   message=_("您不是该疾控中心的质量负责人"))
    for value, field in ((code, "code"), (chair, "chair"), (conclusion, "conclusion")):
        if not value:
            raise InvalidInput(_("%(f)s 不能为空") % {"f": field}, field=field, rule="required")
    if ManagementReview.objects.filter(code=code).exists():
        raise InvalidInput(_("管理评审编码已存在：%(c)s") % {"c": code}, field="code", rule="unique")
    for topic, summary in inputs.items():
        if topic not in ReviewTopic.values:
            raise InvalidInput(_("未知的评审输入：%(t)s") % {"t": topic[:20]}, field="inputs", rule="choice")
        if not (summary or "").strip():
            raise InvalidInput(_("评审输入 %(t)s 不能为空") % {"t": ReviewTopic(topic).label}, field="inputs",
                               rule="required")
    if ReviewTopic.AUDITS not in inputs:
        raise InvalidInput(_("管理评审须有内部审核结果的输入"), field="inputs", rule="audits_required")
    for d in decisions:
        if not d.title.strip():
            raise InvalidInput(_("决定事项不能为空"), field="decisions", rule="required")
        if not d.unit.path.startswith(cdc.path):
            raise InvalidInput(_("%(u)s 不属于本疾控中心") % {"u": d.unit.name}, field="decisions", rule="out_of_cdc")
        if not 1 <= d.days <= 365:
            raise InvalidInput(_("办理时限须为 1 至 365 个工作日"), field="decisions", rule="range")
    with transaction.atomic():
        review = ManagementReview.objects.create(cdc=cdc, code=code, held_on=held_on, chair=chair,
                                                 conclusion=conclusion, recorded_at=at)
        ReviewInput.objects.bulk_create([ReviewInput(review=review, topic=t, summary=s.strip())
                                         for t, s in inputs.items()])
        record("quality.review.held", review, actor=actor, actor_label=actor_label, at=at, code=code,
               held_on=held_on, inputs=sorted(inputs), decisions=len(decisions))
        for d in decisions:
            open_follow_up(review, kind=DECISION, title=d.title, unit=d.unit, owner=d.owner, limit=Limit.days(d.days),
                           at=at, actor=actor, actor_label=actor_label)
    return review


def decisions_of(review: ManagementReview):
    return FollowUp.objects.filter(kind=DECISION, subject_type=ManagementReview._meta.label_lower,
                                   subject_id=str(review.pk)).select_related("unit", "owner", "timer")


