from django.contrib import admin

from yizhan.calendar.models import CalendarYear, DayOverride


@admin.register(DayOverride)
class DayOverrideAdmin(admin.ModelAdmin):
    list_display = ("date", "is_workday", "source", "reason", "changed_at")
    list_filter = ("source", "is_workday")
    date_hierarchy = "date"
    search_fields = ("reason",)


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ("year", "source_note", "imported_at")
