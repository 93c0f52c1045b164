"""Screens of the student subsidies: the school clerk applies for pupils (typed or a CSV file) and
follows the batches; the bureau's officer works the queue by deadline; anyone of the two looks up a
pupil's record and the figures (exported as CSV)."""

from typing import cast

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _

from yizhan.errors import ImportFailed, RuleError
from yizhan.ledger.money import yuan
from yizhan.org.models import Role, UnitKind
from yizhan.org.scope import restrict, units
from yizhan.subsidies import applications, pupils
from yizhan.subsidies.figures import figures
from yizhan.subsidies.models import Batch, BatchState, Grant, Pupil, Term
from yizhan.ui.access import require_roles
from yizhan.ui.export import Table, export_response
from yizhan.ui.forms import attempt

OFFICE_ROLES = (Role.SUBSIDY_OFFICER, Role.DEPARTMENT_HEAD)
LOOKUP_ROLES = (Role.SCHOOL_CLERK, Role.SUBSIDY_OFFICER)


class ApplyForm(forms.Form):
    school: forms.ModelChoiceField = forms.ModelChoiceField(label=_("学校"), queryset=None)
    programme = forms.ChoiceField(label=_("资助项目"))
    term = forms.ModelChoiceField(label=_("学期"), queryset=Term.objects.order_by("-first_day"))
    resident_ids = forms.CharField(label=_("学生身份证号（每行一个）"), required=False,
                                   widget=forms.Textarea(attrs={"rows": 6}))
    file = forms.FileField(label=_("或上传名单 CSV（列 resident_id）"), required=False)

    def __init__(self, user, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["school"]).queryset = units(user, (Role.SCHOOL_CLERK,)).filter(kind=UnitKind.SCHOOL)
        self.programmes = {p.code: p for p in applications.programmes_for(user)}
        cast(forms.ChoiceField, self.fields["programme"]).choices = [(c, f"{p.name}（¥{yuan(p.amount_fen)}/人）")
                                            for c, p in self.programmes.items()]


class PupilsForm(forms.Form):
    file = forms.FileField(label=_("学生名册 CSV"))


def _school_page(request: HttpRequest, form=None, pupils_form=None, row_errors=None, status=200, done=None):
    batches = restrict(Batch.objects.select_related("programme", "term", "school", "case", "case__promised_timer"),
                       request.user)
    return render(request, "subsidies/school.html", {
        "form": form or ApplyForm(request.user), "pupils_form": pupils_form or PupilsForm(),
        "row_errors": row_errors, "batches": batches[:200], "done": done,
    }, status=status)


@require_roles(Role.SCHOOL_CLERK)
def school(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _school_page(request, done=request.GET.get("done"))
    if request.POST.get("what") == "pupils":
        pupils_form = PupilsForm(request.POST, request.FILES)
        if pupils_form.is_valid():
            try:
                result = pupils.import_pupils(pupils_form.cleaned_data["file"], actor=request.user)
            except ImportFailed as exc:
                return _school_page(request, pupils_form=pupils_form, row_errors=exc.errors, status=422)
            return redirect(f"{request.path}?done={result}")
        return _school_page(request, pupils_form=pupils_form, status=422)
    form = ApplyForm(request.user, request.POST, request.FILES)
    if not form.is_valid():
        return _school_page(request, form=form, status=422)
    data = form.cleaned_data
    try:
        if data["file"]:
            lines = pupils.batch_lines(data["file"])
        else:
            lines = [(n, v.strip()) for n, v in enumerate(data["resident_ids"].splitlines(), start=1) if v.strip()]
        batch = applications.apply(programme=form.programmes[data["programme"]], term=data["term"],
                                   school=data["school"], lines=lines, actor=request.user)
    except ImportFailed as exc:
        return _school_page(request, form=form, row_errors=exc.errors, status=422)
    except RuleError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return _school_page(request, form=form, status=422)
    return redirect(f"{request.path}?done={batch.case.case_no}")


class DecideForm(forms.Form):
    note = forms.CharField(label=_("意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    legal_basis = forms.CharField(label=_("依据"), required=False)


def _queue_page(request: HttpRequest, failed=None, form=None, status=200):
    batches = applications.queue(restrict(Batch.objects.all(), request.user))
    return render(request, "subsidies/queue.html", {"batches": batches[:300], "failed": failed,
                                                    "form": form or DecideForm()}, status=status)


@require_roles(*OFFICE_ROLES)
def queue(request: HttpRequest) -> HttpResponse:
    return _queue_page(request)


@require_roles(*OFFICE_ROLES)
def decide(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if request.method != "POST":
        return redirect("subsidies:queue")
    batch = get_object_or_404(restrict(Batch.objects.all(), request.user), pk=pk)
    form = DecideForm(request.POST)
    form.is_valid()
    note = form.cleaned_data.get("note", "")
    actions = {
        "approve": lambda: applications.approve(batch, note=note, actor=request.user),
        "refuse": lambda: applications.propose_refusal(batch, reason=note, legal_basis=form.cleaned_data.get(
            "legal_basis", ""), by=request.user),
        "confirm": lambda: applications.confirm_refusal(batch, by=request.user, note=note),
        "reject": lambda: applications.reject_refusal(batch, by=request.user, note=note),
    }
    if action not in actions:
        return redirect("subsidies:queue")
    if attempt(form, actions[action]):
        return redirect("subsidies:queue")
    return _queue_page(request, failed=batch.pk, form=form, status=422)


@require_roles(*LOOKUP_ROLES)
def pupil(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("resident_id", "").strip().upper()
    found = lines = None
    if query:
        found = restrict(Pupil.objects.select_related("school", "township"), request.user).filter(
            resident_id=query).first()
        lines = pupils.record_of(found) if found else []
    received = sum(g.amount_fen for g in lines or () if g.counted and g.batch.state == BatchState.PAID)
    return render(request, "subsidies/pupil.html", {"query": query, "pupil": found, "lines": lines,
                                                    "received": yuan(received)}, status=200 if found or not query else 404)


@require_roles(*LOOKUP_ROLES)
def figures_page(request: HttpRequest) -> HttpResponse:
    by = "school" if request.GET.get("by") == "school" else "township"
    term_code = request.GET.get("term", "")
    grants = restrict(Grant.objects.all(), request.user)
    if term_code:
        grants = grants.filter(term__code=term_code)
    rows = figures(grants, by=by)
    title = _("按学校统计") if by == "school" else _("按乡镇统计")
    table = Table(f"subsidies-{by}", title, [_("编码"), _("名称"), _("资助人数"), _("其中住宿生"), _("住宿生比例"),
                                              _("资助人次"), _("金额（元）")],
                  [[r.code or _("合计"), r.name, r.pupils, r.boarders,
                    "" if r.boarder_share is None else f"{r.boarder_share:.1%}", r.grants, yuan(r.amount_fen)]
                   for r in rows])
    exported = export_response(request, [table])
    if exported is not None:
        return exported
    return render(request, "subsidies/figures.html", {"table": table, "by": by, "term": term_code,
                                                      "terms": Term.objects.order_by("first_day")})
