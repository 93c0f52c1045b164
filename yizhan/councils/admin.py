from django.contrib import admin
from django.http import HttpRequest

from yizhan.audit.admin_log import AuditedAdmin
from yizhan.councils.models import Council, Meeting, Member, Proposal
from yizhan.org.admin_scope import ScopedAdminMixin


@admin.register(Council)
class CouncilAdmin(ScopedAdminMixin, AuditedAdmin):
    list_display = ("name", "unit")
    search_fields = ("name", "unit__code", "unit__name")


@admin.register(Member)
class MemberAdmin(ScopedAdminMixin, AuditedAdmin):
    list_display = ("name", "council", "user", "active")
    list_filter = ("active",)
    search_fields = ("name",)


class ReadOnly(ScopedAdminMixin, AuditedAdmin):
    """Meetings and proposals change through the council's screens and API, so each decision keeps
    its rules, follow-up item and audit event."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Meeting)
class MeetingAdmin(ReadOnly):
    list_display = ("council", "year", "quarter", "held_on", "published_at")
    list_filter = ("year", "quarter")


@admin.register(Proposal)
class ProposalAdmin(ReadOnly):
    list_display = ("meeting", "number", "title", "proposer", "outcome", "decided_at")
    list_filter = ("outcome",)
    search_fields = ("title", "proposer__name")
