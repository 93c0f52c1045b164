from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QualityConfig(AppConfig):
    name = "yizhan.quality"
    verbose_name = _("质量管理")
    url_prefix = "quality/"
