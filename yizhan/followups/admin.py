from django.contrib import admin
from django.http import HttpRequest

from yizhan.audit.admin_log import AuditedAdmin
from yizhan.followups.models import FollowUp
from yizhan.org.admin_scope import ScopedAdminMixin


@admin.register(FollowUp)
class FollowUpAdmin(ScopedAdminMixin, AuditedAdmin):
    """Follow-ups are read here; they are opened by their apps and closed on /followups/ or the API,
    so each change keeps its timer and audit event."""

    list_display = ("title", "kind", "unit", "owner", "state", "deadline", "done_at", "on_time")
    list_filter = ("kind", "state", "on_time")
    search_fields = ("title", "unit__code", "unit__name")
    list_select_related = ("unit", "owner", "timer")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
