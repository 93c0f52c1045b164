"""Rules of the matter catalog: which windows accept a matter (how its limits relate: `matter_limits`)."""

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from yizhan.errors import InvalidInput
from yizhan.hall.models import Matter
from yizhan.org.models import OrgUnit, UnitKind


def check_window_accepts(matter: Matter, window: OrgUnit, *, accepting_ids: list[int] | None = None) -> None:
    """A window accepts a matter if it is listed among the matter's windows, or, when none are listed,
    if it belongs to the matter's department."""
    if window.kind != UnitKind.WINDOW:
        raise InvalidInput(_("受理单位必须是窗口"), field="window", rule="not_a_window")
    if accepting_ids is None:
        accepting_ids = list(matter.windows.values_list("pk", flat=True))
    if accepting_ids:
        ok = window.pk in accepting_ids
    else:
        ok = window.parent_id == matter.department_id
    if not ok:
        raise InvalidInput(
            _("窗口 %(window)s 不受理事项 %(matter)s") % {"window": window.code, "matter": matter.code},
            field="window", rule="window_does_not_accept",
        )
    if not matter.active:
        raise InvalidInput(_("事项 %(matter)s 已停用") % {"matter": matter.code}, field="matter",
                           rule="matter_inactive")


def matters_accepted_at(window: OrgUnit) -> QuerySet[Matter]:
    """The active matters `window` accepts, by the rule of `check_window_accepts`."""
    return (Matter.objects.filter(active=True)
            .filter(Q(windows=window) | Q(windows__isnull=True, department_id=window.parent_id))
            .distinct().order_by("code"))
