"""Importing cases from a legacy system's CSV, through the same service functions as live work.

Columns: case_no,matter_code,window_code,received_at,accepted_at,completed_at,outcome (required), then
optionally green_channel (0/1), applicant_id, reason, legal_basis. Timestamps are ISO 8601, local time
(Asia/Shanghai) unless they carry an offset, empty where the case did not get that far.

What each outcome needs:

| outcome             | accepted_at          | completed_at                          |
|---------------------|----------------------|---------------------------------------|
| (empty: still open) | optional             | empty                                 |
| approved / refused  | required             | required: the decision was delivered  |
| refused_to_accept   | empty                | required: when acceptance was refused |
| withdrawn           | optional             | required: when the applicant withdrew |

Each case is replayed with the engine's own functions (`yizhan.hall.cases`, `refusals`), dated with the
file's timestamps and labelled "import": received (and accepted at once when accepted_at equals
received_at, as at the counter), accepted, then closed. An approved on-the-spot matter completed on the
day of acceptance is completed on the spot; every other decided case goes through review, decision and
completion. So imported cases get the same timers, deadlines, audit events, accountability records and
figures as live ones (an open case already past its statutory deadline gets its accountability
record from the regular sweep, `yizhan hall sweep`, as a live one does). A refusal still needs its two people (否办退件把关): the operator who registers
it (`handler`) and a department head or hall supervisor over the window who confirms it (`reviewer`).

Every row is checked before anything is written; on any broken row the import raises ImportFailed
listing every line and field, and writes nothing. The writes then go in chunks of whole cases, each
chunk its own short transaction, so a clerk's write never waits long behind an import (on SQLite,
whose writers take turns, the import also leaves a gap between chunks for waiting writers). A run
that stops midway (killed, or a rule only the engine knows refusing a row) leaves whole cases only;
the same command run again skips the rows already imported (same case number, matter, window and
receipt) and completes the rest.
"""

import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import IO, Any

from django.db import connection, transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from yizhan.audit.models import AuditEvent
from yizhan.calendar.workdays import local_date, local_tz
from yizhan.csvrows import Rows
from yizhan.errors import ImportFailed, InvalidInput, RowError, RuleError
from yizhan.hall import cases as engine
from yizhan.hall.catalog import check_window_accepts
from yizhan.hall.green_channel import check_green_channel
from yizhan.hall.models import ApplicantKind, Case, Matter, MatterKind, Outcome, RefusalKind
from yizhan.hall.refusals import REVIEWER_ROLES, confirm_refusal, request_refusal
from yizhan.identifiers import validate_resident_id, validate_uscc
from yizhan.org.models import OrgUnit, UnitKind
from yizhan.org.scope import covers

REQUIRED = ["case_no", "matter_code", "window_code", "received_at", "accepted_at", "completed_at", "outcome"]
OPTIONAL = ["green_channel", "applicant_id", "reason", "legal_basis"]
OPEN = ""
OUTCOMES = (OPEN, Outcome.APPROVED, Outcome.REFUSED, Outcome.REFUSED_TO_ACCEPT, Outcome.WITHDRAWN)
REFUSALS: dict[str, str] = {Outcome.REFUSED: RefusalKind.REFUSE_APPROVAL, Outcome.REFUSED_TO_ACCEPT: RefusalKind.REFUSE_TO_ACCEPT}
ACTOR_LABEL = "import"
CASE_NO_LENGTH = Case._meta.get_field("case_no").max_length
# Service-function fields, as the file calls them.
FIELD_NAMES = {"window": "window_code", "matter": "matter_code", "green_project": "green_channel",
               "at": "completed_at", "state": "outcome", "by": "outcome"}
CHUNK = 900  # stays under every database's limit on query parameters
WRITE_CHUNK = 25  # cases per write transaction
CHUNK_SECONDS = 0.25  # a chunk ends early once it has held the write lock this long
SQLITE_GAP = 0.1  # the pause after a chunk on SQLite: longer than a waiting writer's busy-retry interval

DEFAULT_REASON = _("原系统记录的决定（历史数据导入）")
DEFAULT_LEGAL_BASIS = _("见原系统记录")
UNNAMED_APPLICANT = _("（原系统未登记申请人）")


@dataclass(frozen=True)
class CaseRow:
    line: int
    case_no: str
    matter: Matter
    window: OrgUnit
    received_at: datetime
    accepted_at: datetime | None
    completed_at: datetime | None
    outcome: str
    green_channel: bool
    applicant_kind: str
    applicant_id: str
    reason: str
    legal_basis: str
    accepting_ids: list[int]  # the matter's listed windows, shared between its rows
    imported: bool = False  # already in the database from an earlier run of the same file


