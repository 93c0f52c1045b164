from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClockConfig(AppConfig):
    name = "yizhan.clock"
    verbose_name = _("时限计时")

    def ready(self) -> None:
        from yizhan.calendar.signals import calendar_changed
        from yizhan.clock.recalculation import on_calendar_changed

        calendar_changed.connect(on_calendar_changed, dispatch_uid="clock-recompute")
