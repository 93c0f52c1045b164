"""A member's application for relief, on the hall's case engine, and the committee's decision.

    apply ──▶ submitted ──approve (committee)──▶ approved ──pay (treasurer)──▶ paid
                 └──propose_refusal──▶ refusing ──confirm_refusal (another member)──▶ refused
                                          └──reject_refusal──▶ submitted

The application is received at the fund's window as a case of the fund's matter: the materials
the member hands in are recorded; when one is missing the case waits for the one-time notice
(`notice`) and the supplement (`supplement`), and is accepted once complete, so the promised limit
runs from acceptance. The approval fixes the amount: within the ceilings of the rules in force
(per person and per year) and within what the fund can still pay (its balance less what was
approved and not yet paid). The payment posts to the fund's ledger and completes the case in one
transaction; a refusal needs a second member of the committee (the hall's refusal rule). The steps
every application on the case engine shares (locking, states, review, the refusal's trio) are
`yizhan.hall.applications`; this module keeps the fund's own rules."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db import models, transaction
from django.db.models import IntegerField, QuerySet, Sum, Value, When
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from yizhan.audit.log import record
from yizhan.calendar.workdays import local_date
from yizhan.clock.moments import resolve_at
from yizhan.errors import IllegalTransition, InvalidInput
from yizhan.hall import cases, notices
from yizhan.hall.applications import CaseApplications, acting_person
from yizhan.hall.models import ApplicantKind, CaseState, Channel, Notice
from yizhan.identifiers import validate_resident_id
from yizhan.ledger import posting
from yizhan.ledger.models import Account
from yizhan.ledger.money import check_fen, yuan
from yizhan.org.scope import require_covers
from yizhan.relief.models import COMMITTEE, INTAKE, PAYMENT, TREASURERS, Application, ApplicationState, Fund, Member
from yizhan.relief.rules import eligibility_error, in_force
from yizhan.textlimits import field_limit

# What the fund has promised: approved and not yet paid, or paid.
COMMITTED = (ApplicationState.APPROVED, ApplicationState.PAID)

FLOW = CaseApplications(
    model=Application, audit_prefix="relief.application", submitted=ApplicationState.SUBMITTED,
    refusing=ApplicationState.REFUSING, refused=ApplicationState.REFUSED,
    related=("fund", "fund__account", "fund__company", "fund__matter", "member", "rules", "case"),
    scope=lambda application: application.fund.company, scope_field="fund",
    # The committee decides; a refusal is confirmed by another of its members, who is also the
    # hall's second person for the fund's case.
    deciders=COMMITTEE, case_reviewers=COMMITTEE, out_of_scope=_lazy("您不是该基金委员会的成员"),
    illegal_state=_lazy("申请 %(no)s 当前为“%(s)s”，不能%(w)s"),
    propose_label=_lazy("拟不予救助"), confirm_label=_lazy("确认不予救助"),
)
propose_refusal = FLOW.propose_refusal
confirm_refusal = FLOW.confirm_refusal
reject_refusal = FLOW.reject_refusal


def _intake(actor: Any, fund: Fund) -> None:
    require_covers(actor, INTAKE, fund.company, field="fund", message=_("您不负责该救助基金"))


def find_member(fund: Fund, resident_id: str) -> Member:
    """The fund's active member with this resident ID (validated first: format and check digit)."""
    resident_id = validate_resident_id(resident_id, field="resident_id")
    member = fund.members.filter(resident_id=resident_id).first()
    if member is None:
        raise InvalidInput(_("%(p)s 不是本基金的会员") % {"p": resident_id}, field="resident_id", rule="unknown_member")
    if not member.active:
        raise InvalidInput(_("%(p)s 已不在职，不能申请") % {"p": resident_id}, field="resident_id",
                           rule="inactive_member")
    return member


def _materials(fund: Fund, names: list[str]) -> list:
    known = {m.name: m for m in fund.matter.materials.all()}
    unknown = [n for n in names if n not in known]
    if unknown:
        raise InvalidInput(_("不是本事项的材料：%(n)s") % {"n": "、".join(unknown)}, field="materials",
                           rule="unknown_material")
    return [known[n] for n in dict.fromkeys(names)]


