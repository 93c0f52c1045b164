"""A school's batch application for its pupils, and the bureau's decision.

    apply ──▶ submitted ──approve──▶ paid      (one ledger posting from the programme's budget)
                  └──propose_refusal──▶ refusing ──confirm_refusal (the office's head)──▶ refused
                                           └──reject_refusal──▶ submitted

A batch is a case of the programme's matter, received and accepted at once at the subsidy office's
window (the list arrives complete, electronically), so the promised limit and the statutory
deadline run from submission; the decision completes the case. Every step is one transaction with
its audit events; a payment the budget does not cover rolls the whole approval back.

One posting per batch: the bureau pays the school one transfer for the batch (the school credits
each pupil's fees or pays the pupil), so the ledger shows what left the budget and when, and the
batch's lines (`Grant`) show what each pupil received; their sum is the posting. The steps every
application on the case engine shares (locking, states, review, the refusal's trio) are
`yizhan.hall.applications`; this module keeps the programme's own rules."""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from yizhan.audit.log import record
from yizhan.clock.moments import resolve_at
from yizhan.errors import IllegalTransition, ImportFailed, InvalidInput, RowError
from yizhan.hall import cases
from yizhan.hall.applications import CaseApplications, acting_person
from yizhan.hall.models import ApplicantKind, Channel
from yizhan.identifiers import validate_resident_id
from yizhan.ledger import posting
from yizhan.org.models import OrgUnit, Role, UnitKind
from yizhan.org.scope import held_paths, require_covers
from yizhan.subsidies.eligibility import refusal
from yizhan.subsidies.models import SUBSIDY_ROLES, Batch, BatchState, Grant, Programme, Pupil, School, Term

PAYMENT = "subsidy_payment"
MAX_PUPILS = 5000
REVIEWERS = (Role.SUBSIDY_OFFICER, Role.DEPARTMENT_HEAD)


def _stop_counting(batch: Batch) -> None:
    """A refused batch's pupils stop counting: the school may apply for them again."""
    batch.grants.update(counted=False)


FLOW = CaseApplications(
    model=Batch, audit_prefix="subsidies.batch", submitted=BatchState.SUBMITTED, refusing=BatchState.REFUSING,
    refused=BatchState.REFUSED,
    related=("programme", "programme__account", "term", "school", "case"),
    scope=lambda batch: batch.case.window, scope_field="batch",
    # The subsidy office's officer decides; a refusal is confirmed by the office's head (the hall's
    # refusal rule: a department head over the window).
    deciders=(Role.SUBSIDY_OFFICER,), reviewers=REVIEWERS, out_of_scope=_lazy("您不是该资助管理中心的审批人员"),
    illegal_state=_lazy("批次 %(no)s 当前为“%(s)s”，不能%(w)s"),
    propose_label=_lazy("拟不予批准"), confirm_label=_lazy("确认不予批准"), on_refused=_stop_counting,
)
propose_refusal = FLOW.propose_refusal
confirm_refusal = FLOW.confirm_refusal
reject_refusal = FLOW.reject_refusal


def window_of(programme: Programme) -> OrgUnit:
    """The subsidy office's window that receives the programme's batches."""
    window = (programme.matter.windows.filter(active=True).order_by("path").first()
              or OrgUnit.objects.filter(parent=programme.matter.department, kind=UnitKind.WINDOW, active=True)
              .order_by("path").first())
    if window is None:
        raise InvalidInput(_("资助管理中心没有受理窗口"), field="programme", rule="no_window")
    return window


def check_lines(programme: Programme, term: Term, school: OrgUnit,
                lines: Iterable[tuple[int, str]]) -> list[Pupil]:
    """The pupils of `lines` ((line, resident ID) pairs), or ImportFailed naming every line whose pupil
    is malformed, unknown, of another school, ineligible, listed twice, or already counted for
    this programme and term."""
    errors: list[RowError] = []
    wanted: list[tuple[int, str]] = []
    seen: dict[str, int] = {}
    for line, raw in lines:
        try:
            resident_id = validate_resident_id(raw, field="resident_id")
        except InvalidInput as exc:
            errors.append(RowError(line, "resident_id", exc.message))
            continue
        if resident_id in seen:
            errors.append(RowError(line, "resident_id", _("%(p)s 与第 %(n)d 行重复：同一学生每个项目每学期只计一次")
                                   % {"p": resident_id, "n": seen[resident_id]}))
            continue
        seen[resident_id] = line
        wanted.append((line, resident_id))
    if not wanted and not errors:
        raise InvalidInput(_("名单中没有学生"), field="resident_id", rule="required")
    if len(wanted) > MAX_PUPILS:
        raise InvalidInput(_("一个批次最多 %(n)d 名学生") % {"n": MAX_PUPILS}, field="resident_id", rule="max_pupils")
    ids = [r for _line, r in wanted]
    found = {p.resident_id: p for p in Pupil.objects.filter(resident_id__in=ids).select_related("township")}
    counted = dict(Grant.objects.filter(programme=programme, term=term, counted=True, pupil__resident_id__in=ids)
                   .values_list("pupil__resident_id", "batch__case__case_no"))
    profile = School.objects.filter(unit=school).first()
    pupils = []
    for line, resident_id in wanted:
        pupil = found.get(resident_id)
        if pupil is None:
            errors.append(RowError(line, "resident_id", _("没有身份证号为 %(p)s 的学生，请先登记学生") % {"p": resident_id}))
        elif pupil.school_id != school.pk:
            errors.append(RowError(line, "resident_id", _("%(p)s 不是本校学生") % {"p": resident_id}))
        elif not pupil.active:
            errors.append(RowError(line, "resident_id", _("%(p)s 已不在读") % {"p": resident_id}))
        elif resident_id in counted:
            errors.append(RowError(line, "resident_id", _("%(p)s 已计入 %(g)s %(t)s（批次 %(b)s）：同一学生每个项目每学期只计一次")
                                   % {"p": resident_id, "g": programme.name, "t": term.name, "b": counted[resident_id]}))
        elif (why := refusal(programme, pupil, profile)) is not None:
            errors.append(RowError(line, "resident_id", why[1]))
        else:
            pupils.append(pupil)
    if errors:
        raise ImportFailed(errors)
    return pupils


