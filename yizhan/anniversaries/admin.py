from django.contrib import admin
from django.http import HttpRequest

from yizhan.anniversaries.models import Card, PartyMember
from yizhan.audit.admin_log import AuditedAdmin
from yizhan.org.admin_scope import ScopedAdminMixin


@admin.register(PartyMember)
class PartyMemberAdmin(ScopedAdminMixin, AuditedAdmin):
    list_display = ("member_no", "name", "unit", "joined_on", "phone", "active")
    list_filter = ("active",)
    search_fields = ("member_no", "name")
    date_hierarchy = "joined_on"


@admin.register(Card)
class CardAdmin(ScopedAdminMixin, AuditedAdmin):
    """Cards are made by the daily run only (once a member a year)."""

    list_display = ("member", "year", "sent_on", "years", "channel")
    list_filter = ("year", "channel")
    search_fields = ("member__member_no", "member__name")
    date_hierarchy = "sent_on"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
