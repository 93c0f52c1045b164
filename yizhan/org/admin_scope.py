"""The admin's side of the one scope rule (`yizhan.org.scope`): an admin of a model that declares a
ScopeRule lists, shows, changes, deletes and acts on only the rows in the user's scope, and offers
only units in that scope in its choices. Superusers see everything. A row outside the scope is
answered as missing, as the API does, so its existence is not disclosed."""

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from yizhan.org.models import OrgUnit
from yizhan.org.scope import CHANGE, VIEW, permits, restrict, rule_of, units

if TYPE_CHECKING:  # the admin classes these mixins are put before
    from django.contrib.admin import ModelAdmin as _ModelAdmin
    from django.contrib.admin.options import BaseModelAdmin as _BaseAdmin
else:
    _ModelAdmin = _BaseAdmin = object


class ScopedInlineMixin(_BaseAdmin):
    """Put before an InlineModelAdmin class whose model has a scope rule: the rows shown are those in
    the user's scope, and rows may only be placed at units of their change scope."""

    def get_queryset(self, request: HttpRequest):
        # For a ModelAdmin, the changelist, the change/delete/history views (through get_object) and
        # the actions all start from this queryset.
        return restrict(super().get_queryset(request), request.user, VIEW)

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        if db_field.related_model is OrgUnit and "queryset" not in kwargs:
            kwargs["queryset"] = units(request.user, rule_of(self.model).roles_for(CHANGE))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ScopedAdminMixin(ScopedInlineMixin, _ModelAdmin):
    """Put before a ModelAdmin class whose model has a scope rule."""

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_view_permission(request, obj) and (obj is None or permits(request.user, obj, VIEW))

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and (obj is None or permits(request.user, obj, CHANGE))

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and (obj is None or permits(request.user, obj, CHANGE))

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        # Re-checked on the saved row, inside the admin's transaction: a change may not move a row out
        # of the scope of the one who makes it.
        if not permits(request.user, obj, CHANGE):
            raise PermissionDenied
