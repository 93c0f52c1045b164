"""An application on the hall's case engine (a relief fund's application, a school's subsidy batch).

The application is a row of its own app with its `state` and its `case`: the hall's case carries the
window, the materials and the one-time notice, the deadlines and the refusal's second person. What
every such app does the same way is here, declared once per app as a `CaseApplications` with its
model, states, roles and audit prefix:

    submitted ──propose_refusal──▶ refusing ──confirm_refusal (a second person)──▶ refused
                                      └──reject_refusal──▶ submitted

and the steps the app's own transitions are made of: `locked` (the row under lock, with what the
flow reads), `require` (its state), `require_role` (who may act, through `org.scope.require_covers`),
`review` and `decide` (the case goes under review once its materials are complete, then is decided),
`pending` (the refusal waiting for its second person). The app keeps only its own rules: who may
apply, eligibility, amounts, payment. Each step is one transaction with the case's and the
application's audit events."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, Protocol, TypeVar, cast

from django.db import models, transaction
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from yizhan.audit.log import record
from yizhan.errors import IllegalTransition
from yizhan.hall import cases, refusals
from yizhan.hall.models import Case, CaseState, Refusal, RefusalKind, RefusalState
from yizhan.hall.service import resolve_at
from yizhan.org.models import OrgUnit
from yizhan.org.scope import require_covers


class CaseApplication(Protocol):
    """What the flow reads and writes on an application row."""

    pk: Any
    case: Case
    state: str
    decided_at: datetime | None
    decided_by: Any
    note: str

    def get_state_display(self) -> str: ...

    def save(self, *, update_fields: list[str]) -> None: ...


A = TypeVar("A", bound=models.Model)


def acting_person(actor: Any) -> Any:
    """The user to name on the row (submitted_by, decided_by): None when the system acted."""
    return actor if getattr(actor, "is_authenticated", False) else None


@dataclass(frozen=True)
class CaseApplications(Generic[A]):
    model: type[A]
    # The states the flow moves an application between, of the app's own choices.
    submitted: str
    refusing: str
    refused: str
    audit_prefix: str  # "relief.application": its events are "<prefix>.refused", …
    related: tuple[str, ...]  # read with the locked row (select_related)
    scope: Callable[[A], OrgUnit]  # the unit whose roles decide who may act on an application
    scope_field: str  # the field a refusal of the actor names
    deciders: tuple[str, ...]  # who proposes a refusal (and decides otherwise)
    out_of_scope: Promise  # what a person outside `deciders`/`reviewers` is told
    illegal_state: Promise  # "… %(no)s … %(s)s … %(w)s": the case number, the state, the action refused
    propose_label: Promise  # the action names in that message
    confirm_label: Promise
    reviewers: tuple[str, ...] = ()  # who confirms or rejects a proposed refusal (default: `deciders`)
    case_reviewers: tuple[str, ...] = refusals.REVIEWER_ROLES  # the hall's second person for the case
    on_refused: Callable[[A], None] | None = None  # the app's own consequence of a confirmed refusal

    def locked(self, application: A) -> A:
        """A fresh copy of the application, its row locked until the transaction ends."""
        return (self.model._default_manager.select_for_update(of=("self",)).select_related(*self.related)
                .get(pk=application.pk))

    def require(self, application: A, states: tuple[str, ...], what: Any) -> None:
        row = cast(CaseApplication, application)
        if row.state not in states:
            raise IllegalTransition(self.illegal_state % {
                "no": row.case.case_no, "s": row.get_state_display(), "w": what},
                field="state", rule="illegal_transition")

    def require_role(self, actor: Any, application: A, roles: tuple[str, ...], message: Any = None) -> None:
        require_covers(actor, roles, self.scope(application), field=self.scope_field, rule="out_of_scope",
                       message=message or self.out_of_scope)

    def review(self, application: A, at: datetime, actor: Any, actor_label: str) -> None:
        """The case goes under review; refused while materials are missing (the one-time notice waits)."""
        case = cast(CaseApplication, application).case
        if case.awaiting_supplement or case.state == CaseState.SUBMITTED:
            raise IllegalTransition(_("申请 %(no)s 的材料尚未齐全，补齐后方可审议") % {"no": case.case_no},
                                    field="materials", rule="materials_missing")
        if case.state == CaseState.ACCEPTED:
            cases.start_review(case, at=at, actor=actor, actor_label=actor_label)

    def decide(self, application: A, at: datetime, actor: Any, actor_label: str) -> None:
        """The case reviewed and decided, approved (the caller is in its transaction)."""
        self.review(application, at, actor, actor_label)
        cases.approve_case(cast(CaseApplication, application).case, at=at, actor=actor, actor_label=actor_label)

    def pending(self, application: A) -> Refusal:
        """The refusal waiting for its second person (an application being refused has one)."""
        return Refusal.objects.filter(case=cast(CaseApplication, application).case,
                                      state=RefusalState.PENDING).latest("pk")

    def _reviewers(self) -> tuple[str, ...]:
        return self.reviewers or self.deciders

    def _move(self, application: A, old: str, new: str, event: str, *, by: Any, at: datetime,
              fields: tuple[str, ...] = (), **details: Any) -> A:
        row = cast(CaseApplication, application)
        row.state = new
        row.save(update_fields=["state", *fields])
        row.case.refresh_from_db()
        record(f"{self.audit_prefix}.{event}", application, actor=by, at=at, state=[old, new], **details)
        return application

    def propose_refusal(self, application: A, *, reason: str, legal_basis: str, by: Any,
                        at: datetime | None = None) -> A:
        """submitted → refusing: the refusal proposed, with its reason and legal basis, waits for a second
        person (the hall's refusal rule). Before the materials are complete the case is refused acceptance."""
        at = resolve_at(at)
        with transaction.atomic():
            application = self.locked(application)
            self.require_role(by, application, self.deciders)
            self.require(application, (self.submitted,), self.propose_label)
            case = cast(CaseApplication, application).case
            kind = RefusalKind.REFUSE_APPROVAL
            if case.state == CaseState.SUBMITTED:
                kind = RefusalKind.REFUSE_TO_ACCEPT
            else:
                self.review(application, at, by, "")
            refusals.request_refusal(case, kind=kind, reason=reason, legal_basis=legal_basis, by=by, at=at)
            return self._move(application, self.submitted, self.refusing, "refusal_proposed",
                              by=by, at=at, reason=reason)

    def confirm_refusal(self, application: A, *, by: Any, note: str = "", at: datetime | None = None) -> A:
        """refusing → refused, confirmed by a second person (not the proposer); a refused approval
        completes the case with outcome refused."""
        at = resolve_at(at)
        with transaction.atomic():
            application = self.locked(application)
            self.require_role(by, application, self._reviewers())
            self.require(application, (self.refusing,), self.confirm_label)
            row = cast(CaseApplication, application)
            refusal = refusals.confirm_refusal(self.pending(application), by=by, note=note, at=at,
                                               reviewer_roles=self.case_reviewers)
            if refusal.kind == RefusalKind.REFUSE_APPROVAL:
                cases.complete_case(row.case, at=at, actor=by)
            if self.on_refused is not None:
                self.on_refused(application)
            row.decided_at, row.decided_by, row.note = at, by, (note or "").strip()
            return self._move(application, self.refusing, self.refused, "refused", by=by, at=at,
                              fields=("decided_at", "decided_by", "note"), note=row.note)

    def reject_refusal(self, application: A, *, by: Any, note: str, at: datetime | None = None) -> A:
        """refusing → submitted: the second person sends the proposed refusal back with a note."""
        at = resolve_at(at)
        with transaction.atomic():
            application = self.locked(application)
            self.require_role(by, application, self._reviewers())
            self.require(application, (self.refusing,), _("退回否办意见"))
            refusals.reject_refusal(self.pending(application), by=by, note=note, at=at,
                                    reviewer_roles=self.case_reviewers)
            return self._move(application, self.refusing, self.submitted, "refusal_rejected",
                              by=by, at=at, note=note)
