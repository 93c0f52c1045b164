"""Screens of the relief fund: the fund's page (balance, rules in force, ledger with CSV export),
the treasurer's contributions (typed, or a CSV file; a wrong one reversed), the applications with
their state and deadline, one application with the committee's decision and the treasurer's
payment, and the printable report. Every action calls the services in yizhan.relief."""

from typing import cast

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from yizhan.errors import ImportFailed, RuleError
from yizhan.hall.notices import missing_materials
from yizhan.ledger.money import parse_yuan, yuan
from yizhan.org.scope import covers, restrict
from yizhan.relief import applications, contributions
from yizhan.relief.models import COMMITTEE, RELIEF_ROLES, TREASURERS, Application, Contribution, ContributionKind, Fund
from yizhan.relief.report import fund_report, helped
from yizhan.ui.access import require_roles
from yizhan.ui.export import Table, export_response
from yizhan.ui.forms import IntegerField, attempt


def _fund(request: HttpRequest, code: str) -> Fund:
    return get_object_or_404(restrict(Fund.objects.select_related("company", "account", "matter"), request.user),
                             code=code)


def _may(request: HttpRequest, fund: Fund) -> dict:
    """Which buttons and tabs the person may use: the committee decides, the treasurer books and pays."""
    return {"decides": covers(request.user, COMMITTEE, fund.company),
            "pays": covers(request.user, TREASURERS, fund.company)}


@require_roles(*RELIEF_ROLES)
def index(request: HttpRequest) -> HttpResponse:
    funds = list(restrict(Fund.objects.select_related("company", "account"), request.user))
    if len(funds) == 1:
        return redirect("relief:fund", code=funds[0].code)
    return render(request, "relief/index.html", {"funds": [(f, yuan(f.account.balance_fen)) for f in funds]})


def ledger_table(fund: Fund) -> Table:
    entries = fund.account.entries.select_related("reverses").order_by("-booked_at", "-id")[:500]
    return Table(f"relief-ledger-{fund.code}", _("基金台账"),
                 [_("记账时间"), _("类别"), _("对方"), _("摘要"), _("金额（元）"), _("余额（元）"), _("冲销")],
                 [[e.booked_at, e.category, e.party, e.memo, yuan(e.amount_fen), yuan(e.balance_after_fen),
                   e.reverses.booked_at if e.reverses else ""] for e in entries])


@require_roles(*RELIEF_ROLES)
def fund(request: HttpRequest, code: str) -> HttpResponse:
    fund = _fund(request, code)
    table = ledger_table(fund)
    exported = export_response(request, [table])
    if exported is not None:
        return exported
    return render(request, "relief/fund.html", {
        "fund": fund, "balance": yuan(fund.account.balance_fen), "available": yuan(applications.available(fund)),
        "rules": fund.rules.order_by("-effective_from").first(), "table": table, **_may(request, fund)})


class ContributionForm(forms.Form):
    kind = forms.ChoiceField(label=_("来源"), choices=ContributionKind.choices)
    contributor = forms.CharField(label=_("捐款人/单位"), max_length=100)
    staff_no = forms.CharField(label=_("工号"), max_length=32, required=False)
    contributors = IntegerField(label=_("捐款人数"), min_value=1, initial=1)
    amount = forms.CharField(label=_("金额（元）"), max_length=20)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("捐款 CSV"))


class ReverseForm(forms.Form):
    reason = forms.CharField(label=_("冲销原因"), max_length=500)


def _contributions_page(request, fund, form=None, import_form=None, row_errors=None, failed=None, status=200):
    rows = fund.contributions.select_related("entry").order_by("-received_at", "-id")[:300]
    reversed_ids = set(fund.account.entries.filter(reverses__isnull=False).values_list("reverses_id", flat=True))
    return render(request, "relief/contributions.html", {
        "fund": fund, "form": form or ContributionForm(), "import_form": import_form or ImportForm(),
        "row_errors": row_errors, "rows": rows, "reversed": reversed_ids, "failed": failed,
        "balance": yuan(fund.account.balance_fen), "done": request.GET.get("done"), "pays": True}, status=status)


@require_roles(*TREASURERS)
def contributions_page(request: HttpRequest, code: str) -> HttpResponse:
    fund = _fund(request, code)
    if request.method != "POST":
        return _contributions_page(request, fund)
    what = request.POST.get("what")
    if what == "file":
        import_form = ImportForm(request.POST, request.FILES)
        if not import_form.is_valid():
            return _contributions_page(request, fund, import_form=import_form, status=422)
        try:
            n = contributions.import_contributions(fund, import_form.cleaned_data["file"], actor=request.user)
        except ImportFailed as exc:
            return _contributions_page(request, fund, import_form=import_form, row_errors=exc.errors, status=422)
        except RuleError as exc:
            import_form.add_error("file", exc.message)
            return _contributions_page(request, fund, import_form=import_form, status=422)
        return redirect(f"{request.path}?done={n}")
    if what == "reverse":
        contribution = get_object_or_404(restrict(Contribution.objects.all(), request.user), pk=request.POST.get("pk"),
                                         fund=fund)
        reverse_form = ReverseForm(request.POST)
        if reverse_form.is_valid() and attempt(reverse_form, lambda: contributions.correct(
                contribution, reason=reverse_form.cleaned_data["reason"], actor=request.user)):
            return redirect(request.path)
        return _contributions_page(request, fund, failed=(contribution.pk, reverse_form), status=422)
    form = ContributionForm(request.POST)
    if not form.is_valid():
        return _contributions_page(request, fund, form=form, status=422)
    data = form.cleaned_data

    def record():
        return contributions.contribute(
            fund, kind=data["kind"], amount_fen=parse_yuan(data["amount"], field="amount"),
            contributor=data["contributor"], staff_no=data["staff_no"], contributors=data["contributors"],
            note=data["note"], actor=request.user)

    if attempt(form, record) is None:
        return _contributions_page(request, fund, form=form, status=422)
    return redirect(f"{request.path}?done=1")


