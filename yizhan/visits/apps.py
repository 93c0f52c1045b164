from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisitsConfig(AppConfig):
    name = "yizhan.visits"
    verbose_name = _("帮困送温暖")
    url_prefix = "visits/"
