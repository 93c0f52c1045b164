"""Change logging of the admin: every add, change and delete made through any app's admin — the
inline rows and many-to-many choices included — writes an audit event with the values before and
after, in the admin's own transaction (the admin wraps each save and delete in one).

Apps build their ModelAdmins on `AuditedAdmin` (or put `AuditedAdminMixin` before another admin
class, as for users). Events are named `<app>.<model>.created|changed|deleted` and carry
`before`, `after` (field → value; personal data masked, secrets only marked), `fields` (what
differed), `via: "admin"` and, for an inline row, `parent`. An admin adds what a change moved
elsewhere by overriding `audit_extra`."""

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.db import models, router, transaction
from django.db.models.deletion import Collector
from django.http import HttpRequest

from yizhan.audit.log import record
from yizhan.audit.privacy import masked

if TYPE_CHECKING:  # the admin class the mixin is put before
    _ModelAdmin = admin.ModelAdmin
else:
    _ModelAdmin = object


def snapshot(obj: models.Model) -> dict[str, Any]:
    """The stored values of `obj`: its columns (foreign keys as ids) and many-to-many choices."""
    values: dict[str, Any] = {f.name: f.value_from_object(obj) for f in obj._meta.concrete_fields}
    if obj.pk is not None:
        for field in obj._meta.many_to_many:
            values[field.name] = sorted(getattr(obj, field.name).values_list("pk", flat=True))
    return masked(obj, values)


def stored(obj: models.Model) -> dict[str, Any] | None:
    """The snapshot of `obj` as the database holds it now (None if it is not stored yet)."""
    if obj.pk is None:
        return None
    current = type(obj)._base_manager.filter(pk=obj.pk).first()
    return snapshot(current) if current is not None else None


def differing(before: dict | None, after: dict | None) -> list[str]:
    before, after = before or {}, after or {}
    return sorted(k for k in {*before, *after} if before.get(k) != after.get(k))


def record_change(request: HttpRequest, obj: models.Model | tuple[str, str], verb: str, before: dict | None,
                  after: dict | None, **extra: Any) -> None:
    label = obj[0] if isinstance(obj, tuple) else obj._meta.label_lower
    record(f"{label}.{verb}", obj, actor=request.user, via="admin", fields=differing(before, after), before=before,
           after=after, **extra)


def doomed_by(obj: models.Model) -> list[tuple[tuple[str, str], dict]]:
    """(reference, snapshot) of every object that deleting `obj` removes, `obj` first, then those it
    cascades to, taken before the deletion (which clears their primary keys)."""
    collector = Collector(using=router.db_for_write(type(obj)))
    collector.collect([obj])
    found = [o for instances in collector.data.values() for o in instances]
    found += [o for qs in collector.fast_deletes for o in qs]
    ref = (obj._meta.label_lower, str(obj.pk))
    rest = [((o._meta.label_lower, str(o.pk)), snapshot(o)) for o in found]
    return [(ref, snapshot(obj)), *[(r, snap) for r, snap in rest if r != ref]]


class AuditedAdminMixin(_ModelAdmin):
    """Put before a ModelAdmin class: audits what its add, change and delete views (and the bulk
    delete action and list editing) do."""

    def audit_extra(self, request: HttpRequest, obj: models.Model, change: bool) -> dict[str, Any]:
        """What else the change did, recorded with it (e.g. the deadlines a calendar change moved)."""
        return {}

    def save_model(self, request, obj, form, change) -> None:
        form.audit_before = stored(obj) if change else None
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change) -> None:
        inline_before = {
            id(formset): {f.instance.pk: stored(f.instance) for f in formset.initial_forms if f.instance.pk}
            for formset in formsets
        }
        super().save_related(request, form, formsets, change)
        obj = form.instance
        before, after = getattr(form, "audit_before", None), stored(obj)
        if not change or before != after:
            record_change(request, obj, "changed" if change else "created", before, after,
                          **self.audit_extra(request, obj, change))
        parent = f"{obj._meta.label_lower}:{obj.pk}"
        for formset in formsets:
            befores = inline_before[id(formset)]
            for child in getattr(formset, "new_objects", ()):
                record_change(request, child, "created", None, stored(child), parent=parent)
            for child, _fields in getattr(formset, "changed_objects", ()):
                record_change(request, child, "changed", befores.get(child.pk), stored(child), parent=parent)
            for child in getattr(formset, "deleted_objects", ()):
                record_change(request, child, "deleted", befores.get(child.pk), None, parent=parent)

    def delete_model(self, request, obj) -> None:
        (ref, before), *cascade = doomed_by(obj)
        super().delete_model(request, obj)
        record_change(request, ref, "deleted", before, None, **self.audit_extra(request, obj, True))
        for child_ref, child_before in cascade:
            record_change(request, child_ref, "deleted", child_before, None, cascade_of=":".join(ref))

    def delete_queryset(self, request, queryset) -> None:
        with transaction.atomic(using=router.db_for_write(queryset.model)):
            for obj in list(queryset):
                self.delete_model(request, obj)


class AuditedAdmin(AuditedAdminMixin, admin.ModelAdmin):
    pass
