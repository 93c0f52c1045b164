from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HallConfig(AppConfig):
    name = "yizhan.hall"
    verbose_name = _("行政服务大厅")
