"""Gatekeeping of refusals (否办退件把关).

A handler who refuses to accept an application, or refuses to approve it, states a reason and a
legal basis (`request_refusal`). Nothing changes on the case, and nothing reaches the applicant,
until a second, different person holding the department-head or hall-supervisor role over the case's
window confirms it (`confirm_refusal`); that person may instead send it back (`reject_refusal`).
A matter decided by a committee (a company's relief fund) names its own reviewers: another member
of the committee (`reviewer_roles`)."""

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from yizhan.errors import IllegalTransition, InvalidInput, NotPermitted
from yizhan.hall.models import Case, CaseState, Outcome, Refusal, RefusalKind, RefusalState
from yizhan.hall.service import (
    LOCK_RELATED,
    audit,
    locked,
    require_no_pending_refusal,
    require_state,
    require_text,
    resolve_at,
    stop_case_timers,
)
from yizhan.org.models import Role
from yizhan.org.scope import covers

REVIEWER_ROLES = (Role.DEPARTMENT_HEAD, Role.HALL_SUPERVISOR)
REFUSABLE_FROM: dict[str, tuple[str, ...]] = {
    RefusalKind.REFUSE_TO_ACCEPT: (CaseState.SUBMITTED,),
    RefusalKind.REFUSE_APPROVAL: (CaseState.UNDER_REVIEW,),
}


def _person(user: Any, field: str) -> Any:
    if not getattr(user, "is_authenticated", False):
        raise NotPermitted(_("此操作须由具名工作人员办理"), field=field, rule="person_required")
    return user


def request_refusal(case: Case, *, kind: str, reason: str, legal_basis: str, by: Any,
                    at: datetime | None = None) -> Refusal:
    """The handler's refusal, pending confirmation. `kind` is refuse_to_accept (case submitted) or
    refuse_approval (case under review). Raises InvalidInput naming reason/legal_basis when empty."""
    at = resolve_at(at)
    _person(by, "by")
    if kind not in RefusalKind.values:
        raise InvalidInput(_("否办类型须为 refuse_to_accept 或 refuse_approval"), field="kind", rule="choice")
    reason = require_text(reason, "reason", _("否办须写明理由"))
    legal_basis = require_text(legal_basis, "legal_basis", _("否办须写明法律依据"))
    with transaction.atomic():
        case = locked(case, *LOCK_RELATED)
        require_state(case, REFUSABLE_FROM[kind], kind)
        require_no_pending_refusal(case, kind)
        refusal = Refusal.objects.create(case=case, kind=kind, reason=reason, legal_basis=legal_basis,
                                         requested_by=by, requested_at=at)
        case.pending_refusal = True
        case.save(update_fields=["pending_refusal"])
        audit("hall.refusal.requested", case, actor=by, actor_label="", at=at, refusal=refusal.pk, kind=kind,
              reason=reason, legal_basis=legal_basis)
    return refusal


def _review(refusal: Refusal, by: Any, reviewer_roles: tuple[str, ...]) -> tuple[Refusal, Case]:
    # The case first, then the refusal: the order a withdrawal takes (case, then its refusals).
    case = locked(Case(pk=refusal.case_id), *LOCK_RELATED)
    refusal = locked(refusal)
    if refusal.state != RefusalState.PENDING:
        raise IllegalTransition(_("该否办意见已处理（%(state)s）") % {"state": refusal.get_state_display()},
                                field="state", rule="refusal_not_pending")
    if by.pk == refusal.requested_by_id:
        raise NotPermitted(_("否办须由经办人以外的另一人把关确认"), field="by", rule="second_person")
    if not covers(by, reviewer_roles, case.window):
        if reviewer_roles != REVIEWER_ROLES:
            raise NotPermitted(_("您不能把关该否办意见"), field="by", rule="reviewer_role")
        raise NotPermitted(_("只有对该窗口负责的部门负责人或大厅督查可以把关否办"), field="by", rule="reviewer_role")
    return refusal, case


def confirm_refusal(refusal: Refusal, *, by: Any, note: str = "", at: datetime | None = None,
                    reviewer_roles: tuple[str, ...] = REVIEWER_ROLES) -> Refusal:
    """The second person confirms: refuse_to_accept closes the case as refused_to_accept (timers
    stopped); refuse_approval decides it with outcome refused (it is then completed as usual)."""
    at = resolve_at(at)
    _person(by, "by")
    with transaction.atomic():
        refusal, case = _review(refusal, by, reviewer_roles)
        refusal.state, refusal.reviewed_by, refusal.reviewed_at = RefusalState.CONFIRMED, by, at
        refusal.review_note = note.strip()
        refusal.save(update_fields=["state", "reviewed_by", "reviewed_at", "review_note"])
        old = case.state
        if refusal.kind == RefusalKind.REFUSE_TO_ACCEPT:
            stop_case_timers(case, at)
            case.state, case.outcome, case.closed_at = CaseState.REFUSED_TO_ACCEPT, Outcome.REFUSED_TO_ACCEPT, at
            case.awaiting_supplement = False
        else:
            case.state, case.outcome, case.decided_at = CaseState.DECIDED, Outcome.REFUSED, at
        case.pending_refusal = False
        case.save(update_fields=["state", "outcome", "closed_at", "decided_at", "pending_refusal",
                                 "awaiting_supplement"])
        audit(f"hall.case.{case.state}", case, actor=by, actor_label="", at=at, state=[old, case.state],
              outcome=case.outcome, refusal=refusal.pk, reason=refusal.reason, legal_basis=refusal.legal_basis,
              requested_by=refusal.requested_by_id, confirmed_by=by.pk)
    return refusal


def reject_refusal(refusal: Refusal, *, by: Any, note: str, at: datetime | None = None,
                   reviewer_roles: tuple[str, ...] = REVIEWER_ROLES) -> Refusal:
    """The second person sends the refusal back to the handler with a note; the case carries on."""
    at = resolve_at(at)
    _person(by, "by")
    note = require_text(note, "note", _("退回否办意见须写明理由"))
    with transaction.atomic():
        refusal, case = _review(refusal, by, reviewer_roles)
        refusal.state, refusal.reviewed_by, refusal.reviewed_at, refusal.review_note = (
            RefusalState.REJECTED, by, at, note)
        refusal.save(update_fields=["state", "reviewed_by", "reviewed_at", "review_note"])
        case.pending_refusal = False
        case.save(update_fields=["pending_refusal"])
        audit("hall.refusal.rejected", case, actor=by, actor_label="", at=at, refusal=refusal.pk, note=note,
              requested_by=refusal.requested_by_id)
    return refusal


def drop_pending_refusals(case: Case, *, at: datetime) -> list[int]:
    """The applicant withdrew: a refusal still waiting has nothing left to refuse. Returns their ids
    (the caller's audit event names them)."""
    ids = list(Refusal.objects.select_for_update().filter(case=case, state=RefusalState.PENDING)
               .order_by("pk").values_list("pk", flat=True))
    Refusal.objects.filter(pk__in=ids).update(
        state=RefusalState.REJECTED, reviewed_at=at, review_note=str(_("申请人已撤回申请")))
    return ids
