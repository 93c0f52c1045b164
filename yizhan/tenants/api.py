"""The rental-tenant registry (出租房屋与租户): rooms and their occupancy, leases and who lives
under them, registration and the safety commitments, hazard checks, the patrol roster and its logs,
the obligations on the clock and the figures. Rows are those of the caller's scope; tenants'
ID numbers and phones are masked except on a tenant's own page for the property manager of its unit
(that view is audited)."""

import io
from datetime import date, datetime
from typing import Annotated

from django.contrib.auth import get_user_model
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema, Status

from yizhan.api.common import Code, Day, Id, Limit, Offset, Text, max_length_of, user
from yizhan.api.errors import ERROR_RESPONSES, ApiError
from yizhan.api.scope import get_visible, unit_by_code, visible
from yizhan.followups.models import FollowUp
from yizhan.org.models import UnitKind
from yizhan.tenants import csv_io, hazards, obligations, patrol, registry
from yizhan.tenants.contact import Contact, contact_of, masked_contact
from yizhan.tenants.figures import figures as registry_figures
from yizhan.tenants.models import (
    Finding,
    HazardCheck,
    HazardKind,
    Incident,
    Lease,
    Occupancy,
    PatrolArea,
    Room,
    RoomKind,
    RosterEntry,
    Shift,
    Tenant,
)
from yizhan.tenants.provinces import province_name
from yizhan.tenants.queries import obligations_of

PREFIX = "/tenants"
router = Router(tags=["tenants"])


# ---- rooms ------------------------------------------------------------------------------------

class RoomOut(Schema):
    code: str
    building: str
    number: str
    kind: RoomKind
    capacity: int
    living: int
    lease: str | None


class RoomFilter(Schema):
    building: Code | None = None
    kind: RoomKind | None = None
    limit: Limit = 100
    offset: Offset = 0


@router.get("/rooms", response={200: list[RoomOut], **ERROR_RESPONSES}, summary="房间及入住情况")
def rooms(request: HttpRequest, q: Query[RoomFilter]):
    today = timezone.localdate()
    qs = visible(Room.objects.select_related("building"), user(request)).order_by("code")
    if q.building:
        qs = qs.filter(building__code=q.building)
    if q.kind:
        qs = qs.filter(kind=q.kind)
    page = list(qs[q.offset:q.offset + q.limit])
    living: dict[int, int] = {}
    for room_id in Occupancy.objects.filter(registry.current_stays(today), room__in=page).values_list("room_id",
                                                                                                      flat=True):
        living[room_id] = living.get(room_id, 0) + 1
    leases = dict(Lease.objects.filter(registry.current_leases(today), room__in=page).values_list("room_id",
                                                                                                 "contract_no"))
    return [{"code": r.code, "building": r.building.code, "number": r.number, "kind": r.kind, "capacity": r.capacity,
             "living": living.get(r.pk, 0), "lease": leases.get(r.pk)} for r in page]


class TenancyImportOut(Schema):
    created: int
    updated: int


class RoomImportIn(Schema):
    unit: Code = Field(..., description="code of the managing office (物业公司)")
    csv: Text = Field(..., description="building,number,kind[,building_name,address,capacity,area_m2]")


@router.post("/rooms/import", response={200: TenancyImportOut, **ERROR_RESPONSES}, summary="导入房间（CSV）")
def import_rooms(request: HttpRequest, payload: RoomImportIn):
    """Every broken row is reported (422, each error with its `line`); nothing is written then."""
    unit = unit_by_code(payload.unit, field="unit", kind=UnitKind.OFFICE)
    result = csv_io.import_rooms(_stream(payload.csv), unit=unit, actor=user(request))
    return {"created": result.created, "updated": result.updated}


def _stream(text: str):
    return io.StringIO(text)


# ---- leases and stays ---------------------------------------------------------------------------

class LeaseOut(Schema):
    id: int
    contract_no: str
    room: str
    tenant: str
    start: date
    end: date
    terminated_on: date | None
    rent_fen: int
    deposit_fen: int


def _lease_out(lease: Lease) -> dict:
    return {"id": lease.pk, "contract_no": lease.contract_no, "room": lease.room.code, "tenant": lease.tenant.name,
            "start": lease.start, "end": lease.end, "terminated_on": lease.terminated_on, "rent_fen": lease.rent_fen,
            "deposit_fen": lease.deposit_fen}


class PersonIn(Schema):
    name: Annotated[Text, max_length_of(Tenant, "name")]
    id_number: Code = Field(..., description="resident ID number (18 characters); its first two digits give the "
                                             "home province")
    phone: Code = ""


