"""Proposals: submitted by a member of the meeting's council, decided once at the meeting — adopted
(a follow-up item with an owner and a deadline on the clock), referred to a unit, or rejected with
a reason."""

from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from yizhan.audit.log import record
from yizhan.clock.limits import Limit
from yizhan.clock.moments import resolve_at
from yizhan.councils.models import Meeting, Member, Outcome, Proposal
from yizhan.errors import IllegalTransition, InvalidInput
from yizhan.followups.models import FOLLOW_UP_ROLES
from yizhan.followups.service import open_follow_up
from yizhan.org.models import OrgUnit
from yizhan.org.scope import covers, require_permits

FOLLOW_UP_KIND = "councils.proposal"
DEFAULT_DAYS = 20


def submit(meeting: Meeting, *, proposer: Member | None, title: str, content: str = "",
           submitted_on: date, at: datetime | None = None, actor: Any = None) -> Proposal:
    at = resolve_at(at)
    if proposer is None or proposer.council_id != meeting.council_id or not proposer.active:
        raise InvalidInput(_("提议人须是本议事会的在任成员"), field="proposer", rule="not_a_member")
    title = (title or "").strip()
    if not title:
        raise InvalidInput(_("议题不能为空"), field="title", rule="required")
    if submitted_on > meeting.held_on:
        raise InvalidInput(_("提交日期不能晚于会议日期 %(d)s") % {"d": meeting.held_on}, field="submitted_on",
                           rule="after_meeting")
    if meeting.published_at is not None:
        raise IllegalTransition(_("本季度提案已公布，不能再提交"), field="meeting", rule="already_published")
    with transaction.atomic():
        Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
        number = (meeting.proposals.aggregate(n=Max("number"))["n"] or 0) + 1
        proposal = Proposal.objects.create(meeting=meeting, number=number, proposer=proposer, title=title,
                                           content=(content or "").strip(), submitted_on=submitted_on)
        record("councils.proposal.submitted", proposal, actor=actor, at=at, number=number, title=title,
               proposer=proposer.name, outcome=[None, Outcome.PENDING])
    return proposal


def decide(proposal: Proposal, *, outcome: str, reason: str = "", referred_to: OrgUnit | None = None,
           owner: Any = None, days: int = DEFAULT_DAYS, at: datetime | None = None, actor: Any = None) -> Proposal:
    """Decide a pending proposal. Adopted: a follow-up item for `owner` at the council's branch, due
    `days` working days later. Referred: to `referred_to`. Rejected: `reason` is required. Decided by
    the council's secretary."""
    require_permits(actor, proposal, field="proposal")
    at = resolve_at(at)
    reason = (reason or "").strip()
    if outcome not in (Outcome.ADOPTED, Outcome.REFERRED, Outcome.REJECTED):
        raise InvalidInput(_("决定须为采纳、转交办理或不予采纳"), field="outcome", rule="choice")
    if outcome == Outcome.REJECTED and not reason:
        raise InvalidInput(_("不予采纳须说明理由"), field="reason", rule="required")
    if outcome == Outcome.REFERRED and referred_to is None:
        raise InvalidInput(_("转交办理须指定承办单位"), field="referred_to", rule="required")
    if outcome == Outcome.ADOPTED and not 1 <= days <= 365:
        raise InvalidInput(_("办理时限须为 1–365 个工作日"), field="days", rule="limit_range")
    if outcome == Outcome.ADOPTED and owner is not None and not covers(owner, FOLLOW_UP_ROLES,
                                                                         proposal.meeting.council.unit):
        raise InvalidInput(_("责任人须在本支部承担督办职责"), field="owner", rule="owner_out_of_scope")
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update(of=("self",)).select_related(
            "meeting__council__unit").get(pk=proposal.pk)
        if proposal.outcome != Outcome.PENDING:
            raise IllegalTransition(_("该提案已作出决定（%(o)s），不能再次决定") % {"o": proposal.get_outcome_display()},
                                    field="outcome", rule="already_decided")
        proposal.outcome, proposal.reason, proposal.decided_at = outcome, reason, at
        proposal.referred_to = referred_to if outcome == Outcome.REFERRED else None
        if outcome == Outcome.ADOPTED:
            proposal.follow_up = open_follow_up(
                proposal, kind=FOLLOW_UP_KIND, title=proposal.title, detail=proposal.content,
                unit=proposal.meeting.council.unit, limit=Limit.days(days), owner=owner, at=at, actor=actor)
        proposal.save(update_fields=["outcome", "reason", "decided_at", "referred_to", "follow_up"])
        record("councils.proposal.decided", proposal, actor=actor, at=at, reason=reason,
               referred_to=getattr(referred_to, "code", None), outcome=[Outcome.PENDING, outcome])
    return proposal
