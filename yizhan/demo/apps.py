from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo city and the other demo data: generators and their replay through the services.
    Nothing else imports this app."""

    name = "yizhan.demo"
    verbose_name = _("演示数据")
