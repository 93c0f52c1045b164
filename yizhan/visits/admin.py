from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from yizhan.audit.admin_log import AuditedAdmin
from yizhan.ledger.money import yuan
from yizhan.org.admin_scope import ScopedAdminMixin
from yizhan.visits.models import Family, Festival, FestivalDate, FestivalReminder, Visit


@admin.register(Family)
class FamilyAdmin(ScopedAdminMixin, AuditedAdmin):
    list_display = ("household_no", "head_name", "employee_name", "members", "reason", "unit", "active")
    list_filter = ("reason", "active")
    search_fields = ("household_no", "head_name", "employee_name")


@admin.register(Visit)
class VisitAdmin(ScopedAdminMixin, AuditedAdmin):
    """Visits are read here: they are recorded on /visits/ or the API, so their payments reach the ledger."""

    list_display = ("visited_on", "family", "visitors", "festival", "budget", "consolation", "study_aid")
    list_filter = ("festival", "budget")
    search_fields = ("family__household_no", "family__head_name", "visitors")
    date_hierarchy = "visited_on"
    list_select_related = ("family", "festival", "budget")

    @admin.display(description=_("慰问金（元）"))
    def consolation(self, obj: Visit) -> str:
        return yuan(obj.consolation_fen)

    @admin.display(description=_("助学帮困费（元）"))
    def study_aid(self, obj: Visit) -> str:
        return yuan(obj.study_aid_fen)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class FestivalDateInline(admin.TabularInline):
    model = FestivalDate
    extra = 1


@admin.register(Festival)
class FestivalAdmin(AuditedAdmin):
    """The festivals and the table of their lunar dates (not in any unit's tree: kept by administrators)."""

    list_display = ("code", "name", "month", "day", "remind_days", "season_days", "active")
    inlines = [FestivalDateInline]


@admin.register(FestivalReminder)
class FestivalReminderAdmin(ScopedAdminMixin, AuditedAdmin):
    list_display = ("festival", "year", "unit", "sent_on", "festival_on", "families", "recipients")
    list_filter = ("festival", "year")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
