"""The case state machine (办件).

    submitted ──accept──▶ accepted ──start_review──▶ under_review ──approve──▶ decided ──complete──▶ completed
        │                    │  └──complete_on_the_spot (即办件, same local day)──────────────────▶ completed
        │                    │                          └──(confirmed refusal)──▶ decided (refused)
        ├──(confirmed refusal)──▶ refused_to_accept
        └──withdraw (from submitted, accepted or under_review)──▶ withdrawn

Acceptance starts two timers on the shared clock: "promised" (the matter's promised limit, or its
green-channel limit for a flagged case) and "statutory" (accountable: passing it opens an
accountability record). Receipt starts the 5-working-day "notice" timer (Art. 32). Closing a case
stops every timer it still runs. Refusals go through `yizhan.hall.refusals` (a second person
confirms), notices through `yizhan.hall.notices`, pauses through `yizhan.hall.pauses`.

Each function runs in one transaction, locks the case, writes one audit event dated `at`, and issues
a handful of queries, so a replay of a whole year's cases can use them."""

from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from yizhan.calendar.workdays import local_date
from yizhan.clock.limits import Limit
from yizhan.clock.rows import insert, insert_all, new, write
from yizhan.clock.timers import new_timer, reassign, start_timer
from yizhan.errors import IllegalTransition, InvalidInput
from yizhan.hall.accountability import record_breach
from yizhan.hall.catalog import check_window_accepts
from yizhan.hall.green_channel import check_green_channel
from yizhan.hall.models import (
    ApplicantKind,
    Case,
    CaseState,
    Channel,
    Matter,
    MatterKind,
    Outcome,
)
from yizhan.hall.numbering import next_case_no
from yizhan.hall.refusals import drop_pending_refusals
from yizhan.hall.service import (
    LOCK_RELATED,
    TIMERS,
    audit,
    audit_event,
    locked,
    not_before,
    require_no_pending_refusal,
    require_state,
    resolve_at,
    stop_case_timers,
    stop_running,
)
from yizhan.identifiers import validate_phone, validate_resident_id, validate_uscc
from yizhan.org.models import OrgUnit, Role
from yizhan.org.scope import covers, require_permits

NOTICE_LIMIT = Limit.days(5)  # Art. 32: notify everything missing within five working days of receipt


def validate_applicant(kind: str, applicant_id: str, applicant_name: str) -> str:
    """Return the normalised identifier (empty if none given)."""
    if kind not in ApplicantKind.values:
        raise InvalidInput(_("申请人类型须为 person 或 organisation"), field="applicant_kind", rule="choice")
    if not applicant_id.strip():
        if not applicant_name.strip():
            raise InvalidInput(_("须填写申请人名称或证件号码"), field="applicant_name", rule="applicant_required")
        return ""
    if kind == ApplicantKind.PERSON:
        return validate_resident_id(applicant_id, field="applicant_id")
    return validate_uscc(applicant_id, field="applicant_id")


def promised_limit(case: Case) -> Limit:
    matter = case.matter
    if case.green_channel:
        return Limit.days(matter.green_channel_days)
    return Limit.days(matter.promised_days)


def receive_case(
    *,
    matter: Matter,
    window: OrgUnit,
    applicant_name: str = "",
    applicant_kind: str = ApplicantKind.PERSON,
    applicant_id: str = "",
    applicant_phone: str = "",
    channel: str = Channel.COUNTER,
    handler: Any = None,
    green_project: str = "",
    case_no: str | None = None,
    accept: bool = False,
    accepting_window_ids: list[int] | None = None,
    at: datetime | None = None,
    actor: Any = None,
    actor_label: str = "",
) -> Case:
    """Register an application received at `window` (state submitted) and start its notice timer.

    - `handler` defaults to `actor` when that is a user; responsibility on the clock follows it.
    - `green_project` (a key project's name) flags the case for the green channel; refused if the
      matter has no green-channel limit.
    - `case_no` keeps a number from a legacy system; otherwise the next daily number is allocated.
    - `accept=True` accepts at once (materials complete at the counter): same as `accept_case` right
      after, in the same transaction, without a notice timer.
    - `accepting_window_ids` lets a bulk caller pass the matter's window ids it already has
      (saves one query per case).
    Raises InvalidInput (bad identifier, window that does not accept the matter, bad channel)."""
    at = resolve_at(at)
    applicant_id = validate_applicant(applicant_kind, applicant_id, applicant_name)
    applicant_phone = validate_phone(applicant_phone, field="applicant_phone")
    if channel not in Channel.values:
        raise InvalidInput(_("受理渠道无效"), field="channel", rule="choice")
    check_window_accepts(matter, window, accepting_ids=accepting_window_ids)
    if case_no is not None:
        case_no = case_no.strip()
        if not case_no or len(case_no) > Case._meta.get_field("case_no").max_length:
            raise InvalidInput(_("办件编号不能为空，且不超过 40 个字符"), field="case_no", rule="case_no_format")
        if Case.objects.filter(case_no=case_no).exists():
            raise InvalidInput(_("办件编号 %(no)s 已存在") % {"no": case_no}, field="case_no", rule="duplicate")
    green_project = green_project.strip()
    if green_project:
        check_green_channel(matter)
    if handler is None and getattr(actor, "is_authenticated", False):
        handler = actor
    try:
        with transaction.atomic():
            case = insert(new(
                Case,
                case_no=case_no or next_case_no(at),
                applicant_kind=applicant_kind,
                applicant_name=applicant_name.strip(),
                applicant_id=applicant_id,
                applicant_phone=applicant_phone,
                matter=matter,
                window=window,
                department_id=window.parent_id,
                handler=handler,
                channel=channel,
                green_channel=bool(green_project),
                green_project=green_project,
                state=CaseState.SUBMITTED,
                received_at=at,
            ))
            received = audit_event("hall.case.received", case, actor=actor, actor_label=actor_label, at=at,
                                   case_no=case.case_no, matter=matter.code, window=window.code, channel=channel,
                                   green_project=green_project, state=[None, CaseState.SUBMITTED])
            if accept:
                _accept(case, at=at, actor=actor, actor_label=actor_label, earlier=[received])
            else:
                insert(received)
                case.notice_timer = start_timer(case, "notice", NOTICE_LIMIT, at=at, responsible_user=handler,
                                                responsible_unit=window)
                write(case, "notice_timer")
    except IntegrityError:
        if case_no is None:
            raise
        # Two imports of the same legacy number at once: the second meets the unique constraint.
        raise InvalidInput(_("办件编号 %(no)s 已存在") % {"no": case_no}, field="case_no", rule="duplicate") from None
    return case


