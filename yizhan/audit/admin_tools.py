"""Admin pieces every app uses: an object's audit trail as a table, and a ModelAdmin whose edits write
audit events in the admin's own transaction."""

from django.contrib import admin
from django.db import transaction
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from yizhan.audit.log import record
from yizhan.audit.models import AuditEvent


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


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class AuditedAdmin(admin.ModelAdmin):
    """Catalog edits write an audit event in the admin's own transaction."""

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        record(f"{obj._meta.label_lower}.{'changed' if change else 'created'}", obj, actor=request.user,
               fields=list(form.changed_data), values={f: form.cleaned_data.get(f) for f in form.changed_data})

    def save_formset(self, request, form, formset, change) -> None:
        super().save_formset(request, form, formset, change)
        if formset.has_changed():
            record(f"{form.instance._meta.label_lower}.{formset.prefix}_changed", form.instance,
                   actor=request.user, added=[str(o) for o in formset.new_objects],
                   changed=[str(o) for o, _f in formset.changed_objects],
                   deleted=[str(o) for o in formset.deleted_objects])

    def delete_model(self, request, obj) -> None:
        record(f"{obj._meta.label_lower}.deleted", obj, actor=request.user, name=str(obj))
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset) -> None:
        with transaction.atomic():
            for obj in queryset:
                self.delete_model(request, obj)
