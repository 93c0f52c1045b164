"""Proposal councils (议事会): the proposals in the caller's scope, a decision, the quarter's figures."""

from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema

from yizhan.api.common import Code, Id, Limit, Offset, Text, user
from yizhan.api.errors import ERROR_RESPONSES, ApiError
from yizhan.api.scope import get_visible, unit_by_code, visible
from yizhan.councils import figures, proposals
from yizhan.councils.models import Outcome, Proposal

PREFIX = "/councils"
router = Router(tags=["councils"])


class FollowUpRef(Schema):
    id: int
    state: str
    deadline: datetime
    on_time: bool | None


class ProposalOut(Schema):
    id: int
    council: str
    year: int
    quarter: int
    number: int
    title: str
    proposer: str
    submitted_on: date
    outcome: Outcome
    reason: str
    referred_to: str | None
    follow_up: FollowUpRef | None


def out(p: Proposal) -> dict:
    item = p.follow_up
    return {"id": p.pk, "council": p.meeting.council.unit.code, "year": p.meeting.year, "quarter": p.meeting.quarter,
            "number": p.number, "title": p.title, "proposer": p.proposer.name, "submitted_on": p.submitted_on,
            "outcome": p.outcome, "reason": p.reason, "referred_to": p.referred_to.code if p.referred_to else None,
            "follow_up": {"id": item.pk, "state": item.state, "deadline": item.timer.deadline,
                          "on_time": item.on_time} if item else None}


def _qs():
    return Proposal.objects.select_related("meeting__council__unit", "proposer", "referred_to", "follow_up__timer")


class ProposalFilter(Schema):
    council: Code | None = Field(None, description="the branch's unit code")
    year: int | None = Field(None, ge=2000, le=2099)
    quarter: int | None = Field(None, ge=1, le=4)
    limit: Limit = 100
    offset: Offset = 0


@router.get("/proposals", response={200: list[ProposalOut], **ERROR_RESPONSES}, summary="提案")
def list_proposals(request: HttpRequest, q: Query[ProposalFilter]):
    qs = visible(_qs(), user(request))
    if q.council:
        qs = qs.filter(meeting__council__unit__code=q.council)
    if q.year:
        qs = qs.filter(meeting__year=q.year)
    if q.quarter:
        qs = qs.filter(meeting__quarter=q.quarter)
    return [out(p) for p in qs.order_by("meeting__year", "meeting__quarter", "number")[q.offset:q.offset + q.limit]]


class CouncilDecisionIn(Schema):
    outcome: Outcome
    reason: Text = ""
    referred_to: Code | None = Field(None, description="unit code, when referred")
    owner: Code | None = Field(None, description="username of the follow-up's owner, when adopted")
    days: int = Field(proposals.DEFAULT_DAYS, ge=1, le=365, description="working days to do it, when adopted")


@router.post("/proposals/{proposal_id}/decision", response={200: ProposalOut, **ERROR_RESPONSES},
             summary="议定提案")
def decide(request: HttpRequest, proposal_id: Id, payload: CouncilDecisionIn):
    """Adopted (a follow-up item for `owner`, due in `days` working days), referred (to `referred_to`) or
    rejected (a `reason` is required). A proposal is decided once."""
    caller = user(request)
    proposal = get_visible(Proposal.objects.restrict(caller, "change"), caller, _("提案"), field="proposal_id",
                           pk=proposal_id)
    unit = unit_by_code(payload.referred_to, field="referred_to") if payload.referred_to else None
    owner = None
    if payload.owner:
        owner = get_user_model().objects.filter(username=payload.owner).first()
        if owner is None:
            raise ApiError(422, _("用户不存在：%(u)s") % {"u": payload.owner}, field="owner", rule="unknown_user")
    proposals.decide(proposal, outcome=payload.outcome, reason=payload.reason, referred_to=unit, owner=owner,
                     days=payload.days, actor=caller)
    return out(_qs().get(pk=proposal.pk))


class QuarterOut(Schema):
    year: int
    quarter: int
    total: int
    adopted: int
    referred: int
    rejected: int
    adopted_share: float | None
    follow_ups_done: int
    follow_ups_on_time_share: float | None


class CouncilFiguresFilter(Schema):
    council: Code | None = None
    year: int | None = Field(None, ge=2000, le=2099)


@router.get("/figures", response={200: list[QuarterOut], **ERROR_RESPONSES}, summary="议事会数据")
def quarter_figures(request: HttpRequest, q: Query[CouncilFiguresFilter]):
    """Per quarter: proposals, the share adopted, the share of their follow-ups done on time."""
    qs = visible(Proposal.objects.all(), user(request))
    if q.council:
        qs = qs.filter(meeting__council__unit__code=q.council)
    if q.year:
        qs = qs.filter(meeting__year=q.year)
    return [{**{k: row[k] for k in ("year", "quarter", "total", "adopted", "referred", "rejected", "adopted_share")},
             "follow_ups_done": row["follow_ups"]["done"],
             "follow_ups_on_time_share": row["follow_ups"]["on_time_share"]} for row in figures.per_quarter(qs)]
