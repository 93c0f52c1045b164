"""Basic public-health service assessment: the programmes and their scoring sheets, rounds, one
unit's sheet, scores entered (or imported as CSV), the round closed, the ranking."""

import io
from datetime import datetime
from decimal import Decimal
from typing import Annotated

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema

from yizhan.api.common import Code, Limit, Offset, Text, max_length_of, user
from yizhan.api.errors import ERROR_RESPONSES
from yizhan.api.scope import get_visible, visible
from yizhan.assessment import scores_csv, scoring
from yizhan.assessment.models import Assessment, Programme, Round, RoundState, Score

PREFIX = "/assessment"
router = Router(tags=["assessment"])


class IndicatorOut(Schema):
    code: str
    name: str
    max_score: Decimal
    weight: Decimal
    evidence_required: str


class AssessmentProgrammeOut(Schema):
    code: str
    name: str
    managed_by_cdc: bool
    lead_agency: str
    indicators: list[IndicatorOut]


@router.get("/programmes", response={200: list[AssessmentProgrammeOut], **ERROR_RESPONSES}, summary="基本公共卫生服务项目与评分表")
def programmes(request: HttpRequest):
    qs = visible(Programme.objects.prefetch_related("indicators"), user(request))
    return [{"code": p.code, "name": p.name, "managed_by_cdc": p.managed_by_cdc, "lead_agency": p.lead_agency,
             "indicators": list(p.indicators.all())} for p in qs]


class RoundOut(Schema):
    code: str
    name: str
    year: int
    cdc: str
    pass_mark: Decimal
    state: RoundState
    opened_at: datetime
    closed_at: datetime | None
    programmes: list[str]
    units: int
    complete: int
    passed: int
    failed: int


def _round_out(r: Round) -> dict:
    f = scoring.figures(r)
    return {"code": r.code, "name": r.name, "year": r.year, "cdc": r.cdc.code, "pass_mark": r.pass_mark,
            "state": r.state, "opened_at": r.opened_at, "closed_at": r.closed_at,
            "programmes": list(r.programmes.values_list("code", flat=True)), "units": f["units"],
            "complete": f["complete"], "passed": f["passed"], "failed": f["failed"]}


class Page(Schema):
    limit: Limit = 100
    offset: Offset = 0


@router.get("/rounds", response={200: list[RoundOut], **ERROR_RESPONSES}, summary="考核轮次")
def rounds(request: HttpRequest, q: Query[Page]):
    qs = visible(Round.objects.select_related("cdc"), user(request))
    return [_round_out(r) for r in qs[q.offset:q.offset + q.limit]]


def _round(request: HttpRequest, code: str) -> Round:
    return get_visible(Round.objects.select_related("cdc"), user(request), _("考核轮次"), field="code", code=code)


@router.get("/rounds/{code}", response={200: RoundOut, **ERROR_RESPONSES}, summary="考核轮次")
def get_round(request: HttpRequest, code: Code):
    return _round_out(_round(request, code))


class PlaceOut(Schema):
    rank: int
    unit: str
    unit_name: str
    kind: str
    total: Decimal
    scored: int
    complete: bool
    passed: bool | None
    below_pass: int


class RankingFilter(Schema):
    kind: Annotated[str, Field(pattern="^(township|village)$")] | None = None


@router.get("/rounds/{code}/ranking", response={200: list[PlaceOut], **ERROR_RESPONSES}, summary="考核排名")
def ranking(request: HttpRequest, code: Code, q: Query[RankingFilter]):
    """Within each kind of unit: higher total first, then fewer indicators below the pass share; equal
    on both → the same place."""
    r = _round(request, code)
    places = scoring.ranking(r, kind=q.kind, assessments=visible(r.assessments.all(), user(request)))
    return [{"rank": p.rank, "unit": p.assessment.unit.code, "unit_name": p.assessment.unit.name,
             "kind": p.assessment.unit.kind, "total": p.assessment.total, "scored": p.assessment.scored,
             "complete": p.assessment.complete, "passed": p.assessment.passed, "below_pass": p.below_pass}
            for p in places]


class ScoreOut(Schema):
    indicator: str
    score: Decimal
    evidence_note: str
    evidence_ref: str
    entered_at: datetime


class SheetOut(Schema):
    round: str
    unit: str
    total: Decimal
    scored: int
    complete: bool
    passed: bool | None
    scores: list[ScoreOut]


def _sheet(request: HttpRequest, code: str, unit: str) -> Assessment:
    return get_visible(Assessment.objects.select_related("round", "unit"), user(request), _("单位考核"), field="unit",
                       round__code=code, unit__code=unit)


def _sheet_out(a: Assessment) -> dict:
    return {"round": a.round.code, "unit": a.unit.code, "total": a.total, "scored": a.scored, "complete": a.complete,
            "passed": a.passed, "scores": [{"indicator": s.indicator.code, "score": s.score,
                                            "evidence_note": s.evidence_note, "evidence_ref": s.evidence_ref,
                                            "entered_at": s.entered_at}
                                           for s in a.scores.select_related("indicator")]}


@router.get("/rounds/{code}/sheets/{unit}", response={200: SheetOut, **ERROR_RESPONSES}, summary="单位评分表")
def get_sheet(request: HttpRequest, code: Code, unit: Code):
    return _sheet_out(_sheet(request, code, unit))


class ScoreIn(Schema):
    indicator: Code
    score: Annotated[Decimal, Field(ge=0, max_digits=5, decimal_places=1)]
    evidence_note: Text = ""
    evidence_ref: Annotated[Text, max_length_of(Score, "evidence_ref")] = ""


class ScoresIn(Schema):
    scores: list[ScoreIn] = Field(..., min_length=1, max_length=200)


@router.post("/rounds/{code}/sheets/{unit}/scores", response={200: SheetOut, **ERROR_RESPONSES},
             summary="录入得分")
def enter_scores(request: HttpRequest, code: Code, unit: Code, payload: ScoresIn):
    """A score above the indicator's maximum, or a deduction without an evidence note, is refused
    naming the field; nothing of the request is written then."""
    entries = [scoring.Entry(s.indicator, s.score, s.evidence_note, s.evidence_ref) for s in payload.scores]
    return _sheet_out(scoring.enter_scores(_sheet(request, code, unit), entries, actor=user(request), via="api"))


class AssessmentCsvIn(Schema):
    csv: Text = Field(..., max_length=2_000_000)


class AssessmentImportOut(Schema):
    created: int
    updated: int


@router.post("/rounds/{code}/scores.csv", response={200: AssessmentImportOut, **ERROR_RESPONSES}, summary="导入得分（CSV）")
def import_scores(request: HttpRequest, code: Code, payload: AssessmentCsvIn):
    """Columns unit_code,indicator_code,score[,evidence_note,evidence_ref]; every broken row is listed
    with its line and field and nothing is written."""
    result = scores_csv.import_scores(_round(request, code), io.StringIO(payload.csv), actor=user(request))
    return {"created": result.created, "updated": result.updated}


@router.get("/rounds/{code}/scores.csv", response={200: None, **ERROR_RESPONSES}, summary="导出得分（CSV）")
def export_scores(request: HttpRequest, code: Code):
    r = _round(request, code)
    body = scores_csv.export_csv(r, visible(r.assessments.all(), user(request)))
    response = HttpResponse("\ufeff" + body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{r.code}-scores.csv"'
    return response


@router.post("/rounds/{code}/close", response={200: RoundOut, **ERROR_RESPONSES}, summary="结束考核并下达整改")
def close(request: HttpRequest, code: Code):
    return _round_out(scoring.close_round(_round(request, code), actor=user(request)))