def accept_case(case: Case, *, at: datetime | None = None, actor: Any = None, actor_label: str = "") -> Case:
    """submitted → accepted: stops the notice timer, starts the promised and statutory timers.
    Refused while a refusal is pending or a one-time notice is waiting for supplements."""
    at = resolve_at(at)
    with transaction.atomic():
        case = locked(case, *LOCK_RELATED)
        require_state(case, (CaseState.SUBMITTED,), "accept")
        require_no_pending_refusal(case, "accept")
        if case.awaiting_supplement:
            raise IllegalTransition(_("办件 %(no)s 正在等待补正材料，补齐后方可受理") % {"no": case.case_no},
                                    field="state", rule="awaiting_supplement")
        if at < case.received_at:
            raise InvalidInput(_("受理时间不能早于收件时间"), field="at", rule="before_receipt")
        _accept(case, at=at, actor=actor, actor_label=actor_label)
    return case


def _accept(case: Case, *, at: datetime, actor: Any, actor_label: str, earlier: list | None = None) -> None:
    """Acceptance's changes and its audit event, inserted in one statement with `earlier` (the events
    of the same transaction not yet written: the receipt's, when received and accepted at once)."""
    stop_running(case.notice_timer, at)
    common: dict[str, Any] = {"at": at, "responsible_user": case.handler, "responsible_unit": case.window}
    promised = new_timer(case, "promised", promised_limit(case), **common)
    statutory = new_timer(case, "statutory", Limit.days(case.matter.statutory_days), accountable=True, **common)
    insert_all([promised, statutory])
    case.promised_timer, case.statutory_timer = promised, statutory
    case.state, case.accepted_at = CaseState.ACCEPTED, at
    write(case, "state", "accepted_at", "promised_timer", "statutory_timer")
    insert_all([*(earlier or ()), audit_event(
        "hall.case.accepted", case, actor=actor, actor_label=actor_label, at=at,
        state=[CaseState.SUBMITTED, CaseState.ACCEPTED],
        promised_deadline=case.promised_timer.deadline, statutory_deadline=case.statutory_timer.deadline)])


def start_review(case: Case, *, at: datetime | None = None, actor: Any = None, actor_label: str = "") -> Case:
    """accepted → under_review."""
    return _simple_transition(case, "review", (CaseState.ACCEPTED,), CaseState.UNDER_REVIEW, at, actor, actor_label)


def approve_case(case: Case, *, at: datetime | None = None, actor: Any = None, actor_label: str = "") -> Case:
    """under_review → decided with outcome approved. A refusal goes through `refusals.request_refusal`."""
    at = resolve_at(at)
    with transaction.atomic():
        case = locked(case)
        require_state(case, (CaseState.UNDER_REVIEW,), "approve")
        require_no_pending_refusal(case, "approve")
        not_before(case, at)
        case.state, case.outcome, case.decided_at = CaseState.DECIDED, Outcome.APPROVED, at
        write(case, "state", "outcome", "decided_at")
        audit("hall.case.decided", case, actor=actor, actor_label=actor_label, at=at,
              state=[CaseState.UNDER_REVIEW, CaseState.DECIDED], outcome=Outcome.APPROVED)
    return case


def complete_case(case: Case, *, at: datetime | None = None, actor: Any = None, actor_label: str = "") -> Case:
    """decided → completed (the decision is delivered, 办结): stops the timers; a completion after the
    statutory deadline opens the accountability record in the same transaction."""
    at = resolve_at(at)
    with transaction.atomic():
        case = locked(case, *TIMERS)
        require_state(case, (CaseState.DECIDED,), "complete")
        not_before(case, at)
        _complete(case, at, actor, actor_label, "hall.case.completed", CaseState.DECIDED)
    return case


