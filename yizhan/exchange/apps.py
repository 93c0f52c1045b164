from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "yizhan.exchange"
    verbose_name = _("城乡教师交流")
    url_prefix = "exchange/"
