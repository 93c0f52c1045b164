"""The quality records are read here and changed through the services (/quality/ and the API), so
every change keeps its audit event and its follow-up items on the clock."""

from django.contrib import admin

from yizhan.audit.admin_log import AuditedAdmin
from yizhan.audit.admin_tools import ServiceOnly
from yizhan.org.admin_scope import ScopedAdminMixin, ScopedInlineMixin
from yizhan.quality.models import Audit, AuditPlan, Finding, ManagementReview, ReviewInput


@admin.register(AuditPlan)
class AuditPlanAdmin(ServiceOnly, ScopedAdminMixin, AuditedAdmin):
    list_display = ("code", "title", "year", "cdc", "standard")
    list_filter = ("year",)


@admin.register(Audit)
class AuditAdmin(ServiceOnly, ScopedAdminMixin, AuditedAdmin):
    list_display = ("department", "plan", "planned_on", "lead_auditor", "state", "conducted_on")
    list_filter = ("plan", "state")
    list_select_related = ("department", "plan", "lead_auditor")


@admin.register(Finding)
class FindingAdmin(ServiceOnly, ScopedAdminMixin, AuditedAdmin):
    list_display = ("audit", "seq", "kind", "clause", "raised_at")
    list_filter = ("kind", "audit__plan")
    search_fields = ("clause", "description", "audit__department__name")
    list_select_related = ("audit__department", "audit__plan")


class ReviewInputInline(ServiceOnly, ScopedInlineMixin, admin.StackedInline):
    model = ReviewInput
    extra = 0


@admin.register(ManagementReview)
class ManagementReviewAdmin(ServiceOnly, ScopedAdminMixin, AuditedAdmin):
    list_display = ("code", "held_on", "chair", "cdc")
    inlines = [ReviewInputInline]
