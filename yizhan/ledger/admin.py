from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from yizhan.audit.admin_log import AuditedAdmin
from yizhan.audit.admin_tools import ReadOnlyInline
from yizhan.ledger.models import Account, Entry
from yizhan.ledger.money import yuan
from yizhan.org.admin_scope import ScopedAdminMixin


class EntryInline(ReadOnlyInline):
    model = Entry
    fields = ("booked_at", "amount_fen", "balance_after_fen", "category", "party", "memo", "reverses")
    ordering = ("-booked_at", "-id")
    max_num = 0


@admin.register(Account)
class AccountAdmin(ScopedAdminMixin, AuditedAdmin):
    list_display = ("code", "name", "kind", "unit", "balance", "active")
    list_filter = ("kind", "active")
    search_fields = ("code", "name")
    readonly_fields = ("balance_fen",)
    inlines = [EntryInline]

    @admin.display(description=_("余额（元）"))
    def balance(self, obj: Account) -> str:
        return yuan(obj.balance_fen)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # an account with entries is kept for good; deactivate it instead


@admin.register(Entry)
class EntryAdmin(ScopedAdminMixin, AuditedAdmin):
    """Entries are read here; they are posted and reversed through the services and the API."""

    list_display = ("account", "booked_at", "amount_fen", "balance_after_fen", "category", "party", "reverses")
    list_filter = ("category",)
    search_fields = ("party", "memo", "account__code")
    date_hierarchy = "booked_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
