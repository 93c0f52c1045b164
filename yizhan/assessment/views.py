"""/assessment/: the assessor's screens — the rounds of their scope, a round's sheets with the
ranking (CSV/XLSX export, CSV import of scores, closing the round), and one unit's scoring sheet,
checked as the assessor types (htmx) and saved in one go. The rules are those of
`yizhan.assessment.scoring`, as in the API and the import."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from yizhan.assessment import scores_csv, scoring
from yizhan.assessment.models import ASSESSMENT_VIEWERS, ASSESSORS, Assessment, Round, RoundState
from yizhan.errors import ImportFailed, RuleError
from yizhan.org.models import UnitKind
from yizhan.org.scope import CHANGE, permits, restrict
from yizhan.ui.access import require_roles
from yizhan.ui.export import Table, export_response


@require_roles(*ASSESSMENT_VIEWERS)
def round_list(request: HttpRequest) -> HttpResponse:
    rounds = restrict(Round.objects.select_related("cdc"), request.user)
    return render(request, "assessment/rounds.html", {
        "rounds": [(r, scoring.figures(r)) for r in rounds[:50]]})


def _tables(round_: Round, places: list[scoring.Place], sheets) -> list[Table]:
    ranking = Table("ranking", _("考核排名"), [_("单位类型"), _("名次"), _("编码"), _("单位"), _("总分"), _("低于合格线的指标"),
                                              _("合格")])
    for p in places:
        a = p.assessment
        ranking.rows.append([a.unit.get_kind_display(), p.rank, a.unit.code, a.unit.name, a.total, p.below_pass,
                             _("是") if a.passed else (_("否") if a.passed is False else "")])
    scores = Table("scores", _("指标得分"), scores_csv.EXPORT, scores_csv.export_rows(round_, sheets))
    return [ranking, scores]


def _round_page(request: HttpRequest, round_: Round, *, import_errors=None, message: str = "", status: int = 200):
    sheets = restrict(round_.assessments.all(), request.user)
    kind = request.GET.get("kind", "")
    places = scoring.ranking(round_, kind=kind if kind in UnitKind.values else None, assessments=sheets)
    exported = export_response(request, _tables(round_, places, sheets))
    if exported is not None:
        return exported
    return render(request, "assessment/round.html", {
        "round": round_, "places": places, "figures": scoring.figures(round_), "kind": kind,
        "may_change": permits(request.user, round_, CHANGE), "import_errors": import_errors, "message": message,
        "kinds": [(UnitKind.TOWNSHIP, UnitKind.TOWNSHIP.label), (UnitKind.VILLAGE, UnitKind.VILLAGE.label)],
    }, status=status)


@require_roles(*ASSESSMENT_VIEWERS)
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _round_page(request, get_object_or_404(restrict(Round.objects.all(), request.user), pk=pk))


@require_roles(*ASSESSORS)
def round_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    round_ = get_object_or_404(restrict(Round.objects.all(), request.user), pk=pk)
    if request.method != "POST":
        return redirect("assessment:round", pk=pk)
    try:
        if action == "import":
            upload = request.FILES.get("file")
            if upload is None:
                return _round_page(request, round_, message=_("请选择 CSV 文件"), status=422)
            result = scores_csv.import_scores(round_, upload, actor=request.user)
            return _round_page(request, round_, message=_("已导入：%(r)s") % {"r": result})
        if action == "close":
            scoring.close_round(round_, actor=request.user)
            return redirect("assessment:round", pk=pk)
    except ImportFailed as exc:
        return _round_page(request, round_, import_errors=exc.errors, status=422)
    except RuleError as exc:
        return _round_page(request, round_, message=str(exc.message), status=422)
    raise PermissionDenied


def _rows(assessment: Assessment, values: dict | None = None, errors: dict | None = None) -> list[dict]:
    stored = {s.indicator_id: s for s in assessment.scores.all()}
    rows = []
    for indicator in scoring.sheet(assessment.round):
        s = stored.get(indicator.pk)
        entered = (values or {}).get(indicator.code)
        rows.append({
            "indicator": indicator,
            "score": entered.score if entered else (s.score if s else ""),
            "note": entered.evidence_note if entered else (s.evidence_note if s else ""),
            "ref": entered.evidence_ref if entered else (s.evidence_ref if s else ""),
            "error": (errors or {}).get(indicator.code), "stored": s})
    return rows


def _entry(request: HttpRequest, code: str) -> scoring.Entry:
    post = request.POST
    return scoring.Entry(code, post.get(f"score-{code}", ""), post.get(f"note-{code}", ""), post.get(f"ref-{code}", ""))


def _sheet(request: HttpRequest, pk: int) -> Assessment:
    return get_object_or_404(restrict(Assessment.objects.select_related("round", "unit"), request.user), pk=pk)


@require_roles(*ASSESSMENT_VIEWERS)
def sheet(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _sheet(request, pk)
    may_change = assessment.round.state == RoundState.OPEN and permits(request.user, assessment, CHANGE)
    values, errors, status, saved = None, None, 200, False
    if request.method == "POST":
        if not may_change:
            raise PermissionDenied
        indicators = {i.code: i for i in scoring.sheet(assessment.round)}
        values = {code: _entry(request, code) for code in indicators}
        entries = [e for e in values.values() if str(e.score).strip()]
        errors = {}
        for entry in entries:
            try:
                scoring.check_entry(entry, indicators[entry.indicator])
            except RuleError as exc:
                errors[entry.indicator] = exc.message
        if not errors:
            try:
                assessment = scoring.enter_scores(assessment, entries, actor=request.user)
                values, saved = None, True
            except RuleError as exc:
                errors[""] = exc.message
        status = 422 if errors else 200
    return render(request, "assessment/sheet.html", {
        "assessment": assessment, "rows": _rows(assessment, values, errors), "may_change": may_change,
        "form_error": (errors or {}).get(""), "saved": saved, "error_count": len(errors or {}),
    }, status=status)


@require_roles(*ASSESSORS)
def check(request: HttpRequest, pk: int) -> HttpResponse:
    """One row of the sheet checked as it is typed: the rule's message, or the share of the maximum."""
    assessment = _sheet(request, pk)
    code = request.POST.get("indicator", "")
    indicator = {i.code: i for i in scoring.sheet(assessment.round)}.get(code)
    error = share = None
    if indicator is not None and str(request.POST.get(f"score-{code}", "")).strip():
        try:
            score, _note, _ref = scoring.check_entry(_entry(request, code), indicator)
            share = round(100 * score / indicator.max_score)
        except RuleError as exc:
            error = exc.message
    return render(request, "assessment/_check.html", {"error": error, "share": share, "code": code})
