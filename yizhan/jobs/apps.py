from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from yizhan.plugins import app_modules


class JobsConfig(AppConfig):
    name = "yizhan.jobs"
    verbose_name = _("后台任务")

    def ready(self) -> None:
        # Every app's tasks.py registers its jobs (importing it is enough), so a worker knows them all.
        app_modules("tasks")
