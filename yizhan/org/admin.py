"""Admin of the organisation tree, the staff's roles and the user accounts. Every edit is audited
(`yizhan.audit.admin_log`) and every list is cut to the viewer's scope (`yizhan.org.admin_scope`)."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group

from yizhan.audit.admin_log import AuditedAdmin, AuditedAdminMixin
from yizhan.org.admin_scope import ScopedAdminMixin, ScopedInlineMixin
from yizhan.org.models import OrgUnit, StaffRole
from yizhan.org.scope import CHANGE, restrict

User = get_user_model()


@admin.register(OrgUnit)
class OrgUnitAdmin(ScopedAdminMixin, AuditedAdmin):
    list_display = ("code", "name", "kind", "parent", "division", "active")
    list_filter = ("kind", "active")
    search_fields = ("code", "name")
    readonly_fields = ("path",)
    autocomplete_fields = ("parent", "division")


@admin.register(StaffRole)
class StaffRoleAdmin(ScopedAdminMixin, AuditedAdmin):
    list_display = ("user", "role", "unit")
    list_filter = ("role",)
    search_fields = ("user__username", "unit__code", "unit__name")
    autocomplete_fields = ("unit",)


class StaffRoleInline(ScopedInlineMixin, admin.TabularInline):
    model = StaffRole
    extra = 0
    autocomplete_fields = ("unit",)


class StaffUserAdmin(AuditedAdminMixin, UserAdmin):
    """Accounts, with the roles they hold. Besides superusers, only administrators of a subtree
    manage accounts, and only those holding a role in it; superuser status and permissions stay with
    superusers."""

    inlines = [StaffRoleInline]

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(pk__in=restrict(StaffRole.objects.all(), request.user, CHANGE).values("user"))

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        if request.user.is_superuser:
            return fields
        return (*fields, "is_superuser", "groups", "user_permissions")


admin.site.unregister(User)
admin.site.register(User, StaffUserAdmin)
admin.site.unregister(Group)


@admin.register(Group)
class AuditedGroupAdmin(AuditedAdminMixin, GroupAdmin):
    pass
