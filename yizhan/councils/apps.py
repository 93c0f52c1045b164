from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CouncilsConfig(AppConfig):
    name = "yizhan.councils"
    verbose_name = _("议事会")
    url_prefix = "councils/"
