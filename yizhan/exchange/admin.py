from django.contrib import admin
from django.http import HttpRequest

from yizhan.audit.admin_log import AuditedAdmin
from yizhan.exchange.models import Assignment, SchoolSite, Teacher
from yizhan.org.admin_scope import ScopedAdminMixin


@admin.register(SchoolSite)
class SchoolSiteAdmin(ScopedAdminMixin, AuditedAdmin):
    list_display = ("school", "area")
    list_filter = ("area",)


@admin.register(Teacher)
class TeacherAdmin(ScopedAdminMixin, AuditedAdmin):
    list_display = ("code", "name", "school", "sex", "birth_year", "subject")
    list_filter = ("sex", "subject")
    search_fields = ("code", "name")
    exclude = ("resident_id",)  # validated at registration and imports only

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Assignment)
class AssignmentAdmin(ScopedAdminMixin, AuditedAdmin):
    """Made through the exchange's screen, API and import, which refuse overlapping periods."""

    list_display = ("teacher", "from_school", "to_school", "start", "end")
    date_hierarchy = "start"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
