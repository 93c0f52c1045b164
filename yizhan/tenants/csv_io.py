"""CSV import of rooms and of leases with their occupants, and the export tables of the registry.

Imports read with `yizhan.csvrows` (UTF-8 with or without BOM, or GBK/GB18030): every broken row is
reported with its line and field and nothing is written. Leases and occupants go through
`yizhan.tenants.registry.register`, so a file is held to the rules of the registration form.

Exports leave the resident ID number out of every row whose tenant the user does not manage
(PROPERTY_MANAGER over the tenant's unit); phone numbers are masked there too."""

from datetime import date
from typing import IO, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yizhan.audit.log import build, record, record_many
from yizhan.audit.privacy import mask_phone
from yizhan.csvrows import ImportResult, Rows
from yizhan.days import parse_day
from yizhan.errors import ImportFailed, InvalidInput
from yizhan.org.models import OrgUnit
from yizhan.org.scope import held_paths, require_covers, restrict
from yizhan.tenants.models import MANAGERS, Building, Occupancy, Room, RoomKind
from yizhan.tenants.provinces import province_name
from yizhan.tenants.registry import LeaseIn, Person, Registered, StayIn, current_stays, register
from yizhan.textlimits import field_limit
from yizhan.ui.export import Table

ROOM_COLUMNS = ["building", "number", "kind"]
ROOM_OPTIONAL = ["building_name", "address", "capacity", "area_m2"]
KIND_NAMES = {"flat": RoomKind.FLAT, "住房": RoomKind.FLAT, "shop": RoomKind.SHOP, "商铺": RoomKind.SHOP}
LEASE_COLUMNS = ["role", "contract_no", "name", "id_number"]
LEASE_OPTIONAL = ["room", "phone", "start", "end", "rent_yuan", "deposit_yuan", "moved_in", "registered_on"]
ROLE_NAMES = {"lessee": "lessee", "承租人": "lessee", "occupant": "occupant", "同住人": "occupant"}
MAX_CAPACITY = 20


def import_rooms(stream: IO[str] | IO[bytes], *, unit: OrgUnit, actor: Any = None) -> ImportResult:
    """Rooms of `unit` (the managing office): buildings created as named, rooms created or updated by
    building and number."""
    require_covers(actor, MANAGERS, unit, field="unit", rule="not_property_manager",
                   message=_("您不是 %(u)s 的物业管理员") % {"u": unit.name})
    rows = Rows(stream, ROOM_COLUMNS, ROOM_OPTIONAL, codes=("building", "number", "kind", "capacity"))
    parsed: list[Any] = []
    seen: dict[str, int] = {}
    for line, row in rows:
        building_code = rows.required(line, row, "building")
        rows.text(line, row, "building", field_limit(Building, "code"))
        rows.text(line, row, "building_name", field_limit(Building, "name"))
        rows.text(line, row, "address", field_limit(Building, "address"))
        number = rows.required(line, row, "number")
        rows.text(line, row, "number", field_limit(Room, "number"))
        rows.seen_once(line, "number", f"{building_code}-{number}" if building_code and number else "", seen)
        kind = KIND_NAMES.get(row.get("kind", ""))
        if kind is None:
            rows.error(line, "kind", _("须为 flat（住房）或 shop（商铺）：%(v)s") % {"v": row.get("kind", "")})
        capacity = rows.integer(line, row, "capacity", optional=True, maximum=MAX_CAPACITY)
        if capacity == 0:
            rows.error(line, "capacity", _("核定居住人数须大于零"))
        area = rows.decimal(line, row, "area_m2", max_digits=7, decimal_places=2)
        parsed.append((line, row, kind, capacity or 2, area or None))
    codes = {row["building"] for _line, row, *_rest in parsed}
    buildings = {b.code: b for b in Building.objects.filter(code__in=codes)}
    for line, row, *_rest in parsed:
        existing = buildings.get(row["building"])
        if existing is not None and existing.unit_id != unit.pk:
            rows.error(line, "building", _("楼栋 %(b)s 属于其他单位") % {"b": row["building"]})
    rows.raise_if_any()
    created = updated = 0
    events = []
    with transaction.atomic():
        for _line, row, kind, capacity, area in parsed:
            building = buildings.get(row["building"])
            if building is None:
                building = Building.objects.create(unit=unit, code=row["building"],
                                                   name=row.get("building_name") or row["building"],
                                                   address=row.get("address", ""))
                buildings[building.code] = building
                events.append(build("tenants.building.imported", building, actor=actor, name=building.name))
            room, is_new = Room.objects.update_or_create(
                code=f"{building.code}-{row['number']}",
                defaults={"building": building, "number": row["number"], "kind": kind, "capacity": capacity,
                          "area_m2": area})
            created, updated = created + is_new, updated + (not is_new)
            events.append(build("tenants.room.imported", room, actor=actor, created=is_new, kind=kind,
                                capacity=capacity))
        record_many(events)
    return ImportResult(created, updated)


