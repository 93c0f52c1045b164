from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    name = "yizhan.ledger"
    verbose_name = _("资金台账")
