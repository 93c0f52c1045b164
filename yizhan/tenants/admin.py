"""The registry's admin: buildings, rooms, patrol areas and shifts are edited here; leases, stays,
commitments, checks and patrol logs are read here, since they are written through the services
(their rules, follow-ups and audit events). Tenants' personal data is masked."""

from django.contrib import admin
from django.http import HttpRequest

from yizhan.audit.admin_log import AuditedAdmin
from yizhan.audit.admin_privacy import MaskedAdminMixin
from yizhan.org.admin_scope import ScopedAdminMixin
from yizhan.tenants import models as m


class Edited(ScopedAdminMixin, AuditedAdmin):
    pass


class ReadOnly(ScopedAdminMixin, AuditedAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(m.Building)
class BuildingAdmin(Edited):
    list_display = ("code", "name", "unit", "address")
    search_fields = ("code", "name")


@admin.register(m.Room)
class RoomAdmin(Edited):
    list_display = ("code", "building", "number", "kind", "capacity", "area_m2")
    list_filter = ("kind", "building")
    search_fields = ("code",)
    list_select_related = ("building",)


@admin.register(m.PatrolArea)
class PatrolAreaAdmin(Edited):
    list_display = ("code", "name", "unit")
    filter_horizontal = ("buildings",)


@admin.register(m.Shift)
class ShiftAdmin(Edited):
    list_display = ("code", "name", "starts", "ends", "unit")


@admin.register(m.Tenant)
class TenantAdmin(MaskedAdminMixin, ReadOnly):
    list_display = ("name", "id_number", "phone", "province", "unit")
    list_filter = ("province",)
    search_fields = ("name",)


@admin.register(m.Lease)
class LeaseAdmin(ReadOnly):
    list_display = ("contract_no", "room", "tenant", "start", "end", "terminated_on", "rent_fen", "deposit_fen")
    search_fields = ("contract_no", "room__code")
    list_select_related = ("room", "tenant")


@admin.register(m.Occupancy)
class OccupancyAdmin(ReadOnly):
    list_display = ("tenant", "room", "lease", "moved_in", "moved_out", "registered_on")
    list_select_related = ("room", "tenant", "lease")


@admin.register(m.SafetyCommitment)
class SafetyCommitmentAdmin(ReadOnly):
    list_display = ("lease", "signed_on", "valid_until", "signer")


@admin.register(m.HazardCheck)
class HazardCheckAdmin(ReadOnly):
    list_display = ("room", "checked_on", "inspector", "note")


@admin.register(m.Finding)
class FindingAdmin(ReadOnly):
    list_display = ("room", "kind", "description", "fix_days", "follow_up")


@admin.register(m.RosterEntry)
class RosterEntryAdmin(ReadOnly):
    list_display = ("day", "shift", "area", "patroller")
    list_filter = ("shift", "area")


@admin.register(m.PatrolLog)
class PatrolLogAdmin(ReadOnly):
    list_display = ("entry", "logged_at", "logged_by")


@admin.register(m.Incident)
class IncidentAdmin(ReadOnly):
    list_display = ("log", "kind", "description", "room", "hazard")
