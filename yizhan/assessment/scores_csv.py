"""Scores of a round from a CSV file, and the round's scores as CSV.

Import columns: `unit_code,indicator_code,score` and optionally `evidence_note,evidence_ref`
(`unit_name,indicator_name,max_score`, written by the export, are accepted and ignored, so an
exported file can be corrected and imported again). Every row is checked with the rules of the
sheet screen (`yizhan.assessment.scoring`); any broken row → ImportFailed listing every broken line
and field, nothing written. Otherwise every unit's scores are written in one transaction."""

import io
from datetime import datetime
from decimal import Decimal
from typing import IO, Any

from django.db import transaction
from django.utils.translation import gettext as _

from yizhan import csvrows
from yizhan.assessment import scoring
from yizhan.assessment.models import Assessment, Indicator, Round, Score
from yizhan.clock.moments import resolve_at
from yizhan.csvrows import ImportResult, Rows
from yizhan.errors import RuleError
from yizhan.org.scope import CHANGE, restrict

REQUIRED = ["unit_code", "indicator_code", "score"]
OPTIONAL = ["evidence_note", "evidence_ref", "unit_name", "indicator_name", "max_score"]
EXPORT = ["unit_code", "unit_name", "indicator_code", "indicator_name", "max_score", "score", "evidence_note",
          "evidence_ref"]


def import_scores(round_: Round, stream: IO[str] | IO[bytes], *, at: datetime | None = None, actor: Any = None,
                  actor_label: str = "import-scores") -> ImportResult:
    at = resolve_at(at)
    rows = Rows(stream, REQUIRED, OPTIONAL, codes=("unit_code", "indicator_code"))
    if round_.state != "open":
        rows.error(1, "round", _("考核轮次已结束，不能再评分"))
        rows.raise_if_any()
    sheets = round_.assessments.select_related("unit", "round")
    if actor is not None:
        mine = set(restrict(Assessment.objects.filter(round=round_), actor, CHANGE).values_list("pk", flat=True))
    else:
        mine = None
    by_unit = {a.unit.code: a for a in sheets}
    by_code = {i.code: i for i in scoring.sheet(round_)}
    per_sheet: dict[int, list[tuple[Indicator, Decimal, str, str]]] = {}
    seen: dict[str, int] = {}
    for line, row in rows:
        unit_code, code = rows.required(line, row, "unit_code"), rows.required(line, row, "indicator_code")
        assessment = by_unit.get(unit_code)
        if unit_code and assessment is None:
            rows.error(line, "unit_code", _("本轮考核没有单位 %(u)s") % {"u": unit_code})
        elif assessment is not None and mine is not None and assessment.pk not in mine:
            rows.error(line, "unit_code", _("您不是负责该单位的考核人员：%(u)s") % {"u": unit_code})
        indicator = by_code.get(code)
        if code and indicator is None:
            rows.error(line, "indicator_code", _("本轮考核没有指标 %(i)s") % {"i": code})
        rows.seen_once(line, "unit_code", f"{unit_code} {code}" if unit_code and code else "", seen)
        if assessment is None or indicator is None:
            continue
        entry = scoring.Entry(code, row.get("score", ""), row.get("evidence_note", ""), row.get("evidence_ref", ""))
        try:
            score, note, ref = scoring.check_entry(entry, indicator)
        except RuleError as exc:
            rows.error(line, exc.field, exc.message)
            continue
        per_sheet.setdefault(assessment.pk, []).append((indicator, score, note, ref))
    rows.raise_if_any()
    created = updated = 0
    with transaction.atomic():
        before = set(Score.objects.filter(assessment__round=round_).values_list("assessment_id", "indicator_id"))
        for pk, checked in per_sheet.items():
            locked = Assessment.objects.select_for_update().select_related("round", "unit").get(pk=pk)
            scoring.write_checked(locked, checked, at=at, actor=actor, actor_label=actor_label, via="csv")
            for indicator, *_rest in checked:
                if (pk, indicator.pk) in before:
                    updated += 1
                else:
                    created += 1
    return ImportResult(created, updated)


def export_rows(round_: Round, assessments) -> list[list[Any]]:
    """One row per (unit, indicator) of the sheets given (the caller's scope), blank where unscored."""
    indicators = scoring.sheet(round_)
    out = []
    for assessment in assessments.select_related("unit").prefetch_related("scores"):
        scores = {s.indicator_id: s for s in assessment.scores.all()}
        for indicator in indicators:
            s = scores.get(indicator.pk)
            out.append([assessment.unit.code, assessment.unit.name, indicator.code, indicator.name,
                        indicator.max_score, s.score if s else "", s.evidence_note if s else "",
                        s.evidence_ref if s else ""])
    return out


def export_csv(round_: Round, assessments) -> str:
    buffer = io.StringIO()
    writer = csvrows.writer(buffer)
    writer.writerow(EXPORT)
    writer.writerows(export_rows(round_, assessments))
    return buffer.getvalue()