class LeaseIn(PersonIn):
    contract_no: Code
    room: Code = Field(..., description="room code, e.g. A-101")
    start: Day
    end: Day
    rent_fen: int = Field(..., ge=0, le=registry.MAX_FEN, description="monthly rent in fen")
    deposit_fen: int = Field(0, ge=0, le=registry.MAX_FEN)
    moved_in: Day | None = Field(None, description="the lessee moves in (default: the start)")
    lives_in: bool = True


@router.post("/leases", response={201: LeaseOut, **ERROR_RESPONSES}, summary="登记租赁合同（承租人入住）")
def register_lease(request: HttpRequest, payload: LeaseIn):
    """Refused with 422 naming the field: `end` before `start` (end_before_start), the room leased for
    overlapping dates or full (`room`), the tenant living in another room then (`id_number`,
    tenant_in_two_rooms), a bad ID number (`id_number`)."""
    item = registry.LeaseIn(payload.contract_no, payload.room, registry.Person(payload.name, payload.id_number,
                                                                               payload.phone),
                            payload.start, payload.end, payload.rent_fen, payload.deposit_fen,
                            moved_in=payload.moved_in, lives_in=payload.lives_in)
    [lease] = registry.register([item], actor=user(request)).leases
    return Status(201, _lease_out(lease))


class TenancyCsvIn(Schema):
    csv: Text = Field(..., description="role,contract_no,name,id_number[,room,phone,start,end,rent_yuan,"
                                       "deposit_yuan,moved_in,registered_on]")


class RegisteredOut(Schema):
    leases: int
    stays: int
    tenants_created: int


@router.post("/leases/import", response={200: RegisteredOut, **ERROR_RESPONSES}, summary="导入租户与合同（CSV）")
def import_leases(request: HttpRequest, payload: TenancyCsvIn):
    result = csv_io.import_leases(_stream(payload.csv), actor=user(request))
    return {"leases": len(result.leases), "stays": len(result.stays), "tenants_created": result.tenants_created}


def _lease(request: HttpRequest, lease_id: int) -> Lease:
    return get_visible(Lease.objects.select_related("room", "tenant"), user(request), _("租赁合同"), field="lease_id",
                       pk=lease_id)


class TerminateIn(Schema):
    on: Day = Field(..., description="the lease's last day")
    reason: Text = Field(..., description="why the lease ends early (at most 300 characters)")


@router.post("/leases/{lease_id}/terminate", response={200: LeaseOut, **ERROR_RESPONSES}, summary="提前终止合同")
def terminate(request: HttpRequest, lease_id: Id, payload: TerminateIn):
    return _lease_out(registry.terminate(_lease(request, lease_id), on=payload.on, reason=payload.reason,
                                         actor=user(request)))


class CommitmentIn(Schema):
    signed_on: Day
    signer: Annotated[Text, max_length_of(Tenant, "name")]


class TenancyCommitmentOut(Schema):
    lease: str
    signed_on: date
    valid_until: date
    signer: str


@router.post("/leases/{lease_id}/commitments", response={201: TenancyCommitmentOut, **ERROR_RESPONSES},
             summary="签署安保承诺书（商铺）")
def sign_commitment(request: HttpRequest, lease_id: Id, payload: CommitmentIn):
    """Closes the open commitment item and opens next year's renewal."""
    c = obligations.sign_commitment(_lease(request, lease_id), signed_on=payload.signed_on, signer=payload.signer,
                                    actor=user(request))
    return Status(201, {"lease": c.lease.contract_no, "signed_on": c.signed_on, "valid_until": c.valid_until,
                        "signer": c.signer})


class StayOut(Schema):
    id: int
    room: str
    contract_no: str
    tenant: str
    moved_in: date
    moved_out: date | None
    registered_on: date | None


def _stay_out(s: Occupancy) -> dict:
    return {"id": s.pk, "room": s.room.code, "contract_no": s.lease.contract_no, "tenant": s.tenant.name,
            "moved_in": s.moved_in, "moved_out": s.moved_out, "registered_on": s.registered_on}


class StayIn(PersonIn):
    contract_no: Code
    moved_in: Day


@router.post("/occupancies", response={201: StayOut, **ERROR_RESPONSES}, summary="同住人入住")
def move_in(request: HttpRequest, payload: StayIn):
    item = registry.StayIn(payload.contract_no, registry.Person(payload.name, payload.id_number, payload.phone),
                           payload.moved_in)
    [stay] = registry.register([item], actor=user(request)).stays
    return Status(201, _stay_out(stay))


