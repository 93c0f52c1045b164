"""/surveillance/: the CDC dashboard — open signals by the warning level of their verification clock,
the epidemic curve of a disease at a unit with its detector's upper bound and the alarms raised, the
tree of units shaded by their signals, incidents and the reporting-quality figures."""

import re
from collections import Counter
from datetime import date, timedelta
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext

from yizhan.clock.warnings import Level
from yizhan.org.models import OrgUnit
from yizhan.surveillance.detection import curve
from yizhan.surveillance.figures import signal_figures
from yizhan.surveillance.incidents import seven_one_seven
from yizhan.surveillance.models import (
    Alarm,
    CardState,
    CaseCard,
    DiagnosedCase,
    Disease,
    Incident,
    IncidentState,
    Method,
    Signal,
    SignalState,
)
from yizhan.surveillance.quality import Quality, quality, quality_by_child
from yizhan.surveillance.views.common import EPIDEMIOLOGIST, home_unit, period, scope_units
from yizhan.ui.access import require_roles

# Most urgent first: the order the duty epidemiologist works through them.
LEVEL_ORDER = (Level.OVERDUE, Level.RED, Level.YELLOW, Level.NORMAL)
CURVE_DAYS = 84
TREE_ROWS = 300
TWO_LEVELS = r"^{}([^/]+/){{0,2}}$"  # the unit, its children and theirs


def open_signals(user: Any, unit: OrgUnit) -> list[dict[str, Any]]:
    """The signals still to verify in `unit`'s subtree, most urgent level first, then by deadline."""
    now = timezone.now()
    qs = (Signal.objects.restrict(user).filter(state=SignalState.OPEN, unit__path__startswith=unit.path)
          .select_related("disease", "unit", "timer").prefetch_related("alarms"))
    rows = []
    for s in qs:
        level = s.timer.level(now) if s.timer else Level.NORMAL
        rows.append({"signal": s, "level": level, "level_label": Level(level).label,
                     "alarm": next(iter(s.alarms.all()), None)})
    rank = {level: k for k, level in enumerate(LEVEL_ORDER)}
    rows.sort(key=lambda r: (rank.get(r["level"], len(rank)), r["signal"].timer.deadline if r["signal"].timer
                             else r["signal"].opened_at))
    return rows


def _by_subtree(paths) -> Counter:
    """Counts per tree path, each row counted at its own unit and at every unit above it."""
    totals: Counter = Counter()
    for path, n in Counter(paths).items():
        parts = path.strip("/").split("/")
        for depth in range(1, len(parts) + 1):
            totals["/" + "/".join(parts[:depth]) + "/"] += n
    return totals


def unit_tree(user: Any, unit: OrgUnit, first: date, last: date) -> list[dict[str, Any]]:
    """`unit` and the units under it (tree order, with their depth) with the signals opened in each
    one's subtree in the period, the open ones and the cases living there (by current address, whoever
    reported them, as the rules count); `shade` 0–1 for the colour.
    Two levels down while that stays readable, else one (each row opens its own tree)."""
    below = scope_units(user).filter(path__startswith=unit.path)
    units = list(below.filter(path__regex=TWO_LEVELS.format(re.escape(unit.path))))
    if len(units) > TREE_ROWS:
        units = [u for u in units if u.path.count("/") <= unit.path.count("/") + 1]
    signals = Signal.objects.restrict(user).filter(opened_on__gte=first, opened_on__lte=last,
                                                   unit__path__startswith=unit.path)
    own = _by_subtree(signals.values_list("unit__path", flat=True))
    own_open = _by_subtree(signals.filter(state=SignalState.OPEN).values_list("unit__path", flat=True))
    cards = _by_subtree(CaseCard.objects.restrict(user).filter(
        onset_date__gte=first, onset_date__lte=last, residence_unit__path__startswith=unit.path)
        .exclude(state__in=(CardState.DELETED, CardState.EXCLUDED, CardState.CORRECTED))
        .values_list("residence_unit__path", flat=True))
    base = unit.path.count("/")
    rows = [{"unit": u, "depth": u.path.count("/") - base, "signals": own[u.path], "open": own_open[u.path],
             "cards": cards[u.path], "indent": f"{0.45 + 1.5 * (u.path.count('/') - base):.2f}rem"} for u in units]
    top = max((r["signals"] for r in rows if r["depth"] > 0), default=0)
    for r in rows:
        r["shade"] = round(min(1.0, r["signals"] / top), 2) if top and r["depth"] > 0 else 0
    return rows


def curve_choice(request: HttpRequest, user: Any, unit: OrgUnit, first: date, last: date
                 ) -> tuple[Disease | None, OrgUnit | None]:
    """The disease and unit asked for, else those of the latest signal in the period."""
    disease = Disease.objects.filter(code=request.GET.get("disease", ""), active=True).first()
    target = home_unit(user, request.GET.get("curve_unit")) if request.GET.get("curve_unit") else None
    if disease is None or target is None:
        latest = (Signal.objects.restrict(user).filter(unit__path__startswith=unit.path, opened_on__lte=last)
                  .select_related("disease", "unit").order_by("-opened_on", "-pk").first())
        if latest is not None:
            disease, target = disease or latest.disease, target or latest.unit
    return disease, target or unit


