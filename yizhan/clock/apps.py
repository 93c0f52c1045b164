from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClockConfig(AppConfig):
    name = "yizhan.clock"
    verbose_name = _("时限计时")
