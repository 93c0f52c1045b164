"""The fund's report (基金收支报告): what came in and from whom, what was paid and to how many
members, and the balance, every figure read from the ledger (reversed entries net out) and the
applications on the case engine."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from yizhan.ledger import posting
from yizhan.ledger.money import yuan
from yizhan.relief.models import CATEGORY, PAYMENT, Application, ApplicationState, ContributionKind, Fund


@dataclass(frozen=True)
class Report:
    staff_fen: int
    staff_contributors: int
    company_fen: int
    received_fen: int
    paid_fen: int
    members_helped: int
    payments: int
    balance_fen: int
    open_applications: int
    refused: int

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def fund_report(fund: Fund) -> Report:
    entries = fund.account.entries.all()
    by_category = posting.totals(entries)
    staff_fen = by_category.get(CATEGORY[ContributionKind.STAFF], 0) + by_category.get(
        CATEGORY[ContributionKind.UNION], 0)
    company_fen = by_category.get(CATEGORY[ContributionKind.COMPANY], 0)
    # Contributions that stand (their entry not reversed), counted by people.
    staff = fund.contributions.filter(kind__in=(ContributionKind.STAFF, ContributionKind.UNION),
                                      entry__reversed_by__isnull=True)
    paid = Application.objects.filter(fund=fund, state=ApplicationState.PAID, entry__reversed_by__isnull=True)
    helped = paid.aggregate(members=Count("member", distinct=True), payments=Count("id"))
    fund.account.refresh_from_db(fields=["balance_fen"])
    return Report(
        staff_fen=staff_fen,
        staff_contributors=staff.aggregate(n=Sum("contributors"))["n"] or 0,
        company_fen=company_fen,
        received_fen=staff_fen + company_fen,
        paid_fen=-by_category.get(PAYMENT, 0),
        members_helped=helped["members"],
        payments=helped["payments"],
        balance_fen=fund.account.balance_fen,
        open_applications=fund.applications.filter(state__in=(
            ApplicationState.SUBMITTED, ApplicationState.REFUSING, ApplicationState.APPROVED)).count(),
        refused=fund.applications.filter(state=ApplicationState.REFUSED).count(),
    )


def helped(fund: Fund):
    """The paid applications, for the report's table."""
    return (Application.objects.filter(fund=fund, state=ApplicationState.PAID, entry__reversed_by__isnull=True)
            .select_related("member", "case", "entry").order_by("paid_at", "pk"))


def write_report(fund: Fund, report: Report, write: Callable[[str], object], indent: str = "  ") -> None:
    """The report as lines of text (the command and the demo print it), each figure after `indent`."""
    write(_("%(f)s 收支报告：") % {"f": fund.name})
    write(indent + _("职工捐款：%(n)d 人，¥%(a)s") % {"n": report.staff_contributors, "a": yuan(report.staff_fen)})
    write(indent + _("企业拨款：¥%(a)s") % {"a": yuan(report.company_fen)})
    write(indent + _("收入合计：¥%(a)s") % {"a": yuan(report.received_fen)})
    write(indent + _("已救助会员：%(m)d 人（%(p)d 笔），支付 ¥%(a)s") % {
        "m": report.members_helped, "p": report.payments, "a": yuan(report.paid_fen)})
    write(indent + _("余额：¥%(a)s；在办申请 %(o)d 件，不予救助 %(r)d 件") % {
        "a": yuan(report.balance_fen), "o": report.open_applications, "r": report.refused})
