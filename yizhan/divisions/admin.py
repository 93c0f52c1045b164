from django.contrib import admin

from yizhan.audit.admin_log import AuditedAdmin
from yizhan.divisions.models import Division


@admin.register(Division)
class DivisionAdmin(AuditedAdmin):
    """The local townships and villages are kept here as well as imported; GB/T 2260 rows come from the standard."""

    list_display = ("code", "name", "level", "parent", "source", "active")
    list_filter = ("level", "source", "active")
    search_fields = ("code", "name")
    autocomplete_fields = ("parent",)
