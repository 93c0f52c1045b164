from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CalendarConfig(AppConfig):
    label = "workcalendar"
    name = "yizhan.calendar"
    verbose_name = _("工作日历")
