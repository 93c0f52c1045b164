"""Assessment rounds: opening a round over the CDC's township health centers and village clinics,
entering scores with their evidence, the unit's total, closing the round (rectification items for
the units below the pass mark) and the ranking.

The rules, in one place:
- a score is a number from 0 to the indicator's maximum with at most one decimal; above the maximum
  it is refused naming the field and the indicator;
- a deduction (a score below the maximum) needs an evidence note saying what was found;
- a unit's total is the weighted share of the maximum on 100 points:
  total = 100 × Σ wᵢ·sᵢ/mᵢ ÷ Σ wᵢ over every indicator of the round's sheet (an unscored one counts 0);
- a round closes only when every sheet is complete; a unit whose total is below the pass mark gets one
  rectification item per indicator whose share sᵢ/mᵢ is below the pass mark's share (there is at least
  one), on the clock, verified by a second person;
- the ranking is within each kind of unit (township health centers among themselves, village clinics
  among themselves): higher total first, then fewer indicators below the pass share; units equal on
  both share the place (1, 2, 2, 4) and are listed by unit code."""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, cast

from django.db import transaction
from django.utils.translation import gettext as _

from yizhan.assessment.models import ASSESSORS, Assessment, Indicator, Programme, Round, RoundState, Score
from yizhan.audit.log import record
from yizhan.clock.limits import Limit
from yizhan.clock.moments import resolve_at
from yizhan.errors import IllegalTransition, InvalidInput
from yizhan.followups.models import FollowUp
from yizhan.followups.service import figures as follow_up_figures
from yizhan.followups.service import open_follow_up
from yizhan.org.models import OrgUnit, Role, StaffRole, UnitKind
from yizhan.org.scope import require_covers, require_permits
from yizhan.textlimits import field_limit

RECTIFICATION = "assessment.rectification"
ASSESSED_KINDS = (UnitKind.TOWNSHIP, UnitKind.VILLAGE)
_NUMBER = re.compile(r"[0-9]+(\.[0-9])?")
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Entry:
    """One score as entered on the sheet, in the CSV or through the API."""

    indicator: str  # the indicator's code
    score: Any  # text from a form or file, or a number
    evidence_note: str = ""
    evidence_ref: str = ""


# --- values ---------------------------------------------------------------------------------------

def parse_score(value: Any, indicator: Indicator, *, field: str = "score") -> Decimal:
    """The score `value` for `indicator`, or InvalidInput naming `field` and the indicator."""
    text = str(value).strip() if value is not None else ""
    if isinstance(value, float | int) and not isinstance(value, bool):
        text = str(value)
    if not text:
        raise InvalidInput(_("指标 %(i)s 的得分不能为空") % {"i": indicator.code}, field=field, rule="required")
    if not _NUMBER.fullmatch(text):
        raise InvalidInput(_("指标 %(i)s 的得分应为不小于 0 的数，最多一位小数：%(v)s") % {
            "i": indicator.code, "v": text[:20]}, field=field, rule="score_format")
    score = Decimal(text)
    if score > indicator.max_score:
        raise InvalidInput(_("指标 %(i)s 的得分 %(v)s 超过满分 %(m)s") % {
            "i": indicator.code, "v": text, "m": indicator.max_score}, field=field, rule="above_maximum")
    return score


def check_entry(entry: Entry, indicator: Indicator | None, *, field: str = "score") -> tuple[Decimal, str, str]:
    """The entry's score, note and reference, checked; the first broken rule raised naming its field."""
    if indicator is None:
        raise InvalidInput(_("本轮考核没有指标 %(i)s") % {"i": entry.indicator}, field="indicator",
                           rule="unknown_indicator")
    score = parse_score(entry.score, indicator, field=field)
    note, ref = (entry.evidence_note or "").strip(), (entry.evidence_ref or "").strip()
    if score < indicator.max_score and not note:
        raise InvalidInput(_("指标 %(i)s 扣分须写明考核记录（发现的问题）") % {"i": indicator.code},
                           field="evidence_note", rule="evidence_required")
    if len(ref) > field_limit(Score, "evidence_ref"):
        raise InvalidInput(_("佐证材料出处不能超过 %(n)d 个字符") % {"n": field_limit(Score, "evidence_ref")},
                           field="evidence_ref", rule="max_length")
    return score, note, ref


