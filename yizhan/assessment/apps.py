from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "yizhan.assessment"
    verbose_name = _("基本公共卫生服务考核")
    url_prefix = "assessment/"
