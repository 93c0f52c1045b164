from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from yizhan.audit.admin_log import AuditedAdmin
from yizhan.audit.admin_tools import ServiceOnly
from yizhan.ledger.money import yuan
from yizhan.org.admin_scope import ScopedAdminMixin
from yizhan.relief.models import Application, Contribution, Fund, Member, Rules
from yizhan.relief.rules import sync_materials


@admin.register(Fund)
class FundAdmin(ScopedAdminMixin, AuditedAdmin):
    list_display = ("code", "name", "company", "account", "balance", "matter", "window", "active")
    list_filter = ("active",)
    search_fields = ("code", "name")
    list_select_related = ("company", "account", "matter", "window")

    @admin.display(description=_("余额（元）"))
    def balance(self, obj: Fund) -> str:
        return yuan(obj.account.balance_fen)


@admin.register(Rules)
class RulesAdmin(ScopedAdminMixin, AuditedAdmin):
    """Versions of the management rules are data: a new version with a later start date takes over
    from that day; applications keep the version they were received under."""

    list_display = ("fund", "version", "title", "effective_from", "per_person", "per_year")
    list_filter = ("fund",)
    search_fields = ("version", "title")

    @admin.display(description=_("每人每年上限（元）"))
    def per_person(self, obj: Rules) -> str:
        return yuan(obj.ceiling_per_person_fen)

    @admin.display(description=_("每年总额上限（元）"))
    def per_year(self, obj: Rules) -> str:
        return yuan(obj.ceiling_per_year_fen)

    def save_model(self, request: HttpRequest, obj: Rules, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        sync_materials(obj)


@admin.register(Member)
class MemberAdmin(ScopedAdminMixin, AuditedAdmin):
    list_display = ("staff_no", "name", "resident_id", "department", "fund", "active")
    list_filter = ("fund", "active")
    search_fields = ("staff_no", "name", "resident_id")


@admin.register(Contribution)
class ContributionAdmin(ServiceOnly, ScopedAdminMixin, AuditedAdmin):
    list_display = ("received_at", "fund", "kind", "contributor", "contributors", "amount", "entry")
    list_filter = ("fund", "kind")
    search_fields = ("contributor", "staff_no")
    list_select_related = ("fund", "entry")

    @admin.display(description=_("金额（元）"))
    def amount(self, obj: Contribution) -> str:
        return yuan(obj.amount_fen)


@admin.register(Application)
class ApplicationAdmin(ServiceOnly, ScopedAdminMixin, AuditedAdmin):
    list_display = ("case", "fund", "member", "illness", "requested_yuan", "amount_yuan", "state", "submitted_at",
                    "paid_at")
    list_filter = ("fund", "state")
    search_fields = ("case__case_no", "member__name", "member__staff_no")
    list_select_related = ("case", "fund", "member")
