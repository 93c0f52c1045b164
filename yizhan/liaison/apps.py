from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiaisonConfig(AppConfig):
    name = "yizhan.liaison"
    verbose_name = _("联系点")
    url_prefix = "liaison/"