def apply(*, programme: Programme, term: Term, school: OrgUnit, resident_ids: Iterable[str] = (),
          lines: Iterable[tuple[int, str]] | None = None, at: datetime | None = None, actor: Any = None,
          actor_label: str = "") -> Batch:
    """Submit a batch for `resident_ids` (or numbered `lines` from a file) of `school`: every pupil is
    checked first (ImportFailed naming each bad one, nothing written), then the case is received and
    accepted and the lines written, in one transaction."""
    at = resolve_at(at)
    if school.kind != UnitKind.SCHOOL:
        raise InvalidInput(_("申报单位须为学校"), field="school", rule="not_a_school")
    if not programme.active:
        raise IllegalTransition(_("资助项目“%(g)s”已停用") % {"g": programme.name}, field="programme", rule="inactive")
    if not programme.bureau.contains(school):
        raise InvalidInput(_("学校不属于该项目的主管局"), field="school", rule="other_bureau")
    require_covers(actor, (Role.SCHOOL_CLERK,), school, field="school", message=_("您不是该校的资助专管员"))
    if lines is None:
        lines = [(n, r) for n, r in enumerate(resident_ids, start=1)]
    pupils = check_lines(programme, term, school, lines)
    total = programme.amount_fen * len(pupils)
    try:
        with transaction.atomic():
            case = cases.receive_case(
                matter=programme.matter, window=window_of(programme), applicant_kind=ApplicantKind.ORGANISATION,
                applicant_name=school.name, channel=Channel.ONLINE, accept=True, at=at, actor=actor,
                actor_label=actor_label, handler=None)
            batch = Batch.objects.create(
                programme=programme, term=term, school=school, case=case, pupils=len(pupils), amount_fen=total,
                submitted_at=at, submitted_by=acting_person(actor))
            Grant.objects.bulk_create([
                Grant(batch=batch, pupil=p, programme=programme, term=term, amount_fen=programme.amount_fen,
                      boarder=p.boarder) for p in pupils])
            record("subsidies.batch.submitted", batch, actor=actor, actor_label=actor_label, at=at,
                   case_no=case.case_no, programme=programme.code, term=term.code, school=school.code,
                   pupils=len(pupils), amount_fen=total, deadline=case.promised_timer.deadline,
                   state=[None, BatchState.SUBMITTED])
    except IntegrityError:
        # Another batch counted one of these pupils between the check and the insert.
        raise InvalidInput(_("名单中有学生刚被另一批次计入本项目本学期，请刷新后重试"), field="resident_id",
                           rule="counted_once") from None
    return batch


def approve(batch: Batch, *, note: str = "", at: datetime | None = None, actor: Any = None,
            actor_label: str = "") -> Batch:
    """submitted → paid: decides and completes the case and posts the batch's total from the
    programme's budget account (refused, with nothing changed, when the balance does not cover it)."""
    at = resolve_at(at)
    with transaction.atomic():
        batch = FLOW.locked(batch)
        FLOW.require_role(actor, batch, FLOW.deciders)
        FLOW.require(batch, (BatchState.SUBMITTED,), _("批准"))
        if at < batch.submitted_at:
            raise InvalidInput(_("审批时间不能早于申报时间"), field="at", rule="before_submission")
        FLOW.decide(batch, at, actor, actor_label)
        cases.complete_case(batch.case, at=at, actor=actor, actor_label=actor_label)
        programme = batch.programme
        batch.entry = posting.post(
            programme.account, -batch.amount_fen, category=PAYMENT, party=batch.school.name,
            memo=_("%(g)s %(t)s %(n)d 人（批次 %(b)s）") % {
                "g": programme.name, "t": batch.term.name, "n": batch.pupils, "b": batch.case.case_no},
            source=batch, at=at, actor=actor, actor_label=actor_label)
        batch.state, batch.decided_at, batch.note = BatchState.PAID, at, (note or "").strip()
        batch.decided_by = acting_person(actor)
        batch.save(update_fields=["entry", "state", "decided_at", "decided_by", "note"])
        batch.case.refresh_from_db()
        record("subsidies.batch.paid", batch, actor=actor, actor_label=actor_label, at=at, entry=batch.entry.pk,
               amount_fen=batch.amount_fen, state=[BatchState.SUBMITTED, BatchState.PAID])
    return batch


def programmes_for(user: Any):
    """The active programmes of the bureaus the user works for or under (a school's clerk sees those
    of the school's bureau)."""
    paths = held_paths(user, (*SUBSIDY_ROLES, Role.DEPARTMENT_HEAD))
    programmes = Programme.objects.filter(active=True).select_related("bureau", "matter", "account")
    if paths is None:
        return list(programmes)
    return [p for p in programmes if any(path.startswith(p.bureau.path) or p.bureau.path.startswith(path)
                                         for path in paths)]


def queue(batches):
    """Batches waiting for the bureau, soonest promised deadline first."""
    return (batches.filter(state__in=(BatchState.SUBMITTED, BatchState.REFUSING))
            .select_related("programme", "term", "school", "case", "case__promised_timer")
            .order_by("case__promised_timer__deadline", "pk"))
