"""The supervisor view (/supervisor/): warnings and overdue cases, refusals waiting for the second
person, accountability records, the window ranking, figures of any period with charts; CSV and XLSX
of every table."""

from collections.abc import Callable
from datetime import date
from functools import cache
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from yizhan.calendar.workdays import local_date
from yizhan.clock.models import AccountabilityRecord
from yizhan.clock.warnings import Level
from yizhan.hall import queue
from yizhan.hall import refusals as refusal_service
from yizhan.hall.early_warnings import open_warnings
from yizhan.hall.figure_series import by_department, series
from yizhan.hall.models import Refusal, RefusalState, Ticket
from yizhan.hall.ranking import rank_windows
from yizhan.hall.stats import FIGURE_KEYS, FIGURE_LABELS, FigureSet, format_value, period_bounds
from yizhan.hall.views.common import act, back, in_scope
from yizhan.org.models import OrgUnit, UnitKind
from yizhan.org.scope import HALL_SUPERVISION, restrict, units
from yizhan.ui.access import require_roles
from yizhan.ui.export import Table, export_response
from yizhan.ui.forms import DateField, IntegerField

SHOWN = 200  # rows of a long table shown on screen; the export has them all


class PeriodForm(forms.Form):
    first = DateField(label=gettext_lazy("从"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    last = DateField(label=gettext_lazy("至"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    unit = IntegerField(required=False, widget=forms.HiddenInput)


def _units(request: HttpRequest):
    """The center and departments the supervisor may look at (from the scope function), top first."""
    return units(request.user, HALL_SUPERVISION).filter(
        kind__in=(UnitKind.CENTER, UnitKind.DEPARTMENT)).order_by("path")


def _period(request: HttpRequest, today: date) -> tuple[date, date, PeriodForm]:
    form = PeriodForm(request.GET or None)
    first = last = today
    if form.is_bound and form.is_valid():
        first = form.cleaned_data["first"] or today.replace(day=1)
        last = form.cleaned_data["last"] or max(first, today)
        if first > last:
            first, last = last, first
    else:
        first = today.replace(day=1)
    return first, last, form


def _local(dt):
    return timezone.localtime(dt).strftime("%Y-%m-%d %H:%M") if dt else ""


def _tables(request: HttpRequest, unit: OrgUnit, first: date, last: date
            ) -> tuple[dict[str, Callable[[], Table]], Callable[[], dict], Callable[[], list], Callable[[], Any]]:
    """Every table of the view (what is shown is what is exported), the charts' data, the refusals and
    when the figures were computed, each computed when first asked for: an export computes only its
    own table. The figures come from the shared FigureSet (at most YIZHAN_PUBLIC_FIGURES_SECONDS old;
    the page says when they were computed)."""
    user = request.user
    now = timezone.now()
    start, end = period_bounds(first, last)

    @cache
    def figure_set() -> FigureSet:
        return FigureSet.shared(first, last, unit, settings.YIZHAN_PUBLIC_FIGURES_SECONDS)

    @cache
    def refusals() -> list:
        return list(Refusal.objects.restrict(user, "view").filter(state=RefusalState.PENDING,
                                                                  case__window__path__startswith=unit.path)
                    .select_related("case", "case__matter", "case__window", "requested_by").order_by("requested_at"))

    @cache
    def departments() -> list:
        return by_department(first, last, unit, figures=figure_set())

    @cache
    def daily() -> list:
        return series(first, last, unit)

    @cache
    def tickets():
        return Ticket.objects.restrict(user, "view")

    def warnings() -> Table:
        return Table("warnings", _("预警与超期"), [
            _("办件编号"), _("事项"), _("窗口"), _("经办人"), _("计时"), _("到期时间"), _("预警"), _("绿色通道")],
            [[w.case_no, w.matter, w.window, w.handler, w.purpose, _local(w.deadline), Level(w.level).label,
              _("是") if w.green_channel else ""] for w in open_warnings(now, unit=unit)])

    def refusal_table() -> Table:
        return Table("refusals", _("待确认的否办"), [
            _("编号"), _("办件编号"), _("事项"), _("窗口"), _("类型"), _("理由"), _("法律依据"), _("经办人"), _("提出时间")],
            [[r.pk, r.case.case_no, r.case.matter.name, r.case.window.name, r.get_kind_display(), r.reason,
              r.legal_basis, r.requested_by.get_username(), _local(r.requested_at)] for r in refusals()])

    def accountability() -> Table:
        records = (restrict(AccountabilityRecord.objects.all(), user, "view")
                   .filter(created_at__gte=start, created_at__lt=end)
                   .select_related("responsible_user", "responsible_unit", "department").order_by("-created_at"))
        return Table("accountability", _("问责记录"), [
            _("对象"), _("责任人"), _("责任窗口"), _("责任部门"), _("到期时间"), _("超期"), _("记录时间")],
            [[f"{a.subject_type}:{a.subject_id}", a.responsible_user.get_username() if a.responsible_user else "",
              a.responsible_unit.name if a.responsible_unit else "", a.department.name if a.department else "",
              _local(a.deadline), a.days_overdue, _local(a.created_at)] for a in records])

    def ranking() -> Table:
        return Table("ranking", _("窗口排名"), [
            _("名次"), _("窗口"), _("部门"), _("得分"), FIGURE_LABELS["completed"], FIGURE_LABELS["on_time_rate"],
            FIGURE_LABELS["on_the_spot_rate"], FIGURE_LABELS["valid_complaints"], FIGURE_LABELS["accountability"]],
            [[r.rank, r.name, r.department, r.score, r.figures.completed,
              format_value("on_time_rate", r.figures.on_time_rate),
              format_value("on_the_spot_rate", r.figures.on_the_spot_rate), r.figures.valid_complaints,
              r.figures.accountability] for r in rank_windows(first, last, unit, figures=figure_set())])

    def figures() -> Table:
        values = figure_set().of(unit).as_dict()
        waits = queue.queue_figures(first, last, unit=unit, tickets=tickets())
        return Table("figures", _("统计数据"), [_("指标"), _("数值")],
                     [[FIGURE_LABELS[k], format_value(k, values[k])] for k in FIGURE_KEYS]
                     + [[queue.QUEUE_FIGURE_LABELS[k], "—" if v is None else v] for k, v in waits.as_dict().items()])

    def department_table() -> Table:
        return Table("departments", _("各部门数据"), [
            _("部门"), FIGURE_LABELS["accepted"], FIGURE_LABELS["completed"], FIGURE_LABELS["on_the_spot_rate"],
            FIGURE_LABELS["on_time_rate"], FIGURE_LABELS["overdue_open"]],
            [[d.name, f.accepted, f.completed, format_value("on_the_spot_rate", f.on_the_spot_rate),
              format_value("on_time_rate", f.on_time_rate), f.overdue_open] for d, f in departments()])

    def daily_table() -> Table:
        return Table("daily", _("每日受理与办结"), [_("日期"), FIGURE_LABELS["accepted"], FIGURE_LABELS["completed"]],
                     [[p["label"], p["accepted"], p["completed"]] for p in daily()])

    def charts() -> dict:
        waits = queue.daily_waits(first, last, tickets=tickets())
        return {
            "daily": [[p["label"], p["accepted"], p["completed"]] for p in daily()],
            "departments": [[d.name, f.on_the_spot_rate, f.on_time_rate] for d, f in departments()],
            "waits": [[str(w["day"]), w["median_wait_minutes"]] for w in waits],
            "labels": {"accepted": FIGURE_LABELS["accepted"], "completed": FIGURE_LABELS["completed"],
                       "on_the_spot_rate": FIGURE_LABELS["on_the_spot_rate"],
                       "on_time_rate": FIGURE_LABELS["on_time_rate"],
                       "wait": queue.QUEUE_FIGURE_LABELS["median_wait_minutes"]},
        }

    tables = {"warnings": warnings, "refusals": refusal_table, "accountability": accountability, "ranking": ranking,
              "figures": figures, "departments": department_table, "daily": daily_table}
    return tables, charts, lambda: refusals()[:SHOWN], lambda: figure_set().computed_at


@require_roles(*HALL_SUPERVISION)
def supervisor(request: HttpRequest) -> HttpResponse:
    today = local_date(timezone.now())
    first, last, form = _period(request, today)
    units = _units(request)
    unit = units.filter(pk=request.GET.get("unit")).first() if str(request.GET.get("unit", "")).isdigit() else None
    unit = unit or units.first()
    if unit is None:
        return render(request, "hall/screens/supervisor.html", {"unit": None})
    tables, charts, pending, computed_at = _tables(request, unit, first, last)
    exported = export_response(request, tables)
    if exported is not None:
        return exported
    built = {name: make() for name, make in tables.items()}
    return render(request, "hall/screens/supervisor.html", {
        "unit": unit, "units": units, "first": first, "last": last, "form": form,
        "tables": {n: {"table": t, "rows": t.rows[:SHOWN], "more": max(0, len(t.rows) - SHOWN)}
                   for n, t in built.items()},
        "charts": charts(), "pending": pending(), "query": request.GET.urlencode(), "computed_at": computed_at(),
    })


@require_POST
@require_roles(*HALL_SUPERVISION)
def review_refusal(request: HttpRequest, pk: int, decision: str) -> HttpResponse:
    refusal = in_scope(request, Refusal, pk, "change")
    note = request.POST.get("note", "")
    if decision == "confirm":
        act(request, lambda: refusal_service.confirm_refusal(refusal, by=request.user, note=note), _("否办已确认"))
    elif decision == "reject":
        act(request, lambda: refusal_service.reject_refusal(refusal, by=request.user, note=note),
            _("否办已退回经办人"))
    else:
        messages.error(request, _("未知操作"))
    return back(request, reverse("hall:supervisor"))
