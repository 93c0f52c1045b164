"""How a matter's limits relate (事项时限): the promised limit is no longer than the statutory one, an
on-the-spot matter (即办件) promises the day of acceptance, a green channel needs a limit no longer than
the promised one. Rules over plain values, below the models: the model's `clean` (the admin) and the
catalog's CSV import check with the same function."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MatterKind(models.TextChoices):
    # 即办件: completed on the day of acceptance (promised limit 0 working days, one-step completion).
    ON_THE_SPOT = "on_the_spot", _("即办件")
    PROMISED = "promised", _("承诺件")


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
