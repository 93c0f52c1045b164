"""Liaison points (联系点): the points in the caller's scope, recording a visit with its problems
(each a follow-up item on the clock), the campaign brief's issues."""

from datetime import date

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema

from yizhan.api.errors import ERROR_RESPONSES
from yizhan.api.routers.common import Code, Day, Id, Limit, Offset, Text, text_of, user
from yizhan.api.scope import get_visible, visible
from yizhan.liaison import briefs, visits
from yizhan.liaison.models import BriefIssue, LiaisonPoint, Problem

PREFIX = "/liaison"
router = Router(tags=["liaison"])


class PointOut(Schema):
    id: int
    school: str
    school_name: str
    leader: str
    started_on: date
    ended_on: date | None
    visits: int


class PointFilter(Schema):
    school: Code | None = None
    limit: Limit = 100
    offset: Offset = 0


@router.get("/points", response={200: list[PointOut], **ERROR_RESPONSES}, summary="联系点")
def list_points(request: HttpRequest, q: Query[PointFilter]):
    qs = visible(LiaisonPoint.objects.select_related("school", "leader"), user(request))
    if q.school:
        qs = qs.filter(school__code=q.school)
    return [{"id": p.pk, "school": p.school.code, "school_name": p.school.name, "leader": p.leader.username,
             "started_on": p.started_on, "ended_on": p.ended_on, "visits": p.visits.count()}
            for p in qs[q.offset:q.offset + q.limit]]


class VisitIn(Schema):
    visited_on: Day
    findings: Text
    problems: list[text_of(Problem, "description")] = Field(default_factory=list, max_length=50)
    days: int = Field(visits.DEFAULT_DAYS, ge=1, le=365, description="working days to fix each problem")


class VisitOut(Schema):
    id: int
    visited_on: date
    findings: str
    follow_ups: list[int]


@router.post("/points/{point_id}/visits", response={200: VisitOut, **ERROR_RESPONSES}, summary="登记走访")
def record_visit(request: HttpRequest, point_id: Id, payload: VisitIn):
    """Only the point's leader records its visits; each problem opens a follow-up (kind liaison.problem)."""
    caller = user(request)
    point = get_visible(LiaisonPoint.objects.select_related("school"), caller, _("联系点"), field="point_id",
                        pk=point_id)
    visit = visits.record_visit(point, visited_on=payload.visited_on, findings=payload.findings,
                                problems=payload.problems, days=payload.days, actor=caller)
    return {"id": visit.pk, "visited_on": visit.visited_on, "findings": visit.findings,
            "follow_ups": [p.follow_up_id for p in visit.problems.all()]}


class BriefOut(Schema):
    id: int
    bureau: str
    number: int
    title: str
    first_day: date
    last_day: date
    visits: int
    problems: int
    follow_ups_done: int


@router.get("/briefs", response={200: list[BriefOut], **ERROR_RESPONSES}, summary="工作简报")
def list_briefs(request: HttpRequest, limit: Limit = 100, offset: Offset = 0):
    out = []
    for b in visible(BriefIssue.objects.select_related("bureau").order_by("number"), user(request))[
            offset:offset + limit]:
        e = briefs.entries(b)
        out.append({"id": b.pk, "bureau": b.bureau.code, "number": b.number, "title": b.title,
                    "first_day": b.first_day, "last_day": b.last_day, "visits": len(e["visits"]),
                    "problems": e["problems"], "follow_ups_done": len(e["done"])})
    return out
