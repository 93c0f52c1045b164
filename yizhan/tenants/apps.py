from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenantsConfig(AppConfig):
    name = "yizhan.tenants"
    verbose_name = _("出租房屋与租户")
    url_prefix = "tenants/"
