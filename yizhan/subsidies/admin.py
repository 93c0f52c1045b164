from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from yizhan.audit.admin_log import AuditedAdmin
from yizhan.audit.admin_tools import ReadOnlyInline, ServiceOnly
from yizhan.ledger.money import yuan
from yizhan.org.admin_scope import ScopedAdminMixin, ScopedInlineMixin
from yizhan.subsidies.models import Batch, Grant, Programme, Pupil, School, Term, Township


@admin.register(Township)
class TownshipAdmin(AuditedAdmin):
    list_display = ("code", "name", "remote")
    list_filter = ("remote",)
    search_fields = ("code", "name")


@admin.register(Term)
class TermAdmin(AuditedAdmin):
    list_display = ("code", "name", "first_day", "last_day")


@admin.register(School)
class SchoolAdmin(ScopedAdminMixin, AuditedAdmin):
    list_display = ("unit", "township", "cold_area")
    list_filter = ("township", "cold_area")
    search_fields = ("unit__code", "unit__name")


@admin.register(Programme)
class ProgrammeAdmin(ScopedAdminMixin, AuditedAdmin):
    """Programmes are data: eligibility, amount per pupil and term, budget account and the matter
    whose promised limit the bureau's approval runs against."""

    list_display = ("code", "name", "eligibility", "amount", "matter", "account", "active")
    list_filter = ("eligibility", "active")
    search_fields = ("code", "name")

    @admin.display(description=_("每生每学期（元）"))
    def amount(self, obj: Programme) -> str:
        return yuan(obj.amount_fen)


@admin.register(Pupil)
class PupilAdmin(ScopedAdminMixin, AuditedAdmin):
    list_display = ("resident_id", "name", "school", "township", "boarder", "grade", "active")
    list_filter = ("boarder", "active", "township")
    search_fields = ("resident_id", "name")
    list_select_related = ("school", "township")


class GrantInline(ScopedInlineMixin, ReadOnlyInline):
    model = Grant
    fields = ("pupil", "amount_fen", "boarder", "counted")
    max_num = 0


@admin.register(Batch)
class BatchAdmin(ServiceOnly, ScopedAdminMixin, AuditedAdmin):
    """Batches are read here: they are submitted by schools and decided on the screens or the API,
    so each step keeps its case, timers, ledger posting and audit events."""

    list_display = ("case", "programme", "term", "school", "pupils", "amount", "state", "submitted_at", "decided_at")
    list_filter = ("state", "programme", "term")
    search_fields = ("case__case_no", "school__name")
    list_select_related = ("case", "programme", "term", "school")
    inlines = [GrantInline]

    @admin.display(description=_("金额（元）"))
    def amount(self, obj: Batch) -> str:
        return yuan(obj.amount_fen)


@admin.register(Grant)
class GrantAdmin(ServiceOnly, ScopedAdminMixin, AuditedAdmin):
    list_display = ("pupil", "programme", "term", "amount_fen", "boarder", "counted", "batch")
    list_filter = ("programme", "term", "counted")
    search_fields = ("pupil__resident_id", "pupil__name")
    list_select_related = ("pupil", "programme", "term", "batch", "batch__case")

