"""The 统计 page of the admin: the hall's figures (`yizhan.hall.stats`) over a period and a subtree,
with the same definitions as `yizhan hall stats` and the API.

`install(site)` adds the page at admin/hall/stats/ and lists it in the hall's section of the admin
index (and of the hall's own index page) for staff who may view cases. It is idempotent. The figures
cover only the subtrees of the person's hall roles (`yizhan.org.scope`); superusers may see the whole tree."""

from datetime import date
from typing import Any, cast

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, QueryDict
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yizhan.calendar.workdays import local_date
from yizhan.hall.stats import FIGURE_KEYS, FIGURE_LABELS, format_value, hall_figures, window_figures
from yizhan.org.models import OrgUnit, UnitKind
from yizhan.org.scope import HALL_STAFF, held_paths, units
from yizhan.ui.forms import DateField

APP_LABEL = "hall"
URL_NAME = "hall_stats"
PERMISSION = "hall.view_case"
WINDOW_KEYS = ("accepted", "completed", "on_the_spot_rate", "on_time_rate", "overdue_open", "accountability",
               "valid_complaints")


class StatsForm(forms.Form):
    first = DateField(label=_("起始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    last = DateField(label=_("截止日期（含当天）"), widget=forms.DateInput(attrs={"type": "date"}))
    unit = forms.ModelChoiceField(
        label=_("机构"), required=False, to_field_name="code", empty_label=_("全部机构"),
        queryset=OrgUnit.objects.filter(kind__in=(UnitKind.CENTER, UnitKind.DEPARTMENT, UnitKind.WINDOW)),
        help_text=_("含其下级部门和窗口"),
    )

    def __init__(self, data: QueryDict, *, user: Any) -> None:
        """The units offered are those of `user`'s subtrees; whoever does not see the whole tree must
        pick one of them (the highest by default), so the figures never cover another unit's rows."""
        field = cast(forms.ModelChoiceField, self.base_fields["unit"])
        queryset = field.queryset.filter(pk__in=units(user, HALL_STAFF)).order_by("path")
        whole_tree = held_paths(user, HALL_STAFF) is None
        if not whole_tree and not data.get("unit") and queryset.exists():
            data = data.copy()
            data["unit"] = queryset.first().code
        super().__init__(data)
        unit = cast(forms.ModelChoiceField, self.fields["unit"])
        unit.queryset = queryset
        if not whole_tree:
            unit.required, unit.empty_label = True, None

    def clean(self) -> dict:
        data = super().clean()
        first, last = data.get("first"), data.get("last")
        if first and last and first > last:
            self.add_error("last", _("截止日期不能早于起始日期"))
        return data


def default_period(today: date) -> dict[str, str]:
    """The current month up to today."""
    return {"first": today.replace(day=1).isoformat(), "last": today.isoformat()}


def stats_view(request: HttpRequest, site: admin.AdminSite) -> HttpResponse:
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    data: QueryDict = request.GET
    if not data:
        data = QueryDict(mutable=True)
        data.update(default_period(local_date(timezone.now())))
    form = StatsForm(data, user=request.user)
    figures = rows = per_window = None
    if form.is_valid():
        first, last, unit = form.cleaned_data["first"], form.cleaned_data["last"], form.cleaned_data["unit"]
        figures = hall_figures(first, last, unit)
        rows = [(FIGURE_LABELS[key], key, format_value(key, getattr(figures, key))) for key in FIGURE_KEYS]
        per_window = [
            (window, [format_value(key, getattr(f, key)) for key in WINDOW_KEYS])
            for window, f in window_figures(first, last, unit).items()
        ]
    context = {
        **site.each_context(request),
        "title": _("大厅统计"),
        "app_label": APP_LABEL,
        "form": form,
        "figures": figures,
        "rows": rows,
        "window_headers": [(FIGURE_LABELS[key], key) for key in WINDOW_KEYS],
        "per_window": per_window,
    }
    request.current_app = site.name
    return TemplateResponse(request, "admin/hall/stats.html", context)


def install(site: admin.AdminSite = admin.site) -> None:
    """Serve the page from `site` and list it under the hall in the admin index."""
    if getattr(site, "_hall_stats_installed", False):
        return
    site._hall_stats_installed = True  # type: ignore[attr-defined]  # a mark on the one site object
    get_urls, get_app_list = site.get_urls, site.get_app_list

    def urls() -> list:
        view = site.admin_view(lambda request: stats_view(request, site))
        return [path(f"{APP_LABEL}/stats/", view, name=URL_NAME), *get_urls()]

    def app_list(request: HttpRequest, app_label: str | None = None) -> list[dict]:
        apps = get_app_list(request, app_label)
        if not request.user.has_perm(PERMISSION):
            return apps
        try:
            url = reverse(f"{site.name}:{URL_NAME}", current_app=site.name)
        except NoReverseMatch:  # a URLconf built before install(): no page to link to
            return apps
        for app in apps:
            if app["app_label"] == APP_LABEL:
                app["models"].append({
                    "name": _("统计"), "object_name": "HallStats", "model": None,
                    "perms": {"add": False, "change": False, "delete": False, "view": True},
                    "admin_url": url, "add_url": None, "view_only": True,
                })
        return apps

    site.get_urls, site.get_app_list = urls, app_list  # type: ignore[method-assign]  # this site's own
