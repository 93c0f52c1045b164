"""The runs of background work, read-only in the admin (the database queue itself is shown by
django_tasks_db's own admin)."""

from django.contrib import admin

from yizhan.audit.admin_tools import AuditedAdmin, ServiceOnly
from yizhan.jobs.models import Hold, JobRun, Notification, PeriodicRun


class ReadOnly(ServiceOnly, AuditedAdmin):
    """Runs are written by the worker alone."""


@admin.register(JobRun)
class JobRunAdmin(ReadOnly):
    list_display = ("job", "key", "attempt", "status", "started_at", "finished_at", "retry_at", "backend")
    list_filter = ("status", "job", "backend")
    search_fields = ("job", "key", "task_id", "error")
    date_hierarchy = "started_at"


@admin.register(PeriodicRun)
class PeriodicRunAdmin(ReadOnly):
    list_display = ("job", "period", "enqueued_at", "task_id")
    list_filter = ("job",)


@admin.register(Notification)
class NotificationAdmin(ReadOnly):
    list_display = ("channel", "recipient", "subject", "sent_at", "key")
    list_filter = ("channel",)
    search_fields = ("recipient", "key", "subject")


@admin.register(Hold)
class HoldAdmin(ReadOnly):
    list_display = ("reason", "since", "until")
