"""The bureau's exchange screen: the balance of staff per school before and after a date (by sex,
age band and subject, exported as CSV), the assignments, and the imports of teachers and
assignments."""

from datetime import date
from typing import cast

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from yizhan.errors import ImportFailed
from yizhan.exchange import assignments, balance
from yizhan.exchange.imports import import_assignments, import_teachers
from yizhan.exchange.models import EXCHANGE_ROLES, Assignment, Teacher
from yizhan.org.models import OrgUnit, UnitKind
from yizhan.org.scope import restrict, units
from yizhan.ui.access import require_roles
from yizhan.ui.export import Table, export_response
from yizhan.ui.forms import DateField, attempt

IMPORTS = {"teachers": import_teachers, "assignments": import_assignments}


class DateForm(forms.Form):
    date = DateField(label=_("交流日期"), widget=forms.DateInput(attrs={"type": "date"}))


class AssignmentForm(forms.Form):
    teacher = forms.CharField(label=_("教师工号"), max_length=32)
    to_school = forms.ModelChoiceField(label=_("交流学校"), queryset=OrgUnit.objects.none())
    start = DateField(label=_("开始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    end = DateField(label=_("结束日期"), widget=forms.DateInput(attrs={"type": "date"}))


def _assignment_form(user, data=None) -> AssignmentForm:
    form = AssignmentForm(data)
    cast(forms.ModelChoiceField, form.fields["to_school"]).queryset = units(user, EXCHANGE_ROLES).filter(kind=UnitKind.SCHOOL).order_by("path")
    return form


class ImportForm(forms.Form):
    file = forms.FileField(label=_("文件（CSV）"))


def _page(request: HttpRequest, *, import_errors=None, assign: AssignmentForm | None = None,
          status: int = 200) -> HttpResponse:
    teachers = restrict(Teacher.objects.all(), request.user)
    assignments = restrict(Assignment.objects.select_related("teacher", "from_school", "to_school"), request.user)
    first = assignments.order_by("start").values_list("start", flat=True).first()
    form = DateForm(request.GET or {"date": (first or date.today()).isoformat()})
    on = form.cleaned_data["date"] if form.is_valid() else (first or date.today())
    schools = list(units(request.user, EXCHANGE_ROLES).filter(kind=UnitKind.SCHOOL).order_by("path"))
    rows = balance.before_and_after(teachers, schools, on)
    subjects = sorted(set(teachers.values_list("subject", flat=True)))
    headers, flat = balance.csv_rows(rows, subjects)
    table = Table(f"staff-balance-{on.isoformat()}", _("交流前后师资结构"), headers, flat)
    if (exported := export_response(request, [table])) is not None:
        return exported
    return render(request, "exchange/report.html", {
        "form": form, "on": on, "headers": headers, "table": flat, "assignments": assignments[:200],
        "import_form": ImportForm(), "import_errors": import_errors,
        "assign": assign or _assignment_form(request.user),
    }, status=status)


@require_roles(*EXCHANGE_ROLES)
def report(request: HttpRequest) -> HttpResponse:
    return _page(request)


@require_roles(*EXCHANGE_ROLES)
def assign(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return redirect("exchange:report")
    form = _assignment_form(request.user, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        teacher = restrict(Teacher.objects.select_related("school"), request.user).filter(code=data["teacher"]).first()
        if teacher is None:
            form.add_error("teacher", _("教师工号不存在：%(v)s") % {"v": data["teacher"][:40]})
        elif attempt(form, lambda: assignments.assign(teacher, to_school=data["to_school"], start=data["start"],
                                                      end=data["end"], actor=request.user)):
            return redirect("exchange:report")
    return _page(request, assign=form, status=422)


@require_roles(*EXCHANGE_ROLES)
def upload(request: HttpRequest, what: str) -> HttpResponse:
    if what not in IMPORTS:
        raise Http404
    if request.method != "POST":
        return redirect("exchange:report")
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, import_errors=[str(e) for e in form.errors.get("file", [])], status=422)
    try:
        IMPORTS[what](form.cleaned_data["file"], actor=request.user)
    except ImportFailed as exc:
        return _page(request, import_errors=exc.errors, status=422)
    return redirect("exchange:report")
