from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from yizhan.audit.admin_log import AuditedAdmin
from yizhan.clock.models import AccountabilityRecord, Timer, TimerPause
from yizhan.org.admin_scope import ScopedAdminMixin


class TimerPauseInline(admin.TabularInline):
    model = TimerPause
    extra = 0
    readonly_fields = ("reason", "note", "started_at", "ended_at", "created_by")
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Timer)
class TimerAdmin(ScopedAdminMixin, AuditedAdmin):
    list_display = ("subject_type", "subject_id", "purpose", "limit_amount", "limit_unit", "deadline", "level_display",
                    "provisional")
    list_filter = ("purpose", "limit_unit", "provisional", "accountable")
    search_fields = ("subject_id",)
    inlines = [TimerPauseInline]
    readonly_fields = [f.name for f in Timer._meta.fields]

    @admin.display(description=_("预警"))
    def level_display(self, obj: Timer) -> str:
        return str(obj.level().label)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AccountabilityRecord)
class AccountabilityRecordAdmin(ScopedAdminMixin, AuditedAdmin):
    list_display = ("subject_id", "responsible_user", "responsible_unit", "department", "deadline", "days_overdue",
                    "created_at")
    list_filter = ("department", "subject_type")
    search_fields = ("subject_id",)
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in AccountabilityRecord._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
