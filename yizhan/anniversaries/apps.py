from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnniversariesConfig(AppConfig):
    name = "yizhan.anniversaries"
    verbose_name = _("入党纪念日")
    url_prefix = "anniversaries/"
