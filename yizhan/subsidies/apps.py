from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubsidiesConfig(AppConfig):
    name = "yizhan.subsidies"
    verbose_name = _("学生资助")
    url_prefix = "subsidies/"