def apply(*, fund: Fund, resident_id: str, illness: str, certificate_no: str = "", requested_fen: int,
          materials: Sequence[str] = (), at: datetime | None = None, actor: Any = None,
          actor_label: str = "") -> Application:
    """Receive a member's application with the materials handed in. Checked first (nothing written
    on error): the member, the illness and certificate under the rules in force, the amount. Accepted
    at once when the materials are complete; otherwise it waits for the one-time notice."""
    at = resolve_at(at)
    if not fund.active:
        raise IllegalTransition(_("救助基金“%(f)s”已停用") % {"f": fund.name}, field="fund", rule="inactive")
    _intake(actor, fund)
    member = find_member(fund, resident_id)
    rules = in_force(fund, local_date(at))
    illness, certificate_no = (illness or "").strip(), (certificate_no or "").strip()
    if len(certificate_no) > field_limit(Application, "certificate_no"):
        raise InvalidInput(_("证明编号不超过 %(n)d 个字符") % {"n": field_limit(Application, "certificate_no")},
                           field="certificate_no", rule="max_length")
    if (error := eligibility_error(rules, illness=illness, certificate_no=certificate_no)) is not None:
        raise error
    check_fen(requested_fen, field="requested_fen")
    handed_in = _materials(fund, list(materials))
    with transaction.atomic():
        case = cases.receive_case(
            matter=fund.matter, window=fund.window, applicant_kind=ApplicantKind.PERSON,
            applicant_id=member.resident_id, applicant_name=member.name, channel=Channel.COUNTER, at=at,
            actor=actor, actor_label=actor_label)
        if handed_in:
            notices.receive_materials(case, handed_in, at=at, actor=actor, actor_label=actor_label)
        missing = notices.missing_materials(case)
        if not missing:
            cases.accept_case(case, at=at, actor=actor, actor_label=actor_label)
        case.refresh_from_db()
        application = Application.objects.create(
            fund=fund, member=member, rules=rules, case=case, illness=illness, certificate_no=certificate_no,
            requested_fen=requested_fen, submitted_at=at, submitted_by=acting_person(actor))
        record("relief.application.submitted", application, actor=actor, actor_label=actor_label, at=at,
               case_no=case.case_no, fund=fund.code, member=member.staff_no, illness=illness,
               requested_fen=requested_fen, rules=rules.version, missing=[m.name for m in missing],
               state=[None, ApplicationState.SUBMITTED])
    return application


def notice(application: Application, *, at: datetime | None = None, actor: Any = None,
           actor_label: str = "") -> Notice:
    """The one-time notice (一次性告知) of every material still missing."""
    _intake(actor, application.fund)
    FLOW.require(application, (ApplicationState.SUBMITTED,), _("出具补正告知"))
    return notices.issue_notice(application.case, at=at, actor=actor, actor_label=actor_label)


def supplement(application: Application, materials: list[str], *, at: datetime | None = None, actor: Any = None,
               actor_label: str = "") -> Application:
    """Materials handed in later; once nothing is missing the case is accepted."""
    at = resolve_at(at)
    _intake(actor, application.fund)
    handed_in = _materials(application.fund, list(materials))
    if not handed_in:
        raise InvalidInput(_("未选择材料"), field="materials", rule="required")
    with transaction.atomic():
        application = FLOW.locked(application)
        FLOW.require(application, (ApplicationState.SUBMITTED,), _("补交材料"))
        case = notices.receive_materials(application.case, handed_in, at=at, actor=actor, actor_label=actor_label)
        case.refresh_from_db()
        if case.state == CaseState.SUBMITTED and not notices.missing_materials(case):
            cases.accept_case(case, at=at, actor=actor, actor_label=actor_label)
        application.case.refresh_from_db()
        record("relief.application.supplemented", application, actor=actor, actor_label=actor_label, at=at,
               materials=[m.name for m in handed_in])
    return application


def year_total(fund: Fund, year: int, *, member: Member | None = None, exclude: Application | None = None) -> int:
    """What the fund approved or paid in `year` (for one member when given), in fen."""
    qs = fund.applications.filter(state__in=COMMITTED, decided_at__year=year)
    if member is not None:
        qs = qs.filter(member=member)
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return qs.aggregate(total=Sum("amount_fen"))["total"] or 0


def owed(account: Account) -> int:
    """What the relief funds of `account` approved and have not paid yet (fen): the ledger counts it as
    committed (`posting.register_commitments`), so no other payment or reversal can spend it."""
    return Application.objects.filter(fund__account=account, state=ApplicationState.APPROVED).aggregate(
        total=Sum("amount_fen"))["total"] or 0


def available(fund: Fund) -> int:
    """The balance less what is approved and not yet paid: what the committee can still grant."""
    fund.account.refresh_from_db(fields=["balance_fen"])
    return fund.account.balance_fen - owed(fund.account)