def _stay(request: HttpRequest, occupancy_id: int) -> Occupancy:
    return get_visible(Occupancy.objects.select_related("room", "tenant", "lease"), user(request), _("入住登记"),
                       field="occupancy_id", pk=occupancy_id)


class MoveOutIn(Schema):
    on: Day


@router.post("/occupancies/{occupancy_id}/move-out", response={200: StayOut, **ERROR_RESPONSES}, summary="搬离")
def move_out(request: HttpRequest, occupancy_id: Id, payload: MoveOutIn):
    return _stay_out(registry.move_out(_stay(request, occupancy_id), on=payload.on, actor=user(request)))


class RegisterIn(Schema):
    registered_on: Day
    permit_note: Annotated[Text, max_length_of(Occupancy, "permit_note")] = ""


@router.post("/occupancies/{occupancy_id}/register", response={200: StayOut, **ERROR_RESPONSES},
             summary="来沪登记及居住证办理")
def register_occupant(request: HttpRequest, occupancy_id: Id, payload: RegisterIn):
    stay = obligations.register_occupant(_stay(request, occupancy_id), registered_on=payload.registered_on,
                                         permit_note=payload.permit_note, actor=user(request))
    return _stay_out(Occupancy.objects.select_related("room", "tenant", "lease").get(pk=stay.pk))


# ---- tenants ----------------------------------------------------------------------------------

class TenantOut(Schema):
    id: int
    name: str
    id_number: str = Field(..., description="masked unless on the tenant's page for its property manager")
    phone: str
    province: str
    province_name: str
    unit: str


def _tenant_out(t: Tenant, shown: Contact) -> dict:
    return {"id": t.pk, "name": t.name, "id_number": shown.id_number, "phone": shown.phone, "province": t.province,
            "province_name": province_name(t.province), "unit": t.unit.code}


class TenantFilter(Schema):
    province: Code | None = Field(None, description="two-digit GB/T 2260 province code")
    limit: Limit = 100
    offset: Offset = 0


@router.get("/tenants", response={200: list[TenantOut], **ERROR_RESPONSES}, summary="租户（证件号码脱敏）")
def tenants(request: HttpRequest, q: Query[TenantFilter]):
    qs = visible(Tenant.objects.select_related("unit"), user(request)).order_by("id")
    if q.province:
        qs = qs.filter(province=q.province)
    return [_tenant_out(t, masked_contact(t)) for t in qs[q.offset:q.offset + q.limit]]


@router.get("/tenants/{tenant_id}", response={200: TenantOut, **ERROR_RESPONSES}, summary="租户详情")
def tenant(request: HttpRequest, tenant_id: Id):
    """In full for the property manager of the tenant's unit, and that view is an audit event."""
    who = user(request)
    t = get_visible(Tenant.objects.select_related("unit"), who, _("租户"), field="tenant_id", pk=tenant_id)
    return _tenant_out(t, contact_of(t, who, via="api"))


# ---- hazards ----------------------------------------------------------------------------------

class TenancyFindingIn(Schema):
    kind: HazardKind
    description: Annotated[Text, max_length_of(Finding, "description")]
    fix_days: int = Field(5, ge=1, le=hazards.MAX_FIX_DAYS, description="working days to fix it")


class CheckIn(Schema):
    room: Code
    checked_on: Day
    note: Annotated[Text, max_length_of(HazardCheck, "note")] = ""
    findings: list[TenancyFindingIn] = []


class TenancyCheckOut(Schema):
    id: int
    room: str
    checked_on: date
    findings: list[int] = Field(..., description="follow-up item of each finding")


@router.post("/checks", response={201: TenancyCheckOut, **ERROR_RESPONSES}, summary="燃气、电线隐患检查")
def record_check(request: HttpRequest, payload: CheckIn):
    """Each finding opens a follow-up item due `fix_days` working days later, verified by a second person."""
    room = get_visible(Room.objects.select_related("building__unit"), user(request), _("房间"), field="room",
                       code=payload.room)
    check = hazards.record_check(room, checked_on=payload.checked_on, note=payload.note, actor=user(request),
                                 findings=[hazards.FindingIn(f.kind, f.description, f.fix_days)
                                           for f in payload.findings])
    return Status(201, {"id": check.pk, "room": room.code, "checked_on": check.checked_on,
                        "findings": [f.follow_up_id for f in check.findings.order_by("id")]})


# ---- patrol -----------------------------------------------------------------------------------

class TenancyEntryOut(Schema):
    id: int
    day: date
    shift: str
    area: str
    patroller: str
    logged: bool


def _entry_out(e: RosterEntry) -> dict:
    return {"id": e.pk, "day": e.day, "shift": e.shift.code, "area": e.area.code, "patroller": e.patroller.username,
            "logged": hasattr(e, "log")}