def _day(rows: Rows, line: int, row: dict[str, str], field: str, *, required: bool) -> date | None:
    value = row.get(field, "")
    if not value:
        if required:
            rows.error(line, field, _("不能为空"))
        return None
    try:
        return parse_day(value, field)
    except InvalidInput as exc:
        rows.error(line, field, exc.message)
        return None


def _fen(rows: Rows, line: int, row: dict[str, str], field: str) -> int:
    return int(rows.decimal(line, row, field, max_digits=10, decimal_places=2) * 100)


def import_leases(stream: IO[str] | IO[bytes], *, actor: Any = None) -> Registered:
    """One row per lessee (role lessee/承租人: contract_no, room, start, end, rent_yuan…) or per
    occupant moving in under a contract of the file or the registry (role occupant/同住人)."""
    rows = Rows(stream, LEASE_COLUMNS, LEASE_OPTIONAL, codes=("role", "contract_no", "room", "id_number", "phone"))
    items: list[LeaseIn | StayIn] = []
    lines: list[int] = []
    for line, row in rows:
        role = ROLE_NAMES.get(row.get("role", ""))
        if role is None:
            rows.error(line, "role", _("须为 lessee（承租人）或 occupant（同住人）：%(v)s") % {"v": row.get("role", "")})
            continue
        person = Person(row.get("name", ""), row.get("id_number", ""), row.get("phone", ""))
        registered = _day(rows, line, row, "registered_on", required=False)
        if role == "lessee":
            start = _day(rows, line, row, "start", required=True)
            end = _day(rows, line, row, "end", required=True)
            rent, deposit = _fen(rows, line, row, "rent_yuan"), _fen(rows, line, row, "deposit_yuan")
            moved_in = _day(rows, line, row, "moved_in", required=False)
            if start is None or end is None:
                continue
            items.append(LeaseIn(row.get("contract_no", ""), row.get("room", ""), person, start, end, rent, deposit,
                                 moved_in=moved_in, registered_on=registered))
        else:
            moved_in = _day(rows, line, row, "moved_in", required=True)
            if moved_in is None:
                continue
            items.append(StayIn(row.get("contract_no", ""), person, moved_in, registered_on=registered))
        lines.append(line)
    errors = list(rows.errors)
    try:
        if not errors:
            return register(items, actor=actor, lines=lines)
        register(items, actor=actor, lines=lines, check_only=True)
    except ImportFailed as exc:
        errors += exc.errors
    raise ImportFailed(sorted(errors, key=lambda e: e.line))


# ---- export ------------------------------------------------------------------------------------

def _managed(user: Any):
    """A test of whether `user` manages a unit (and may see its tenants' ID numbers)."""
    paths = held_paths(user, MANAGERS)
    return lambda unit: paths is None or any(unit.path.startswith(p) for p in paths)


def rooms_table(user: Any, day: date | None = None) -> Table:
    day = day or timezone.localdate()
    rooms = restrict(Room.objects.select_related("building"), user).order_by("code")
    living: dict[int, int] = {}
    for stay in restrict(Occupancy.objects.filter(current_stays(day)), user).values("room_id"):
        living[stay["room_id"]] = living.get(stay["room_id"], 0) + 1
    return Table("rooms", _("房间"), [_("房间编码"), _("楼栋"), _("房号"), _("类型"), _("核定居住人数"), _("现住人数")],
                 [[r.code, r.building.name, r.number, r.get_kind_display(), r.capacity, living.get(r.pk, 0)]
                  for r in rooms])


def tenants_table(user: Any, day: date | None = None) -> Table:
    """Current occupants; the ID column holds a number only where the user manages the tenant."""
    day = day or timezone.localdate()
    managed = _managed(user)
    stays = (restrict(Occupancy.objects.filter(current_stays(day)), user)
             .select_related("tenant__unit", "room", "lease").order_by("room__code", "id"))
    rows = []
    for s in stays:
        mine = managed(s.tenant.unit)
        rows.append([s.tenant.name, s.tenant.id_number if mine else "", s.tenant.phone if mine else
                     mask_phone(s.tenant.phone), province_name(s.tenant.province), s.room.code, s.lease.contract_no,
                     s.moved_in, s.registered_on])
    return Table("tenants", _("租户"), [_("姓名"), _("身份证号码"), _("联系电话"), _("籍贯省份"), _("房间"), _("合同编号"),
                                      _("入住日期"), _("来沪登记日期")], rows)


def record_export(user: Any, table: Table) -> None:
    """Who exported which table, with how many ID numbers in clear."""
    if table.name != "tenants":
        return
    shown = sum(1 for row in table.rows if row[1])
    with transaction.atomic():
        record("tenants.exported", ("tenants.tenant", "*"), actor=user, table=table.name, rows=len(table.rows),
               id_numbers=shown)

