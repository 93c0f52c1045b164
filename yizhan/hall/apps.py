from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HallConfig(AppConfig):
    name = "yizhan.hall"
    verbose_name = _("行政服务大厅")

    def ready(self) -> None:
        from yizhan.clock.models import AccountabilityRecord
        from yizhan.org.scope import HALL_STAFF, ScopeRule, register
        from yizhan.subcommands import extend

        # A breach belongs to the window that was responsible and to its department.
        register(AccountabilityRecord, ScopeRule(units=("responsible_unit", "department"), roles=HALL_STAFF))
        # `yizhan org import-staff`: staff carry the hall's badge numbers, so the hall adds it.
        extend("yizhan.org.commands", "yizhan.hall.org_commands")
