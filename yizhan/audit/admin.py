from collections.abc import Callable
from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from yizhan.audit.models import AuditEvent


def _superusers_only(qs: QuerySet, user: Any) -> QuerySet:
    return qs if user.is_superuser else qs.none()


# Which events a person sees: the org app, which this one may not import, installs the one scope rule
# here (`yizhan.org.scope.restrict_subjects`, from yizhan.org.apps): an event whose subject lies outside
# the person's subtree is hidden.
_visible: list[Callable[[QuerySet, Any], QuerySet]] = [_superusers_only]


def scope_events(visible: Callable[[QuerySet, Any], QuerySet]) -> None:
    _visible[0] = visible


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("at", "action", "object_type", "object_id", "actor_label")
    list_filter = ("action", "object_type")
    search_fields = ("object_id", "actor_label", "action")
    date_hierarchy = "at"

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return _visible[0](super().get_queryset(request), request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
