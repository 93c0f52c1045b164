"""Programmes and their indicators are edited here (the scoring sheets are data); rounds, sheets
and scores are read here and changed through the services (/assessment/ and the API), so each change
keeps its totals, audit event and rectification items."""

from django.contrib import admin
from django.http import HttpRequest

from yizhan.assessment.models import Assessment, Indicator, Programme, Round, Score
from yizhan.audit.admin_log import AuditedAdmin
from yizhan.org.admin_scope import ScopedAdminMixin, ScopedInlineMixin


class IndicatorInline(ScopedInlineMixin, admin.TabularInline):
    model = Indicator
    extra = 0
    fields = ("code", "name", "max_score", "weight", "evidence_required", "sort")


@admin.register(Programme)
class ProgrammeAdmin(ScopedAdminMixin, AuditedAdmin):
    list_display = ("code", "name", "managed_by_cdc", "lead_agency", "cdc")
    list_filter = ("managed_by_cdc",)
    search_fields = ("code", "name")
    inlines = [IndicatorInline]


@admin.register(Indicator)
class IndicatorAdmin(ScopedAdminMixin, AuditedAdmin):
    list_display = ("code", "name", "programme", "max_score", "weight")
    list_filter = ("programme",)
    search_fields = ("code", "name")


class ReadOnly:
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Round)
class RoundAdmin(ReadOnly, ScopedAdminMixin, AuditedAdmin):
    list_display = ("code", "name", "year", "cdc", "pass_mark", "state", "closed_at")
    list_filter = ("state", "year")


@admin.register(Assessment)
class AssessmentAdmin(ReadOnly, ScopedAdminMixin, AuditedAdmin):
    list_display = ("unit", "round", "total", "scored", "complete", "passed")
    list_filter = ("round", "passed", "unit__kind")
    search_fields = ("unit__code", "unit__name")
    list_select_related = ("unit", "round")


@admin.register(Score)
class ScoreAdmin(ReadOnly, ScopedAdminMixin, AuditedAdmin):
    list_display = ("assessment", "indicator", "score", "evidence_ref", "entered_by", "entered_at")
    list_filter = ("assessment__round",)
    search_fields = ("assessment__unit__code", "indicator__code")
    list_select_related = ("assessment__unit", "assessment__round", "indicator")
