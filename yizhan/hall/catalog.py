"""Rules of the matter catalog: how the limits relate, which windows accept a matter."""

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from yizhan.errors import InvalidInput
from yizhan.hall.models import Matter, MatterKind
from yizhan.org.models import OrgUnit, UnitKind


def limit_errors(
    *, kind: str, statutory_days: int | None, promised_days: int | None, green_channel: bool,
    green_channel_days: int | None,
) -> dict[str, str]:
    """Every broken limit rule, keyed by field: promised <= statutory, an on-the-spot matter promises
    the day of acceptance (0 working days), a green channel needs a limit no longer than the promised one."""
    errors: dict[str, str] = {}
    if kind not in MatterKind.values:
        errors["kind"] = str(_("办件类型须为 on_the_spot（即办件）或 promised（承诺件）"))
    if statutory_days is not None and promised_days is not None and promised_days > statutory_days:
        errors["promised_days"] = str(_("承诺时限不能长于法定时限"))
    if kind == MatterKind.ON_THE_SPOT and promised_days not in (None, 0):
        errors["promised_days"] = str(_("即办件的承诺时限为 0 个工作日（受理当日办结）"))
    if green_channel and green_channel_days is None:
        errors["green_channel_days"] = str(_("适用绿色通道的事项必须设定绿色通道时限"))
    if green_channel_days is not None and promised_days is not None and green_channel_days > promised_days:
        errors["green_channel_days"] = str(_("绿色通道时限不能长于承诺时限"))
    return errors


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
