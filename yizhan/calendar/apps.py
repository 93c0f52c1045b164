from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils.translation import gettext_lazy as _


class CalendarConfig(AppConfig):
    label = "workcalendar"
    name = "yizhan.calendar"
    verbose_name = _("工作日历")

    def ready(self) -> None:
        from yizhan.calendar import checks  # noqa: F401  (registers the missing-year check)
        from yizhan.calendar.models import CalendarYear, DayOverride
        from yizhan.calendar.signals import (
            override_about_to_change,
            override_saved_or_deleted,
            year_saved_or_deleted,
        )

        for signal in (post_save, post_delete):
            signal.connect(override_saved_or_deleted, sender=DayOverride)
            signal.connect(year_saved_or_deleted, sender=CalendarYear)
        pre_save.connect(override_about_to_change, sender=DayOverride)
