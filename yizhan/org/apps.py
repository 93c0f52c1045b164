from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "yizhan.org"
    verbose_name = _("组织机构")

    def ready(self) -> None:
        from yizhan.audit.admin import scope_events
        from yizhan.org.scope import restrict_subjects

        scope_events(restrict_subjects)  # the audit log's admin shows only events about rows in one's scope
