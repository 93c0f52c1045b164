from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HallConfig(AppConfig):
    name = "yizhan.hall"
    verbose_name = _("行政服务大厅")

    def ready(self) -> None:
        from yizhan.clock.models import AccountabilityRecord, Timer
        from yizhan.org.scope import HALL_STAFF, ScopeRule, register

        # A breach belongs to the window that was responsible and to its department.
        register(AccountabilityRecord, ScopeRule(units=("responsible_unit", "department"), roles=HALL_STAFF))
        # A case's timers belong to its window (the unit responsible for the deadline).
        register(Timer, ScopeRule(units=("responsible_unit",), roles=HALL_STAFF))
