from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Running Yizhan: `yizhan serve`, backups and restores, the shared cache's table."""

    name = "yizhan.ops"
    verbose_name = _("运行维护")
