from django.contrib import admin
from django.http import HttpRequest

from yizhan.audit.admin_log import AuditedAdmin
from yizhan.liaison.models import BriefIssue, LiaisonPoint, Problem, Visit
from yizhan.org.admin_scope import ScopedAdminMixin


class ReadOnly(ScopedAdminMixin, AuditedAdmin):
    """Changed through the liaison services (screens, API), which keep the rules and the audit log."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(LiaisonPoint)
class LiaisonPointAdmin(ReadOnly):
    list_display = ("school", "leader", "started_on", "ended_on")


@admin.register(Visit)
class VisitAdmin(ReadOnly):
    list_display = ("point", "visited_on", "recorded_at")


@admin.register(Problem)
class ProblemAdmin(ReadOnly):
    list_display = ("description", "visit", "follow_up")


@admin.register(BriefIssue)
class BriefIssueAdmin(ReadOnly):
    list_display = ("title", "number", "bureau", "first_day", "last_day", "issued_at")