@dataclass(frozen=True)
class CaseImportResult:
    created: int
    outcomes: dict[str, int]
    already: int = 0  # rows an earlier, interrupted run had imported

    def __str__(self) -> str:
        parts = "，".join(f"{key or 'open'} {n}" for key, n in sorted(self.outcomes.items()))
        text = str(_("导入办件 %(n)d 件（%(parts)s）") % {"n": self.created, "parts": parts})
        if self.already:
            text += str(_("；%(n)d 件此前已导入，跳过") % {"n": self.already})
        return text


def parse_moment(rows: Rows, line: int, row: dict[str, str], field: str, now: datetime) -> datetime | None:
    value = row.get(field, "")
    if not value:
        return None
    try:
        parsed = parse_datetime(value)
    except ValueError:
        parsed = None
    if parsed is None:
        rows.error(line, field, _("不是有效的时间（ISO 8601 本地时间，如 2010-03-01T09:30:00）：%(v)s") % {"v": value})
        return None
    if timezone.is_naive(parsed):
        parsed = parsed.replace(tzinfo=local_tz())
    if parsed > now:
        rows.error(line, field, _("不能晚于当前时间：%(v)s") % {"v": value})
        return None
    return parsed


def applicant(value: str) -> tuple[str, str]:
    """(kind, normalised id) of a resident ID number or a unified social credit code. An 18-character
    value of digits (last one digit or X) is read as a resident ID number first."""
    if not value:
        return ApplicantKind.PERSON, ""
    looks_personal = len(value) == 18 and value[:17].isdigit()
    try:
        return ApplicantKind.PERSON, validate_resident_id(value)
    except InvalidInput as personal:
        try:
            return ApplicantKind.ORGANISATION, validate_uscc(value)
        except InvalidInput as organisational:
            raise (personal if looks_personal else organisational) from None


def _timeline_errors(outcome: str, received: datetime, accepted: datetime | None,
                     completed: datetime | None) -> list[tuple[str, Any]]:
    """Broken rules between the outcome and the timestamps, as (field, message)."""
    errors: list[tuple[str, Any]] = []
    if outcome == OPEN and completed is not None:
        errors.append(("completed_at", _("在办办件（outcome 为空）不能有办结时间")))
    if outcome in (Outcome.APPROVED, Outcome.REFUSED):
        if accepted is None:
            errors.append(("accepted_at", _("已办结（%(o)s）的办件必须有受理时间") % {"o": outcome}))
        if completed is None:
            errors.append(("completed_at", _("outcome 为 %(o)s 时必须有办结时间") % {"o": outcome}))
    if outcome == Outcome.REFUSED_TO_ACCEPT:
        if accepted is not None:
            errors.append(("accepted_at", _("不予受理的办件不能有受理时间")))
        if completed is None:
            errors.append(("completed_at", _("不予受理的办件须在 completed_at 填写不予受理的时间")))
    if outcome == Outcome.WITHDRAWN and completed is None:
        errors.append(("completed_at", _("撤回的办件须在 completed_at 填写撤回时间")))
    if accepted is not None and accepted < received:
        errors.append(("accepted_at", _("受理时间不能早于收件时间")))
    if completed is not None and completed < (accepted or received):
        errors.append(("completed_at", _("办结时间不能早于受理时间") if accepted else _("办结时间不能早于收件时间")))
    return errors


class _Catalog:
    """The matters, windows and existing case numbers the file refers to, fetched in a few queries."""

    def __init__(self, raw: list[tuple[int, dict[str, str]]]) -> None:
        matter_codes = {row.get("matter_code", "") for _line, row in raw}
        window_codes = {row.get("window_code", "") for _line, row in raw}
        windows = Prefetch("windows", queryset=OrgUnit.objects.only("pk"))
        self.matters = {m.code: m for m in Matter.objects.filter(code__in=matter_codes).prefetch_related(windows)}
        self.accepting = {code: [w.pk for w in m.windows.all()] for code, m in self.matters.items()}
        self.windows = {w.code: w for w in OrgUnit.objects.filter(code__in=window_codes)}
        numbers = sorted({row.get("case_no", "") for _line, row in raw} - {""})
        # case number → (matter, window, receipt) of cases already there, and which of them an import
        # received: a row matching one of those on all four was imported by an earlier run.
        self.existing: dict[str, tuple[int, int, datetime]] = {}
        self.imported: set[str] = set()
        for i in range(0, len(numbers), CHUNK):
            chunk = numbers[i:i + CHUNK]
            found = {str(pk): (no, (matter, window, received)) for pk, no, matter, window, received in
                     Case.objects.filter(case_no__in=chunk).values_list(
                         "pk", "case_no", "matter_id", "window_id", "received_at")}
            self.existing.update(found.values())
            by_import = AuditEvent.objects.filter(
                action="hall.case.received", object_type=Case._meta.label_lower, object_id__in=list(found),
                actor_label=ACTOR_LABEL).values_list("object_id", flat=True)
            self.imported.update(found[pk][0] for pk in by_import)
        self._reviewable: dict[int, bool] = {}

    def reviewable(self, reviewer: Any, window: OrgUnit) -> bool:
        if window.pk not in self._reviewable:
            self._reviewable[window.pk] = covers(reviewer, REVIEWER_ROLES, window)
        return self._reviewable[window.pk]


