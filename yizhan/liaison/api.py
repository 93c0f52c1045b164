"""Liaison points (联系点): the points in the caller's scope, recording a visit with its problems
(each a follow-up item on the clock), the campaign brief's issues."""

from datetime import date
from typing import Annotated

from django.contrib.auth import get_user_model
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema

from yizhan.api.common import Code, Day, Id, Limit, Offset, Text, max_length_of, user
from yizhan.api.errors import ERROR_RESPONSES, ApiError
from yizhan.api.scope import get_visible, unit_by_code, visible
from yizhan.liaison import briefs, points, visits
from yizhan.liaison.models import BriefIssue, LiaisonPoint, Problem
from yizhan.org.models import UnitKind

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
    return [_point_out(p) for p in qs[q.offset:q.offset + q.limit]]


class PointIn(Schema):
    school: Code
    leader: Code = Field(description="username of the leader")
    started_on: Day
    ended_on: Day | None = None


def _point_out(p: LiaisonPoint) -> dict:
    return {"id": p.pk, "school": p.school.code, "school_name": p.school.name, "leader": p.leader.username,
            "started_on": p.started_on, "ended_on": p.ended_on, "visits": p.visits.count()}


@router.post("/points", response={200: PointOut, **ERROR_RESPONSES}, summary="确定联系点")
def assign_point(request: HttpRequest, payload: PointIn):
    """A leader of the bureau above the school assigns it to a leader (one leader per school and one
    school per leader at a time)."""
    school = unit_by_code(payload.school, field="school", kind=UnitKind.SCHOOL)
    leader = get_user_model().objects.filter(username=payload.leader).first()
    if leader is None:
        raise ApiError(422, _("联系领导须在该校所属主管局担任联系点领导"), field="leader", rule="not_a_leader")
    return _point_out(points.assign(school, leader, started_on=payload.started_on, ended_on=payload.ended_on,
                                    actor=user(request)))


class EndIn(Schema):
    ended_on: Day


@router.post("/points/{point_id}/end", response={200: PointOut, **ERROR_RESPONSES}, summary="结束联系点")
def end_point(request: HttpRequest, point_id: Id, payload: EndIn):
    caller = user(request)
    point = get_visible(LiaisonPoint.objects.select_related("school", "leader"), caller, _("联系点"),
                        field="point_id", pk=point_id)
    return _point_out(points.end(point, ended_on=payload.ended_on, actor=caller))


class LiaisonVisitIn(Schema):
    visited_on: Day
    findings: Text
    problems: list[Annotated[Text, max_length_of(Problem, "description")]] = Field(default_factory=list, max_length=50)
    days: int = Field(visits.DEFAULT_DAYS, ge=1, le=365, description="working days to fix each problem")


class LiaisonVisitOut(Schema):
    id: int
    visited_on: date
    findings: str
    follow_ups: list[int]


@router.post("/points/{point_id}/visits", response={200: LiaisonVisitOut, **ERROR_RESPONSES}, summary="登记走访")
def record_visit(request: HttpRequest, point_id: Id, payload: LiaisonVisitIn):
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