def share(score: Decimal, indicator: Indicator) -> Decimal:
    return score / indicator.max_score


def total_of(scores: dict[int, Decimal], sheet: Sequence[Indicator]) -> Decimal:
    """The weighted share of the maximum on 100 points; unscored indicators count 0."""
    weights = sum((i.weight for i in sheet), Decimal(0))
    if not weights:
        return Decimal(0)
    points = sum((i.weight * scores[i.pk] / i.max_score for i in sheet if i.pk in scores), Decimal(0))
    return (HUNDRED * points / weights).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# --- rounds ---------------------------------------------------------------------------------------

def _may_assess(actor: Any, obj: Any) -> None:
    require_permits(actor, obj, field="unit", rule="not_assessor", message=_("您不是负责该单位的考核人员"))


def open_round(cdc: OrgUnit, *, code: str, name: str, year: int, programmes: Iterable[Programme],
               pass_mark: Decimal | int = 80, rectification_days: int = 20, units: Iterable[OrgUnit] | None = None,
               at: datetime | None = None, actor: Any = None, actor_label: str = "") -> Round:
    """A round of `cdc` over `units` (default: every active township health center and village clinic
    under it), one sheet each, scored on the indicators of `programmes` (those the CDC manages)."""
    require_covers(actor, ASSESSORS, cdc, field="cdc", rule="not_assessor", message=_("您不是负责该单位的考核人员"))
    at = resolve_at(at)
    code, name = (code or "").strip(), (name or "").strip()
    if cdc.kind != UnitKind.CDC:
        raise InvalidInput(_("考核轮次须由疾控中心组织"), field="cdc", rule="not_cdc")
    if not code:
        raise InvalidInput(_("编码不能为空"), field="code", rule="required")
    if Round.objects.filter(code=code).exists():
        raise InvalidInput(_("考核轮次编码已存在：%(c)s") % {"c": code}, field="code", rule="unique")
    if not name:
        raise InvalidInput(_("名称不能为空"), field="name", rule="required")
    pass_mark = Decimal(pass_mark)
    if not Decimal(0) < pass_mark <= HUNDRED:
        raise InvalidInput(_("合格分须在 0 至 100 分之间"), field="pass_mark", rule="range")
    if not 1 <= rectification_days <= 365:
        raise InvalidInput(_("整改时限须为 1 至 365 个工作日"), field="rectification_days", rule="range")
    programmes = list(programmes)
    if not programmes:
        raise InvalidInput(_("至少选择一个考核项目"), field="programmes", rule="required")
    for programme in programmes:
        if programme.cdc_id != cdc.pk or not programme.managed_by_cdc:
            raise InvalidInput(_("项目 %(p)s 不由本疾控中心考核") % {"p": programme.name}, field="programmes",
                               rule="not_managed")
    if units is None:
        units = OrgUnit.objects.filter(path__startswith=cdc.path, kind__in=ASSESSED_KINDS, active=True)
    units = list(units)
    for unit in units:
        if unit.kind not in ASSESSED_KINDS or not unit.path.startswith(cdc.path):
            raise InvalidInput(_("%(u)s 不是本疾控中心辖下的卫生院或卫生站") % {"u": unit.name}, field="units",
                               rule="not_assessed_unit")
    with transaction.atomic():
        round_ = Round.objects.create(code=code, name=name, year=year, cdc=cdc, pass_mark=pass_mark,
                                      rectification_days=rectification_days, opened_at=at)
        round_.programmes.set(programmes)
        Assessment.objects.bulk_create([Assessment(round=round_, unit=u) for u in units])
        record("assessment.round.opened", round_, actor=actor, actor_label=actor_label, at=at, code=code, year=year,
               pass_mark=pass_mark, programmes=[p.code for p in programmes], units=len(units))
    return round_


def sheet(round_: Round) -> list[Indicator]:
    return list(round_.indicators().order_by("programme__sort", "programme__code", "sort", "code"))