def _check_row(rows: Rows, catalog: _Catalog, line: int, row: dict[str, str], seen: dict[str, int],
               now: datetime) -> CaseRow | None:
    before = len(rows.errors)
    case_no = rows.required(line, row, "case_no")
    if len(case_no) > CASE_NO_LENGTH:
        rows.error(line, "case_no", _("不能超过 %(n)d 个字符") % {"n": CASE_NO_LENGTH})
    rows.seen_once(line, "case_no", case_no, seen)

    matter = catalog.matters.get(row.get("matter_code", ""))
    if rows.required(line, row, "matter_code") and matter is None:
        rows.error(line, "matter_code", _("事项编码不存在：%(v)s") % {"v": row["matter_code"]})
    window = catalog.windows.get(row.get("window_code", ""))
    if rows.required(line, row, "window_code") and (window is None or window.kind != UnitKind.WINDOW):
        rows.error(line, "window_code", _("不是已有的窗口：%(v)s") % {"v": row["window_code"]})
        window = None
    if matter is not None and window is not None:
        try:
            check_window_accepts(matter, window, accepting_ids=catalog.accepting[matter.code])
        except InvalidInput as exc:
            rows.error(line, FIELD_NAMES.get(exc.field, exc.field), exc.message)

    outcome = row.get("outcome", "")
    if outcome not in OUTCOMES:
        rows.error(line, "outcome", _("须为 approved、refused、refused_to_accept、withdrawn 或留空（在办）：%(v)s")
                   % {"v": outcome})
    received = parse_moment(rows, line, row, "received_at", now)
    if not row.get("received_at"):
        rows.error(line, "received_at", _("不能为空"))
    accepted = parse_moment(rows, line, row, "accepted_at", now)
    completed = parse_moment(rows, line, row, "completed_at", now)
    if received is not None and outcome in OUTCOMES:
        for field, message in _timeline_errors(outcome, received, accepted, completed):
            rows.error(line, field, message)

    green = row.get("green_channel", "")
    if green not in ("", "0", "1"):
        rows.error(line, "green_channel", _("须为 0 或 1：%(v)s") % {"v": green})
    elif green == "1" and matter is not None:
        try:
            check_green_channel(matter)
        except InvalidInput as exc:
            rows.error(line, "green_channel", exc.message)

    kind: str = ApplicantKind.PERSON
    applicant_id = ""
    try:
        kind, applicant_id = applicant(row.get("applicant_id", ""))
    except InvalidInput as exc:
        rows.error(line, "applicant_id", exc.message)
    if row.get("legal_basis") and outcome not in REFUSALS:
        rows.error(line, "legal_basis", _("仅用于 refused 或 refused_to_accept 的办件"))
    if row.get("reason") and outcome not in (*REFUSALS, Outcome.WITHDRAWN):
        rows.error(line, "reason", _("仅用于 refused、refused_to_accept 或 withdrawn 的办件"))
    previous = catalog.existing.get(case_no)
    imported = case_no in catalog.imported and previous == (matter and matter.pk, window and window.pk, received)
    if previous is not None and not imported:
        rows.error(line, "case_no", _("办件编号已存在：%(v)s") % {"v": case_no})
    if len(rows.errors) > before:
        return None
    return CaseRow(line, case_no, matter, window, received, accepted, completed, outcome, green == "1", kind,
                   applicant_id, row.get("reason", ""), row.get("legal_basis", ""),
                   accepting_ids=catalog.accepting[matter.code], imported=imported)


def _check_people(rows: Rows, catalog: _Catalog, parsed: list[CaseRow], handler: Any, reviewer: Any) -> None:
    """Refusals need a named operator and a second person entitled to confirm them at the window."""
    refusals = [r for r in parsed if r.outcome in REFUSALS]
    if not refusals:
        return
    if not getattr(handler, "is_authenticated", False) or not getattr(reviewer, "is_authenticated", False):
        raise InvalidInput(_("文件中有否办（refused 或 refused_to_accept）的办件，须指定登记人（handler）和把关人（reviewer）"),
                           field="reviewer" if handler else "handler", rule="person_required")
    if handler.pk == reviewer.pk:
        raise InvalidInput(_("否办须由登记人以外的另一人把关确认"), field="reviewer", rule="second_person")
    for r in refusals:
        if not catalog.reviewable(reviewer, r.window):
            rows.error(r.line, "outcome", _("把关人 %(user)s 不是窗口 %(window)s 的部门负责人或大厅督查，不能确认否办")
                       % {"user": reviewer.get_username(), "window": r.window.code})