class RosterFilter(Schema):
    day: Day | None = Field(None, description="local date; default today")


@router.get("/roster", response={200: list[TenancyEntryOut], **ERROR_RESPONSES}, summary="值班表")
def roster(request: HttpRequest, q: Query[RosterFilter]):
    day = q.day or timezone.localdate()
    qs = visible(RosterEntry.objects.select_related("shift", "area", "patroller", "log"), user(request))
    return [_entry_out(e) for e in qs.filter(day=day)]


class AssignIn(Schema):
    day: Day
    shift: Code
    area: Code
    patroller: Code = Field(..., description="username")


@router.post("/roster", response={201: TenancyEntryOut, **ERROR_RESPONSES}, summary="排班")
def assign(request: HttpRequest, payload: AssignIn):
    who = user(request)
    shift = get_visible(Shift.objects.all(), who, _("班次"), field="shift", code=payload.shift)
    area = get_visible(PatrolArea.objects.select_related("unit"), who, _("巡查区域"), field="area", code=payload.area)
    person = get_user_model().objects.filter(username=payload.patroller, is_active=True).first()
    if person is None:
        raise ApiError(422, _("用户不存在：%(u)s") % {"u": payload.patroller}, field="patroller", rule="unknown_user")
    entry = patrol.assign(day=payload.day, shift=shift, area=area, patroller=person, actor=who)
    return Status(201, _entry_out(entry))


class IncidentIn(Schema):
    kind: HazardKind = HazardKind.OTHER
    description: Annotated[Text, max_length_of(Incident, "description")]
    room: Code = ""
    hazard: bool = False
    fix_days: int = Field(5, ge=1, le=hazards.MAX_FIX_DAYS)


class LogIn(Schema):
    note: Text = ""
    incidents: list[IncidentIn] = []


class LogOut(Schema):
    id: int
    entry: int
    logged_at: datetime
    incidents: int
    hazards: int


@router.post("/roster/{entry_id}/log", response={201: LogOut, **ERROR_RESPONSES}, summary="巡查记录")
def log_patrol(request: HttpRequest, entry_id: Id, payload: LogIn):
    """By the patroller on duty (or a property manager); a hazard in a room opens a follow-up to fix it."""
    entry = get_visible(RosterEntry.objects.select_related("area__unit"), user(request), _("值班安排"),
                        field="entry_id", pk=entry_id)
    log = patrol.log_patrol(entry, note=payload.note, actor=user(request), incidents=[
        patrol.IncidentIn(i.kind, i.description, i.room, i.hazard, i.fix_days) for i in payload.incidents])
    return Status(201, {"id": log.pk, "entry": entry.pk, "logged_at": log.logged_at,
                        "incidents": log.incidents.count(), "hazards": log.incidents.filter(hazard=True).count()})


# ---- obligations and figures ------------------------------------------------------------------

class ObligationOut(Schema):
    id: int
    kind: str
    title: str
    state: str
    deadline: datetime
    overdue: bool


class ObligationFilter(Schema):
    kind: Code | None = Field(None, description="tenants.registration, tenants.commitment or tenants.hazard")
    limit: Limit = 100
    offset: Offset = 0


@router.get("/obligations", response={200: list[ObligationOut], **ERROR_RESPONSES}, summary="待办义务（超期在前）")
def obligation_list(request: HttpRequest, q: Query[ObligationFilter]):
    """Open registrations, commitments and hazards of the caller's scope, overdue first, then by deadline.
    Complete and verify them through /api/followups."""
    now = timezone.now()
    items: list[FollowUp] = list(obligations_of(user(request), kind=q.kind)[q.offset:q.offset + q.limit])
    return [{"id": i.pk, "kind": i.kind, "title": i.title, "state": i.state, "deadline": i.timer.deadline,
             "overdue": i.timer.deadline < now} for i in items]


class ProvinceOut(Schema):
    code: str
    name: str
    tenants: int


class TenancyFiguresOut(Schema):
    day: date
    rooms: int
    flats: int
    shops: int
    occupied: int
    occupied_flats: int
    occupied_shops: int
    occupancy: float | None
    tenants: int
    by_province: list[ProvinceOut]
    registrations_open: int
    registrations_overdue: int
    commitments_overdue: int
    hazards_open: int
    hazards_overdue: int


@router.get("/figures", response={200: TenancyFiguresOut, **ERROR_RESPONSES}, summary="出租房屋统计")
def registry_figures_route(request: HttpRequest):
    """Occupancy today, current tenants by home province, overdue registrations and commitments, open hazards."""
    return registry_figures(user(request))
