from django.contrib import admin

from yizhan.audit.admin_log import AuditedAdmin
from yizhan.org.admin_scope import ScopedAdminMixin, ScopedInlineMixin
from yizhan.training.models import Attendance, Completion, Course, Requirement, Session, Topic, Trainee


@admin.register(Trainee)
class TraineeAdmin(ScopedAdminMixin, AuditedAdmin):
    list_display = ("code", "name", "unit", "post", "phone", "active")
    list_filter = ("post", "active")
    search_fields = ("code", "name")
    list_select_related = ("unit",)


@admin.register(Course)
class CourseAdmin(ScopedAdminMixin, AuditedAdmin):
    list_display = ("code", "name", "unit", "kind", "pass_score")
    list_filter = ("kind",)
    search_fields = ("code", "name")


@admin.register(Topic)
class TopicAdmin(ScopedAdminMixin, AuditedAdmin):
    list_display = ("name", "unit")
    search_fields = ("name",)


class AttendanceInline(ScopedInlineMixin, admin.TabularInline):
    model = Attendance
    fields = ("trainee", "attended", "score", "passed")
    raw_id_fields = ("trainee",)
    extra = 0


@admin.register(Session)
class SessionAdmin(ScopedAdminMixin, AuditedAdmin):
    list_display = ("date", "title", "course", "trainer", "hours")
    list_filter = ("course",)
    search_fields = ("title", "trainer")
    date_hierarchy = "date"
    filter_horizontal = ("topics",)
    inlines = [AttendanceInline]


@admin.register(Attendance)
class AttendanceAdmin(ScopedAdminMixin, AuditedAdmin):
    list_display = ("session", "trainee", "attended", "score", "passed")
    list_filter = ("attended", "passed")
    search_fields = ("trainee__code", "trainee__name")
    raw_id_fields = ("trainee", "session")


@admin.register(Completion)
class CompletionAdmin(ScopedAdminMixin, AuditedAdmin):
    list_display = ("trainee", "course", "completed_on", "hours", "score")
    search_fields = ("trainee__code", "trainee__name", "course__code")
    raw_id_fields = ("trainee", "course")


@admin.register(Requirement)
class RequirementAdmin(ScopedAdminMixin, AuditedAdmin):
    list_display = ("post", "unit", "hours_per_year")
    search_fields = ("post",)