def validate_cases(stream: IO[str] | IO[bytes], *, handler: Any = None, reviewer: Any = None,
                   now: datetime | None = None) -> list[CaseRow]:
    """Every row checked; raises ImportFailed listing every broken line and field."""
    now = now or timezone.now()
    rows = Rows(stream, REQUIRED, OPTIONAL, codes=("case_no", "matter_code", "window_code"))
    raw = list(rows)
    catalog = _Catalog(raw)
    seen: dict[str, int] = {}
    parsed = [r for line, row in raw if (r := _check_row(rows, catalog, line, row, seen, now)) is not None]
    _check_people(rows, catalog, parsed, handler, reviewer)
    rows.raise_if_any()
    return parsed


def _replay(r: CaseRow, handler: Any, reviewer: Any) -> None:
    """One case through the engine, as it happened."""
    label = {"actor": None, "actor_label": ACTOR_LABEL}
    at_once = r.accepted_at is not None and r.accepted_at == r.received_at
    case = engine.receive_case(
        matter=r.matter, window=r.window, applicant_kind=r.applicant_kind, applicant_id=r.applicant_id,
        applicant_name="" if r.applicant_id else str(UNNAMED_APPLICANT), case_no=r.case_no,
        green_project=str(_("绿色通道（历史数据导入）")) if r.green_channel else "", accept=at_once,
        accepting_window_ids=r.accepting_ids, at=r.received_at, **label,
    )
    if r.accepted_at is not None and not at_once:
        case = engine.accept_case(case, at=r.accepted_at, **label)
    if r.outcome == OPEN:
        return
    if r.outcome == Outcome.WITHDRAWN:
        engine.withdraw_case(case, reason=r.reason, at=r.completed_at, **label)
        return
    if r.outcome == Outcome.REFUSED_TO_ACCEPT:
        _refuse(case, r, handler, reviewer)
        return
    if (r.outcome == Outcome.APPROVED and r.matter.kind == MatterKind.ON_THE_SPOT
            and local_date(r.completed_at) == local_date(r.accepted_at)):
        engine.complete_on_the_spot(case, at=r.completed_at, **label)
        return
    case = engine.start_review(case, at=r.accepted_at, **label)
    if r.outcome == Outcome.REFUSED:
        _refuse(case, r, handler, reviewer)
    else:
        case = engine.approve_case(case, at=r.completed_at, **label)
    engine.complete_case(case, at=r.completed_at, **label)


def _refuse(case: Case, r: CaseRow, handler: Any, reviewer: Any) -> None:
    refusal = request_refusal(case, kind=REFUSALS[r.outcome], reason=r.reason or str(DEFAULT_REASON),
                              legal_basis=r.legal_basis or str(DEFAULT_LEGAL_BASIS), by=handler, at=r.completed_at)
    confirm_refusal(refusal, by=reviewer, note=str(_("历史数据导入")), at=r.completed_at)


def import_cases(stream: IO[str] | IO[bytes], *, handler: Any = None, reviewer: Any = None,
                 now: datetime | None = None) -> CaseImportResult:
    """Validate the whole file, then replay the cases not yet imported, in chunks of whole cases, each
    its own transaction. Raises ImportFailed (every broken line and field; nothing written) or
    InvalidInput (refusals without their two people). A rule only the engine knows raises ImportFailed
    naming the row; the cases of earlier chunks stay, and a second run after fixing the row completes."""
    parsed = validate_cases(stream, handler=handler, reviewer=reviewer, now=now)
    todo = [r for r in parsed if not r.imported]
    i = 0
    while i < len(todo):
        started = time.monotonic()
        with transaction.atomic():
            for r in todo[i:i + WRITE_CHUNK]:
                try:
                    _replay(r, handler, reviewer)
                except RuleError as exc:
                    # A rule only the engine knows: reported against the row; its chunk is rolled back.
                    raise ImportFailed([RowError(r.line, FIELD_NAMES.get(exc.field, exc.field or "-"),
                                                 exc.message)]) from exc
                i += 1
                if time.monotonic() - started > CHUNK_SECONDS:
                    break
        if connection.vendor == "sqlite" and i < len(todo):
            time.sleep(SQLITE_GAP)
    return CaseImportResult(len(todo), dict(Counter(r.outcome for r in todo)), already=len(parsed) - len(todo))