def complete_on_the_spot(case: Case, *, at: datetime | None = None, actor: Any = None,
                         actor_label: str = "") -> Case:
    """accepted → completed in one step, approved: only for an on-the-spot matter (即办件) and only on
    the local date of acceptance. Any other case goes through review and decision. By staff over the
    case's window."""
    require_permits(actor, case, field="case", rule="not_window_staff")
    at = resolve_at(at)
    with transaction.atomic():
        case = locked(case, "matter", *TIMERS)
        require_state(case, (CaseState.ACCEPTED,), "on_the_spot")
        require_no_pending_refusal(case, "on_the_spot")
        if case.matter.kind != MatterKind.ON_THE_SPOT:
            raise IllegalTransition(_("事项 %(matter)s 不是即办件，不能即时办结") % {"matter": case.matter.code},
                                    field="matter", rule="not_on_the_spot")
        not_before(case, at)
        if local_date(at) != local_date(case.accepted_at):
            raise IllegalTransition(_("即时办结须在受理当日完成"), field="at", rule="on_the_spot_same_day")
        case.outcome, case.decided_at = Outcome.APPROVED, at
        _complete(case, at, actor, actor_label, "hall.case.completed_on_the_spot", CaseState.ACCEPTED)
    return case


def _complete(case: Case, at: datetime, actor: Any, actor_label: str, action: str, old: str) -> None:
    stop_case_timers(case, at)
    case.state, case.completed_at, case.closed_at = CaseState.COMPLETED, at, at
    write(case, "state", "outcome", "decided_at", "completed_at", "closed_at")
    audit(action, case, actor=actor, actor_label=actor_label, at=at, state=[old, CaseState.COMPLETED],
          outcome=case.outcome, on_time=at <= case.promised_timer.deadline)
    if case.statutory_timer.overdue_at_stop:
        record_breach(case, now=at, actor=actor, actor_label=actor_label)


def withdraw_case(case: Case, *, reason: str = "", at: datetime | None = None, actor: Any = None,
                  actor_label: str = "") -> Case:
    """submitted / accepted / under_review → withdrawn at the applicant's request; stops every timer
    and sets aside a pending refusal. By staff over the case's window."""
    require_permits(actor, case, field="case", rule="not_window_staff")
    at = resolve_at(at)
    with transaction.atomic():
        case = locked(case, *TIMERS)
        old = case.state
        require_state(case, (CaseState.SUBMITTED, CaseState.ACCEPTED, CaseState.UNDER_REVIEW), "withdraw")
        not_before(case, at)
        stop_case_timers(case, at)
        dropped = drop_pending_refusals(case, at=at) if case.pending_refusal else []
        case.state, case.outcome, case.closed_at = CaseState.WITHDRAWN, Outcome.WITHDRAWN, at
        case.pending_refusal = case.awaiting_supplement = False
        write(case, "state", "outcome", "closed_at", "pending_refusal", "awaiting_supplement")
        audit("hall.case.withdrawn", case, actor=actor, actor_label=actor_label, at=at,
              state=[old, CaseState.WITHDRAWN], reason=reason.strip(), refusals_dropped=dropped)
    return case


def assign_handler(case: Case, handler: Any, *, at: datetime | None = None, actor: Any = None,
                   actor_label: str = "") -> Case:
    """Hand an open case to another person who works at its window (a clerk, or a department head or
    hall supervisor over it) by staff over the window; its running timers name the new handler."""
    require_permits(actor, case, field="case", rule="not_window_staff")
    at = resolve_at(at)
    with transaction.atomic():
        case = locked(case, "window", *TIMERS)
        if not covers(handler, (Role.CLERK, Role.DEPARTMENT_HEAD, Role.HALL_SUPERVISOR), case.window):
            raise InvalidInput(_("经办人须是办件所在窗口的工作人员"), field="handler", rule="not_at_window")
        require_state(case, (CaseState.SUBMITTED, CaseState.ACCEPTED, CaseState.UNDER_REVIEW,
                             CaseState.DECIDED), "assign")
        old = case.handler_id
        case.handler = handler
        write(case, "handler")
        for timer in (case.notice_timer, case.promised_timer, case.statutory_timer):
            if timer is not None and timer.stopped_at is None:
                reassign(timer, user=handler, unit=case.window)
        audit("hall.case.handler_changed", case, actor=actor, actor_label=actor_label, at=at,
              handler=[old, handler.pk if handler else None])
    return case


def _simple_transition(case: Case, action: str, allowed: tuple[str, ...], target: str, at: datetime | None,
                       actor: Any, actor_label: str) -> Case:
    at = resolve_at(at)
    with transaction.atomic():
        case = locked(case)
        old = case.state
        require_state(case, allowed, action)
        require_no_pending_refusal(case, action)
        not_before(case, at)
        case.state = target
        write(case, "state")
        audit(f"hall.case.{target}", case, actor=actor, actor_label=actor_label, at=at, state=[old, target])
    return case