class ApplyForm(forms.Form):
    resident_id = forms.CharField(label=_("会员身份证号"), max_length=18)
    illness = forms.ChoiceField(label=_("疾病类别"))
    certificate_no = forms.CharField(label=_("医保认定证明编号"), max_length=64, required=False)
    requested = forms.CharField(label=_("申请金额（元）"), max_length=20)
    materials = forms.MultipleChoiceField(label=_("已交材料"), required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, fund: Fund, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        rules = fund.rules.order_by("-effective_from").first()
        cast(forms.ChoiceField, self.fields["illness"]).choices = [(i, i) for i in (rules.illnesses if rules else [])]
        cast(forms.ChoiceField, self.fields["materials"]).choices = [(m.name, m.name) for m in fund.matter.materials.all()]


def _applications_page(request, fund, form=None, status=200):
    rows = applications.listing(restrict(Application.objects.filter(fund=fund), request.user))[:300]
    return render(request, "relief/applications.html", {
        "fund": fund, "form": form or ApplyForm(fund), "rows": rows, "available": yuan(applications.available(fund)),
        "done": request.GET.get("done"), **_may(request, fund)}, status=status)


@require_roles(*RELIEF_ROLES)
def applications_page(request: HttpRequest, code: str) -> HttpResponse:
    fund = _fund(request, code)
    if request.method != "POST":
        return _applications_page(request, fund)
    form = ApplyForm(fund, request.POST)
    if not form.is_valid():
        return _applications_page(request, fund, form=form, status=422)
    data = form.cleaned_data
    application = attempt(form, lambda: applications.apply(
        fund=fund, resident_id=data["resident_id"], illness=data["illness"], certificate_no=data["certificate_no"],
        requested_fen=parse_yuan(data["requested"], field="requested"), materials=data["materials"],
        actor=request.user))
    if application is None:
        return _applications_page(request, fund, form=form, status=422)
    return redirect("relief:application", pk=application.pk)


class DecideForm(forms.Form):
    amount = forms.CharField(label=_("批准金额（元）"), max_length=20, required=False)
    note = forms.CharField(label=_("意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    legal_basis = forms.CharField(label=_("依据"), required=False)
    materials = forms.MultipleChoiceField(label=_("补交材料"), required=False, widget=forms.CheckboxSelectMultiple)


def _application(request: HttpRequest, pk: int) -> Application:
    return get_object_or_404(restrict(Application.objects.select_related(
        "fund", "fund__account", "fund__matter", "fund__company", "member", "rules", "case",
        "case__promised_timer", "case__notice_timer", "entry"), request.user), pk=pk)


def _detail_page(request, application, form=None, status=200):
    form = form or DecideForm(initial={"amount": application.requested_yuan.replace(",", "")})
    missing = missing_materials(application.case)
    cast(forms.ChoiceField, form.fields["materials"]).choices = [(m.name, m.name) for m in missing]
    case = application.case
    return render(request, "relief/application.html", {
        "a": application, "case": case, "form": form, "missing": missing,
        "deadline": (case.promised_timer or case.notice_timer), "notices": case.notices.order_by("seq"),
        "refusals": case.refusals.select_related("requested_by", "reviewed_by").order_by("pk"),
        "available": yuan(applications.available(application.fund)),
        "balance": yuan(application.fund.account.balance_fen), "rules": application.rules,
        **_may(request, application.fund)}, status=status)


@require_roles(*RELIEF_ROLES)
def application(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, _application(request, pk))


@require_roles(*RELIEF_ROLES)
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    found = _application(request, pk)
    if request.method != "POST":
        return redirect("relief:application", pk=pk)
    form = DecideForm(request.POST)
    cast(forms.ChoiceField, form.fields["materials"]).choices = [(m.name, m.name) for m in missing_materials(found.case)]
    form.is_valid()
    data, user = form.cleaned_data, request.user
    actions = {
        "notice": lambda: applications.notice(found, actor=user),
        "materials": lambda: applications.supplement(found, data.get("materials") or [], actor=user),
        "approve": lambda: applications.approve(found, amount_fen=parse_yuan(data.get("amount", ""), field="amount"),
                                                note=data.get("note", ""), actor=user),
        "refuse": lambda: applications.propose_refusal(found, reason=data.get("note", ""),
                                                       legal_basis=data.get("legal_basis", ""), by=user),
        "confirm": lambda: applications.confirm_refusal(found, by=user, note=data.get("note", "")),
        "reject": lambda: applications.reject_refusal(found, by=user, note=data.get("note", "")),
        "pay": lambda: applications.pay(found, actor=user),
    }
    if action not in actions:
        return redirect("relief:application", pk=pk)
    if attempt(form, actions[action]) is not None:
        return redirect(reverse("relief:application", args=[pk]) + f"?done={action}")
    return _detail_page(request, _application(request, pk), form=form, status=422)


@require_roles(*RELIEF_ROLES)
def report(request: HttpRequest, code: str) -> HttpResponse:
    fund = _fund(request, code)
    figures = fund_report(fund)
    rules = fund.rules.order_by("-effective_from").first()
    return render(request, "relief/report.html", {
        "fund": fund, "r": figures, "rules": rules, "helped": helped(fund),
        "staff": yuan(figures.staff_fen), "company": yuan(figures.company_fen),
        "received": yuan(figures.received_fen), "paid": yuan(figures.paid_fen), "balance": yuan(figures.balance_fen)})
