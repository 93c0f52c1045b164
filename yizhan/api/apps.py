from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from yizhan import textlimits


class ApiConfig(AppConfig):
    name = "yizhan.api"
    verbose_name = _("接口")

    def ready(self) -> None:
        # Every entry point (API, screens, admin, commands, imports) loads the installed apps, so the
        # text-length guard installed here covers every save of Yizhan's models.
        textlimits.install()
