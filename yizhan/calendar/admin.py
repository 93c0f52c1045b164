"""Admin of the working-day calendar. A local override moves the open deadlines that span its day;
its audit event records each move (timer, what it times, old and new deadline)."""

from django.contrib import admin
from django.db import models

from yizhan.audit.admin_log import AuditedAdmin
from yizhan.calendar.models import CalendarYear, DayOverride


@admin.register(DayOverride)
class DayOverrideAdmin(AuditedAdmin):
    list_display = ("date", "is_workday", "source", "reason", "changed_at")
    list_filter = ("source", "is_workday")
    date_hierarchy = "date"
    search_fields = ("reason",)

    def audit_extra(self, request, obj: models.Model, change: bool) -> dict:
        # Filled by the calendar's signal as the clock moves deadlines (yizhan.calendar.signals).
        return {"moved": getattr(obj, "moved", [])}


@admin.register(CalendarYear)
class CalendarYearAdmin(AuditedAdmin):
    list_display = ("year", "source_note", "imported_at")