def curve_data(user: Any, disease: Disease, unit: OrgUnit, last: date, days: int = CURVE_DAYS) -> dict[str, Any]:
    """The chart's data: counts by onset day, what the detector compared and its upper bound, and the
    alarms that were raised (days and their signal)."""
    first = last - timedelta(days=days - 1)
    c = curve(disease, unit, first, last)
    alarms = (Alarm.objects.restrict(user).filter(signal__disease=disease, signal__unit=unit, day__gte=first,
                                                  day__lte=last).values_list("day", "observed", "signal_id"))
    method = Method(c.method).label if c.method else None
    return {
        "title": f"{disease.name} · {unit.name}", "days": [d.isoformat() for d in c.days], "counts": c.counts,
        "observed": c.observed, "upper": c.upper,
        "alarms": [[d.isoformat(), observed, signal_id] for d, observed, signal_id in alarms],
        "labels": {"counts": gettext("发病数"), "observed": gettext("预警方法比较的病例数"), "upper": gettext("预警上限"),
                   "alarms": gettext("报警"), "method": str(method) if method else gettext("未配置预警方法")},
    }


def incident_rows(user: Any, unit: OrgUnit, limit: int = 20) -> list[dict[str, Any]]:
    qs = Incident.objects.restrict(user).filter(unit__path__startswith=unit.path).select_related("unit")
    live = (IncidentState.SIGNAL, IncidentState.EVENT)
    items = sorted(qs.order_by("-started_at")[:limit], key=lambda i: i.state not in live)
    return [{"incident": i, "live": i.state in live, "times": seven_one_seven(i)} for i in items]


def signal_summary(f: dict[str, Any]) -> list[tuple[str, str, str]]:
    """The CIDARS figures of the period's signals, as shown."""
    median = f["median_response_hours"]
    return [
        ("signals", gettext("预警信号"), str(f["signals"])),
        ("responded", gettext("响应率"), pct(f["responded_share"])),
        ("within-24h", gettext("24 小时内响应"), pct(f["responded_within_24h_share"])),
        ("median-response", gettext("响应时间中位数"), "—" if median is None else gettext("%(h)s 小时") % {"h": median}),
        ("suspected", gettext("判为疑似事件"), pct(f["suspected_share"])),
        ("outbreak", gettext("确认暴发"), pct(f["outbreak_share"])),
    ]


def pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def quality_figures(q: Quality) -> list[tuple[str, str, str]]:
    """(id, label, shown value) of the reporting-quality figures."""
    hours = gettext("%(h)s 小时")
    return [
        ("cards", gettext("报告卡"), str(q.cards)),
        ("complete", gettext("完整率"), pct(q.complete_rate)),
        ("accurate", gettext("准确率"), pct(q.accurate_rate)),
        ("missed", gettext("漏报率"), pct(q.missed_rate) if q.diagnosed else gettext("未导入医院诊断病例")),
        ("timely-report", gettext("及时报告率"), pct(q.timely_report_rate)),
        ("timely-review", gettext("及时审核率"), pct(q.timely_review_rate)),
        ("duplicate", gettext("重卡率"), pct(q.duplicate_rate)),
        ("zero-report", gettext("零报告机构"), str(len(q.zero_report_units))),
        ("report-delay", gettext("平均报告延迟"), "—" if q.mean_report_delay_hours is None
         else hours % {"h": q.mean_report_delay_hours}),
        ("review-delay", gettext("平均审核延迟"), "—" if q.mean_review_delay_hours is None
         else hours % {"h": q.mean_review_delay_hours}),
    ]


@require_roles(*EPIDEMIOLOGIST)
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    unit = home_unit(user, request.GET.get("unit"))
    if unit is None:
        return render(request, "surveillance/dashboard.html", {"unit": None})
    first, last, form = period(request)
    signals = open_signals(user, unit)
    disease, target = curve_choice(request, user, unit, first, last)
    cards = CaseCard.objects.restrict(user)
    cases = DiagnosedCase.objects.restrict(user)
    q = quality(unit, first, last, cards=cards, cases=cases)
    zero_units = OrgUnit.objects.filter(code__in=q.zero_report_units).order_by("path")
    names = dict(unit.children.values_list("code", "name"))
    return render(request, "surveillance/dashboard.html", {
        "unit": unit, "units": scope_units(user), "first": first, "last": last, "form": form,
        "signals": signals, "levels": [(level, Level(level).label, sum(1 for r in signals if r["level"] == level))
                                       for level in LEVEL_ORDER],
        "diseases": Disease.objects.filter(active=True).order_by("code"), "disease": disease, "target": target,
        "curve": curve_data(user, disease, target, last) if disease else None,
        "tree": unit_tree(user, unit, first, last), "incidents": incident_rows(user, unit),
        "quality": quality_figures(q), "zero_units": zero_units,
        "quality_rows": [(names.get(row.unit, row.unit), row,
                          [pct(row.timely_report_rate), pct(row.timely_review_rate), pct(row.duplicate_rate),
                           pct(row.complete_rate), pct(row.accurate_rate), pct(row.missed_rate)])
                         for row in quality_by_child(unit, first, last, cards=cards, cases=cases)],
        "figures": signal_summary(signal_figures(first, last, signals=Signal.objects.restrict(user).filter(
            unit__path__startswith=unit.path))),
    })
