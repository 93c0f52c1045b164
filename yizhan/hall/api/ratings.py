"""Ratings (好差评) of the caller's windows and the rectification items of bad ones (差评整改): the
department head verifies, then rectifies or explains and replies, within the limit on the clock."""

from datetime import datetime

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Schema

from yizhan.api.common import Id, period, user
from yizhan.api.errors import ERROR_RESPONSES
from yizhan.api.scope import get_visible, unit_by_code, visible
from yizhan.hall import rectification as service
from yizhan.hall.api.figures import PeriodQuery
from yizhan.hall.models import Rating, Rectification, RectificationState
from yizhan.hall.stats import period_bounds

router = Router(tags=["ratings"])


class RatingOut(Schema):
    id: int
    case_no: str
    score: int
    score_label: str
    comment: str
    source: str
    rated_at: datetime
    window: str
    department: str


@router.get("/ratings", response={200: list[RatingOut], **ERROR_RESPONSES}, summary="好差评")
def list_ratings(request: HttpRequest, q: Query[PeriodQuery]):
    """Ratings given in the period on the caller's windows (and in `unit`), newest first."""
    start, end = period_bounds(*period(q.first, q.last))
    qs = visible(Rating.objects.select_related("case", "window", "department"), user(request))
    qs = qs.filter(rated_at__gte=start, rated_at__lt=end)
    if q.unit:
        qs = qs.filter(window__path__startswith=unit_by_code(q.unit, field="unit").path)
    return [{"id": r.pk, "case_no": r.case.case_no, "score": r.score, "score_label": str(r.get_score_display()),
             "comment": r.comment, "source": r.source, "rated_at": r.rated_at, "window": r.window.code,
             "department": r.department.code} for r in qs]


class RectificationOut(Schema):
    id: int
    case_no: str
    score: int
    comment: str
    window: str
    department: str
    state: RectificationState
    opened_at: datetime
    deadline: datetime
    substantiated: bool | None
    verification: str
    resolution: str
    measures: str
    reply: str
    closed_at: datetime | None


def _qs():
    return Rectification.objects.select_related("rating", "rating__case", "window", "department", "timer")


def _out(item: Rectification) -> dict:
    return {"id": item.pk, "case_no": item.rating.case.case_no, "score": item.rating.score,
            "comment": item.rating.comment, "window": item.window.code, "department": item.department.code,
            "state": item.state, "opened_at": item.opened_at, "deadline": item.timer.deadline,
            "substantiated": item.substantiated, "verification": item.verification, "resolution": item.resolution,
            "measures": item.measures, "reply": item.reply, "closed_at": item.closed_at}


class RectificationFilter(Schema):
    state: RectificationState | None = None


@router.get("/rectifications", response={200: list[RectificationOut], **ERROR_RESPONSES}, summary="差评整改")
def list_rectifications(request: HttpRequest, q: Query[RectificationFilter]):
    """Items on the caller's windows, open ones first, nearest deadline first."""
    qs = visible(_qs(), user(request))
    if q.state:
        qs = qs.filter(state=q.state)
    return [_out(i) for i in qs]


def _find(request: HttpRequest, item_id: Id) -> Rectification:
    return get_visible(_qs(), user(request), _("整改事项"), field="id", pk=item_id)


class VerifyIn(Schema):
    substantiated: bool
    verification: str


@router.post("/rectifications/{item_id}/verify", response={200: RectificationOut, **ERROR_RESPONSES},
             summary="核实差评")
def verify(request: HttpRequest, item_id: Id, payload: VerifyIn):
    item = service.verify_rectification(_find(request, item_id), substantiated=payload.substantiated,
                                        verification=payload.verification, by=user(request))
    return _out(_qs().get(pk=item.pk))


class CloseIn(Schema):
    measures: str
    reply: str


@router.post("/rectifications/{item_id}/close", response={200: RectificationOut, **ERROR_RESPONSES},
             summary="整改或说明并回复")
def close(request: HttpRequest, item_id: Id, payload: CloseIn):
    item = service.close_rectification(_find(request, item_id), measures=payload.measures, reply=payload.reply,
                                       by=user(request))
    return _out(_qs().get(pk=item.pk))