def write_checked(assessment: Assessment, checked: list[tuple[Indicator, Decimal, str, str]], *, at: datetime,
           actor: Any, actor_label: str, via: str) -> None:
    """Store checked scores and the sheet's new total, one audit event per changed score. Checks no
    one: called inside `enter_scores` and the import, which have checked the actor."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    stored = {s.indicator_id: s for s in assessment.scores.select_for_update()}
    for indicator, score, note, ref in checked:
        old = stored.get(indicator.pk)
        if old is not None and (old.score, old.evidence_note, old.evidence_ref) == (score, note, ref):
            continue
        row = old or Score(assessment=assessment, indicator=indicator)
        row.score, row.evidence_note, row.evidence_ref, row.entered_by, row.entered_at = score, note, ref, user, at
        row.save()
        stored[indicator.pk] = row
        record("assessment.score.entered", row, actor=actor, actor_label=actor_label, at=at, via=via,
               unit=assessment.unit.code, indicator=indicator.code,
               score=[old.score if old else None, score], evidence_ref=ref)
    _refresh(assessment, {k: s.score for k, s in stored.items()})


def _refresh(assessment: Assessment, scores: dict[int, Decimal]) -> None:
    indicators = sheet(assessment.round)
    assessment.scored = sum(1 for i in indicators if i.pk in scores)
    assessment.complete = assessment.scored == len(indicators)
    assessment.total = total_of(scores, indicators)
    assessment.passed = (assessment.total >= assessment.round.pass_mark) if assessment.complete else None
    assessment.save(update_fields=["scored", "complete", "total", "passed"])


def _open_round(round_: Round) -> None:
    if round_.state != RoundState.OPEN:
        raise IllegalTransition(_("考核轮次已结束，不能再评分"), field="round", rule="round_closed")


def enter_scores(assessment: Assessment, entries: Sequence[Entry], *, at: datetime | None = None, actor: Any = None,
                 actor_label: str = "", via: str = "sheet") -> Assessment:
    """Enter (or correct) scores on one unit's sheet: every entry checked first, then all written in one
    transaction — a broken entry writes nothing."""
    _may_assess(actor, assessment)
    at = resolve_at(at)
    _open_round(assessment.round)
    by_code = {i.code: i for i in sheet(assessment.round)}
    checked: list[tuple[Indicator, Decimal, str, str]] = []
    seen = set()
    for entry in entries:
        indicator = by_code.get(entry.indicator)
        if entry.indicator in seen:
            raise InvalidInput(_("指标 %(i)s 重复") % {"i": entry.indicator}, field="indicator", rule="duplicate")
        seen.add(entry.indicator)
        score, note, ref = check_entry(entry, indicator)  # refuses an unknown indicator
        checked.append((cast(Indicator, indicator), score, note, ref))
    with transaction.atomic():
        locked = Assessment.objects.select_for_update().select_related("round", "unit").get(pk=assessment.pk)
        _open_round(locked.round)
        write_checked(locked, checked, at=at, actor=actor, actor_label=actor_label, via=via)
    return locked


def rectification_owner(unit: OrgUnit) -> Any:
    """Who carries out a unit's rectification: a follow-up owner at the unit, else at its township."""
    for candidate in (unit, unit.parent if unit.kind == UnitKind.VILLAGE else None):
        if candidate is None:
            continue
        role = StaffRole.objects.filter(unit=candidate, role=Role.FOLLOW_UP_OWNER).select_related("user") \
            .order_by("user__username").first()
        if role is not None:
            return role.user
    return None


def below_pass(assessment: Assessment, indicators: Sequence[Indicator], scores: dict[int, Decimal]) -> list[Indicator]:
    """The indicators whose share of the maximum is below the pass mark's share, worst first."""
    bar = assessment.round.pass_mark / HUNDRED
    low = [i for i in indicators if share(scores.get(i.pk, Decimal(0)), i) < bar]
    return sorted(low, key=lambda i: (share(scores.get(i.pk, Decimal(0)), i), i.code))


