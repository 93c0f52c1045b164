from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReliefConfig(AppConfig):
    name = "yizhan.relief"
    verbose_name = _("特困救助基金")
    url_prefix = "relief/"

    def ready(self) -> None:
        from yizhan.ledger.posting import register_commitments
        from yizhan.relief.applications import owed

        # An approved application's amount is spoken for: no other payment or reversal may spend it.
        register_commitments(owed)
