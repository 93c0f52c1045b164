from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class SurveillanceConfig(AppConfig):
    name = "yizhan.surveillance"
    verbose_name = _("疫情监测预警")
    url_prefix = "surveillance/"

    def ready(self) -> None:
        from yizhan.surveillance.catalog import load_catalog

        # The catalog comes with the code: a fresh database has it as soon as it is migrated.
        post_migrate.connect(load_catalog, sender=self, dispatch_uid="surveillance-catalog")
