from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "yizhan.training"
    verbose_name = _("培训记录")
    url_prefix = "training/"
