from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "yizhan.jobs"
    verbose_name = _("后台任务")

    def ready(self) -> None:
        # Every app's tasks.py registers its jobs, so a worker knows them all.
        autodiscover_modules("tasks")