def check_amount(application: Application, amount_fen: int, at: datetime) -> None:
    """The ceilings of the rules the application was received under, and what the fund can pay."""
    check_fen(amount_fen, field="amount_fen")
    rules, fund, year = application.rules, application.fund, local_date(at).year
    person = year_total(fund, year, member=application.member, exclude=application)
    if person + amount_fen > rules.ceiling_per_person_fen:
        raise InvalidInput(_("超过每人每年救助上限 ¥%(c)s（%(y)d 年已获救助 ¥%(p)s）") % {
            "c": yuan(rules.ceiling_per_person_fen), "y": year, "p": yuan(person)},
            field="amount_fen", rule="over_person_ceiling")
    fund_year = year_total(fund, year, exclude=application)
    if fund_year + amount_fen > rules.ceiling_per_year_fen:
        raise InvalidInput(_("超过基金每年救助总额上限 ¥%(c)s（%(y)d 年已批准 ¥%(p)s）") % {
            "c": yuan(rules.ceiling_per_year_fen), "y": year, "p": yuan(fund_year)},
            field="amount_fen", rule="over_year_ceiling")
    can_pay = available(fund)
    if amount_fen > can_pay:
        raise InvalidInput(_("超过基金可用余额 ¥%(b)s") % {"b": yuan(max(can_pay, 0))}, field="amount_fen",
                           rule="over_balance")


def approve(application: Application, *, amount_fen: int, note: str = "", at: datetime | None = None,
            actor: Any = None, actor_label: str = "") -> Application:
    """submitted → approved: the committee grants `amount_fen` (checked against the ceilings and
    what the fund can pay) and the case is decided."""
    at = resolve_at(at)
    with transaction.atomic():
        application = FLOW.locked(application)
        FLOW.require_role(actor, application, COMMITTEE)
        FLOW.require(application, (ApplicationState.SUBMITTED,), _("批准"))
        # One approval at a time per fund, so two cannot both count on the same balance.
        Account.objects.select_for_update().filter(pk=application.fund.account_id).first()
        if at < application.submitted_at:
            raise InvalidInput(_("审议时间不能早于申请时间"), field="at", rule="before_submission")
        check_amount(application, amount_fen, at)
        FLOW.decide(application, at, actor, actor_label)
        application.state, application.amount_fen, application.decided_at = ApplicationState.APPROVED, amount_fen, at
        application.decided_by, application.note = acting_person(actor), (note or "").strip()
        application.save(update_fields=["state", "amount_fen", "decided_at", "decided_by", "note"])
        application.case.refresh_from_db()
        record("relief.application.approved", application, actor=actor, actor_label=actor_label, at=at,
               amount_fen=amount_fen, note=application.note,
               state=[ApplicationState.SUBMITTED, ApplicationState.APPROVED])
    return application


def pay(application: Application, *, at: datetime | None = None, actor: Any = None,
        actor_label: str = "") -> Application:
    """approved → paid: the treasurer pays the member; the ledger posting and the completion of the
    case are one transaction (a balance that no longer covers it changes nothing)."""
    at = resolve_at(at)
    with transaction.atomic():
        application = FLOW.locked(application)
        FLOW.require_role(actor, application, TREASURERS, _("只有本基金的出纳可以拨付"))
        FLOW.require(application, (ApplicationState.APPROVED,), _("拨付"))
        application.entry = posting.post(
            application.fund.account, -application.amount_fen, category=PAYMENT, party=application.member.name,
            memo=_("%(i)s 救助（申请 %(no)s）") % {"i": application.illness, "no": application.case.case_no},
            source=application, at=at, actor=actor, actor_label=actor_label, settles_fen=application.amount_fen)
        cases.complete_case(application.case, at=at, actor=actor, actor_label=actor_label)
        application.state, application.paid_at = ApplicationState.PAID, at
        application.save(update_fields=["entry", "state", "paid_at"])
        application.case.refresh_from_db()
        record("relief.application.paid", application, actor=actor, actor_label=actor_label, at=at,
               entry=application.entry.pk, amount_fen=application.amount_fen,
               state=[ApplicationState.APPROVED, ApplicationState.PAID])
    return application


def listing(applications: QuerySet[Application]) -> QuerySet[Application]:
    """Applications with what their list shows, open ones first by their promised deadline."""
    open_first = models.Case(When(state__in=(ApplicationState.SUBMITTED, ApplicationState.REFUSING,
                                       ApplicationState.APPROVED), then=Value(0)),
                       default=Value(1), output_field=IntegerField())
    return (applications.select_related("fund", "member", "case", "case__promised_timer", "case__notice_timer")
            .annotate(closed=open_first).order_by("closed", "case__promised_timer__deadline", "-submitted_at", "pk"))
