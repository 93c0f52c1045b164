from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupsConfig(AppConfig):
    name = "yizhan.followups"
    verbose_name = _("督办事项")
    url_prefix = "followups/"
