"""Admin pieces every app uses: an object's audit trail as a table, and the ModelAdmin whose edits write
audit events with the values before and after in the admin's own transaction (`AuditedAdmin`, from
`yizhan.audit.admin_log`)."""

from django.contrib import admin
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from yizhan.audit.admin_log import AuditedAdmin, AuditedAdminMixin
from yizhan.audit.models import AuditEvent

__all__ = ["AuditedAdmin", "AuditedAdminMixin", "ReadOnlyInline", "audit_history", "local_time"]


def local_time(dt) -> str:
    return f"{timezone.localtime(dt):%Y-%m-%d %H:%M}" if dt else "—"


def audit_history(object_type: str, object_id) -> str:
    events = AuditEvent.objects.filter(object_type=object_type, object_id=str(object_id)).order_by("at", "id")
    rows = format_html_join(
        "", "<tr><td>{}</td><td>{}</td><td>{}</td><td><code>{}</code></td></tr>",
        ((local_time(e.at), e.actor_label, e.action, e.changes) for e in events),
    )
    return format_html("<table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>{}</table>",
                       _("时间"), _("操作人"), _("动作"), _("变更内容"), rows)


class ServiceOnly:
    """An admin (or inline) that shows rows only the services write, so that each change keeps its
    ledger posting, its case and its audit events."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    """Rows shown under their parent that only the services change."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
