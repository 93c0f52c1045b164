"""Admin screens of the surveillance system. The disease catalog and the detector settings are edited
here (each edit an audit event, the history shown on the page); cards, signals and incidents are
read-only here: their state changes go through the service functions and their rules. Every list
goes through the one scope rule."""

from django.contrib import admin

from yizhan.audit.admin_privacy import RevealingAdminMixin
from yizhan.audit.admin_tools import AuditedAdmin, ReadOnlyInline, ServiceOnly, audit_history
from yizhan.org.admin_scope import ScopedAdminMixin
from yizhan.surveillance.models import (
    AggregateCount,
    Alarm,
    CaseCard,
    DetectionRun,
    DetectorConfig,
    DiagnosedCase,
    Disease,
    Duty,
    GradeChange,
    Incident,
    IncidentLog,
    IncidentReport,
    MonitoringSample,
    OptionCombo,
    SentinelResult,
    Signal,
)


class ScopedAdmin(ScopedAdminMixin, AuditedAdmin):
    """Rows in the user's scope only (`yizhan.org.admin_scope`), edits audited."""


class ReadOnlyAdmin(ServiceOnly, ScopedAdmin):
    """Rows the surveillance services write (cards, signals, …), read here."""


class DetectorInline(admin.TabularInline):
    model = DetectorConfig
    extra = 0
    autocomplete_fields = ("unit",)


@admin.register(Disease)
class DiseaseAdmin(AuditedAdmin):
    list_display = ("code", "name", "name_en", "disease_class", "report_hours", "default_method", "retired_on",
                    "active")
    list_filter = ("disease_class", "default_method", "active")
    search_fields = ("code", "name", "name_en")
    readonly_fields = ("history",)
    inlines = [DetectorInline]

    @admin.display(description="操作记录")
    def history(self, obj: Disease) -> str:
        return audit_history(Disease._meta.label_lower, obj.pk) if obj.pk else ""


@admin.register(DetectorConfig)
class DetectorConfigAdmin(AuditedAdmin):
    list_display = ("disease", "level", "unit", "method", "params", "active")
    list_filter = ("level", "method", "active")
    search_fields = ("disease__code", "disease__name", "unit__code")
    autocomplete_fields = ("unit",)


@admin.register(Duty)
class DutyAdmin(ScopedAdmin):
    list_display = ("unit", "user", "phone", "first_day", "last_day")
    autocomplete_fields = ("unit",)


@admin.register(CaseCard)
class CaseCardAdmin(RevealingAdminMixin, ReadOnlyAdmin):
    """A card's page is its case detail: ID number and phone in full for staff in scope, each view audited."""

    list_display = ("card_no", "kind", "name", "disease", "classification", "reporting_unit", "entered_by_unit",
                    "residence_unit", "filled_on", "reported_at", "late", "state")
    list_filter = ("state", "kind", "late", "classification", ("disease", admin.RelatedOnlyFieldListFilter))
    search_fields = ("card_no", "name", "id_number")
    list_select_related = ("disease", "reporting_unit", "entered_by_unit")
    readonly_fields = ("history",)

    @admin.display(description="操作记录")
    def history(self, obj: CaseCard) -> str:
        return audit_history(CaseCard._meta.label_lower, obj.pk)


class AlarmInline(ReadOnlyInline):
    model = Alarm


@admin.register(Signal)
class SignalAdmin(ReadOnlyAdmin):
    list_display = ("opened_on", "disease", "unit", "method", "state", "responded_at")
    list_filter = ("state", "method", ("disease", admin.RelatedOnlyFieldListFilter))
    inlines = [AlarmInline]


class LogInline(ReadOnlyInline):
    model = IncidentLog


class SampleInline(ReadOnlyInline):
    model = MonitoringSample


class GradeInline(ReadOnlyInline):
    model = GradeChange


class ReportInline(ReadOnlyInline):
    model = IncidentReport


@admin.register(Incident)
class IncidentAdmin(ReadOnlyAdmin):
    list_display = ("title", "kind", "grade", "unit", "started_at", "state")
    list_filter = ("kind", "grade", "state")
    inlines = [GradeInline, ReportInline, LogInline, SampleInline]


@admin.register(OptionCombo)
class OptionComboAdmin(AuditedAdmin):
    """DHIS2 category and attribute option combos, mapped to the card's sex, age group and classification."""

    list_display = ("code", "kind", "name", "sex", "age_from", "age_to", "classification")
    list_filter = ("kind",)
    search_fields = ("code", "name")


@admin.register(DiagnosedCase)
class DiagnosedCaseAdmin(ReadOnlyAdmin):
    list_display = ("unit", "his_id", "disease", "name", "diagnosed_on", "imported_at")
    search_fields = ("his_id", "name", "id_number")


@admin.register(AggregateCount)
class AggregateCountAdmin(ReadOnlyAdmin):
    list_display = ("disease", "unit", "period", "period_type", "category_option_combo", "attribute_option_combo",
                    "value")
    list_filter = ("period_type",)


@admin.register(SentinelResult)
class SentinelResultAdmin(ReadOnlyAdmin):
    list_display = ("unit", "disease", "group", "round", "tested", "positive")


@admin.register(DetectionRun)
class DetectionRunAdmin(AuditedAdmin):
    list_display = ("day", "ran_at", "series", "alarms")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
