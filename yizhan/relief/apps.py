from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReliefConfig(AppConfig):
    name = "yizhan.relief"
    verbose_name = _("特困救助基金")
    url_prefix = "relief/"
