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
batch's lines (`Grant`) show what each pupil received; their sum is the posting."""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from yizhan.audit.log import record
from yizhan.clock.moments import resolve_at
from yizhan.errors import IllegalTransition, ImportFailed, InvalidInput, NotPermitted, RowError
from yizhan.hall import cases, refusals
from yizhan.hall.models import ApplicantKind, Channel, RefusalKind, RefusalState
from yizhan.identifiers import validate_resident_id
from yizhan.ledger import posting
from yizhan.org.models import OrgUnit, Role, UnitKind
from yizhan.org.scope import covers
from yizhan.subsidies.eligibility import refusal
from yizhan.subsidies.models import Batch, BatchState, Grant, Programme, Pupil, School, Term

PAYMENT = "subsidy_payment"
MAX_PUPILS = 5000
REVIEWERS = (Role.SUBSIDY_OFFICER, Role.DEPARTMENT_HEAD)


def _person(actor: Any) -> bool:
    return getattr(actor, "is_authenticated", False)


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
    if _person(actor) and not covers(actor, (Role.SCHOOL_CLERK,), school):
        raise NotPermitted(_("您不是该校的资助专管员"), field="school", rule="out_of_scope")
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
                submitted_at=at, submitted_by=actor if _person(actor) else None)
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


def _locked(batch: Batch) -> Batch:
    return Batch.objects.select_for_update(of=("self",)).select_related(
        "programme", "programme__account", "term", "school", "case").get(pk=batch.pk)


def _officer(actor: Any, batch: Batch, roles: tuple[str, ...] = (Role.SUBSIDY_OFFICER,)) -> None:
    if _person(actor) and not covers(actor, roles, batch.case.window):
        raise NotPermitted(_("您不是该资助管理中心的审批人员"), field="batch", rule="out_of_scope")


def _require(batch: Batch, state: str, what: str) -> None:
    if batch.state != state:
        raise IllegalTransition(_("批次 %(b)s 当前为“%(s)s”，不能%(w)s") % {
            "b": batch.case.case_no, "s": batch.get_state_display(), "w": what}, field="state", rule="illegal_transition")


def _review(batch: Batch, at: datetime, actor: Any, actor_label: str) -> None:
    from yizhan.hall.models import CaseState

    if batch.case.state == CaseState.ACCEPTED:
        cases.start_review(batch.case, at=at, actor=actor, actor_label=actor_label)


def approve(batch: Batch, *, note: str = "", at: datetime | None = None, actor: Any = None,
            actor_label: str = "") -> Batch:
    """submitted → paid: decides and completes the case and posts the batch's total from the
    programme's budget account (refused, with nothing changed, when the balance does not cover it)."""
    at = resolve_at(at)
    with transaction.atomic():
        batch = _locked(batch)
        _officer(actor, batch)
        _require(batch, BatchState.SUBMITTED, _("批准"))
        if at < batch.submitted_at:
            raise InvalidInput(_("审批时间不能早于申报时间"), field="at", rule="before_submission")
        _review(batch, at, actor, actor_label)
        cases.approve_case(batch.case, at=at, actor=actor, actor_label=actor_label)
        cases.complete_case(batch.case, at=at, actor=actor, actor_label=actor_label)
        programme = batch.programme
        batch.entry = posting.post(
            programme.account, -batch.amount_fen, category=PAYMENT, party=batch.school.name,
            memo=_("%(g)s %(t)s %(n)d 人（批次 %(b)s）") % {
                "g": programme.name, "t": batch.term.name, "n": batch.pupils, "b": batch.case.case_no},
            source=batch, at=at, actor=actor, actor_label=actor_label)
        batch.state, batch.decided_at, batch.note = BatchState.PAID, at, (note or "").strip()
        batch.decided_by = actor if _person(actor) else None
        batch.save(update_fields=["entry", "state", "decided_at", "decided_by", "note"])
        batch.case.refresh_from_db()
        record("subsidies.batch.paid", batch, actor=actor, actor_label=actor_label, at=at, entry=batch.entry.pk,
               amount_fen=batch.amount_fen, state=[BatchState.SUBMITTED, BatchState.PAID])
    return batch


def propose_refusal(batch: Batch, *, reason: str, legal_basis: str, by: Any, at: datetime | None = None) -> Batch:
    """submitted → refusing: the officer's refusal waits for a second officer (the hall's refusal rule)."""
    at = resolve_at(at)
    with transaction.atomic():
        batch = _locked(batch)
        _officer(by, batch)
        _require(batch, BatchState.SUBMITTED, _("拟不予批准"))
        _review(batch, at, by, "")
        refusals.request_refusal(batch.case, kind=RefusalKind.REFUSE_APPROVAL, reason=reason,
                                 legal_basis=legal_basis, by=by, at=at)
        batch.state = BatchState.REFUSING
        batch.save(update_fields=["state"])
        record("subsidies.batch.refusal_proposed", batch, actor=by, at=at, reason=reason,
               state=[BatchState.SUBMITTED, BatchState.REFUSING])
    return batch


def _pending(batch: Batch):
    return batch.case.refusals.filter(state=RefusalState.PENDING).order_by("-pk").first()


def confirm_refusal(batch: Batch, *, by: Any, note: str = "", at: datetime | None = None) -> Batch:
    """refusing → refused, confirmed by a second person, the head of the subsidy office (the hall's
    refusal rule: a department head over the window); the case is completed with outcome refused
    and the batch's pupils stop counting (the school may apply for them again)."""
    at = resolve_at(at)
    with transaction.atomic():
        batch = _locked(batch)
        _officer(by, batch, REVIEWERS)
        _require(batch, BatchState.REFUSING, _("确认不予批准"))
        refusals.confirm_refusal(_pending(batch), by=by, note=note, at=at)
        cases.complete_case(batch.case, at=at, actor=by)
        batch.grants.update(counted=False)
        batch.state, batch.decided_at, batch.decided_by, batch.note = BatchState.REFUSED, at, by, (note or "").strip()
        batch.save(update_fields=["state", "decided_at", "decided_by", "note"])
        batch.case.refresh_from_db()
        record("subsidies.batch.refused", batch, actor=by, at=at, note=note,
               state=[BatchState.REFUSING, BatchState.REFUSED])
    return batch


def reject_refusal(batch: Batch, *, by: Any, note: str, at: datetime | None = None) -> Batch:
    """refusing → submitted: the head of the subsidy office sends the proposed refusal back."""
    at = resolve_at(at)
    with transaction.atomic():
        batch = _locked(batch)
        _officer(by, batch, REVIEWERS)
        _require(batch, BatchState.REFUSING, _("退回否办意见"))
        refusals.reject_refusal(_pending(batch), by=by, note=note, at=at)
        batch.state = BatchState.SUBMITTED
        batch.save(update_fields=["state"])
        record("subsidies.batch.refusal_rejected", batch, actor=by, at=at, note=note,
               state=[BatchState.REFUSING, BatchState.SUBMITTED])
    return batch


def programmes_for(user: Any):
    """The active programmes of the bureaus the user works for or under (a school's clerk sees those
    of the school's bureau)."""
    from yizhan.org.scope import held_paths
    from yizhan.subsidies.models import SUBSIDY_ROLES

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