def close_round(round_: Round, *, at: datetime | None = None, actor: Any = None, actor_label: str = "") -> Round:
    """open → closed, once every sheet is complete; the units below the pass mark get their rectification
    items (one per indicator below the pass share) in the same transaction."""
    at = resolve_at(at)
    with transaction.atomic():
        round_ = Round.objects.select_for_update().select_related("cdc").get(pk=round_.pk)
        _may_assess(actor, round_)
        if round_.state != RoundState.OPEN:
            raise IllegalTransition(_("考核轮次已结束"), field="state", rule="round_closed")
        if at < round_.opened_at:
            raise InvalidInput(_("结束时间不能早于开始时间"), field="at", rule="not_before_opened")
        sheets = list(round_.assessments.select_related("unit", "round"))
        missing = [a.unit.name for a in sheets if not a.complete]
        if missing:
            raise IllegalTransition(_("尚有 %(n)d 个单位未评分完毕：%(u)s") % {
                "n": len(missing), "u": "、".join(missing[:5])}, field="assessments", rule="incomplete")
        indicators = sheet(round_)
        opened = 0
        limit = Limit.days(round_.rectification_days)
        for assessment in sheets:
            if assessment.passed:
                continue
            scores = {s.indicator_id: s for s in assessment.scores.all()}
            owner = rectification_owner(assessment.unit)
            for indicator in below_pass(assessment, indicators, {k: s.score for k, s in scores.items()}):
                found = scores[indicator.pk]
                open_follow_up(
                    assessment, kind=RECTIFICATION, unit=assessment.unit, owner=owner, limit=limit,
                    title=_("整改：%(i)s（得分 %(s)s / 满分 %(m)s）") % {
                        "i": indicator.name, "s": found.score, "m": indicator.max_score},
                    detail=found.evidence_note, needs_verification=True, at=at, actor=actor, actor_label=actor_label)
                opened += 1
        round_.state, round_.closed_at = RoundState.CLOSED, at
        round_.save(update_fields=["state", "closed_at"])
        record("assessment.round.closed", round_, actor=actor, actor_label=actor_label, at=at,
               failed=sum(1 for a in sheets if not a.passed), rectifications=opened,
               state=[RoundState.OPEN, RoundState.CLOSED])
    return round_


# --- ranking --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Place:
    rank: int
    assessment: Assessment
    below_pass: int  # indicators below the pass share (the tie-break)


def ranking(round_: Round, *, kind: str | None = None, assessments: Iterable[Assessment] | None = None) -> list[Place]:
    """The places of the round's units within their kind (see the module's rules); `assessments`
    narrows the list (e.g. to the user's scope) without changing anyone's place."""
    indicators = sheet(round_)
    everyone = round_.assessments.select_related("unit").prefetch_related("scores")
    if kind:
        everyone = everyone.filter(unit__kind=kind)
    places: list[Place] = []
    for unit_kind in ASSESSED_KINDS:
        group = [a for a in everyone if a.unit.kind == unit_kind]
        keyed = []
        for a in group:
            scores = {s.indicator_id: s.score for s in a.scores.all()}
            keyed.append((-a.total, len(below_pass(a, indicators, scores)), a.unit.code, a))
        keyed.sort(key=lambda k: k[:3])
        previous, rank = None, 0
        for position, (neg_total, low, _code, a) in enumerate(keyed, start=1):
            if (neg_total, low) != previous:
                rank, previous = position, (neg_total, low)
            places.append(Place(rank, a, low))
    if assessments is not None:
        wanted = {a.pk for a in assessments}
        places = [p for p in places if p.assessment.pk in wanted]
    return places


def figures(round_: Round) -> dict[str, Any]:
    """Counts of the round: units, complete, passed, failed, mean total, rectification items."""
    sheets = list(round_.assessments.all())
    done = [a for a in sheets if a.complete]
    items = FollowUp.objects.filter(kind=RECTIFICATION, subject_type=Assessment._meta.label_lower,
                                    subject_id__in=[str(a.pk) for a in sheets])
    mean = (sum((a.total for a in done), Decimal(0)) / len(done)).quantize(Decimal("0.01")) if done else None
    return {"units": len(sheets), "complete": len(done), "passed": sum(1 for a in done if a.passed),
            "failed": sum(1 for a in done if a.passed is False), "mean_total": mean,
            "rectifications": follow_up_figures(items)}

