"""Registering leases and the people who live under them, moving out and ending a lease early.

`register` takes a batch — one lease from the form, or a whole CSV file — checks every item against
the database and against the items before it (`yizhan.tenants.rules`), and writes nothing unless all
pass: a single item's first error is raised as it is (the form and the API name its field), a
file's errors are collected per line (ImportFailed). Writing is in bulk, with one audit event per
lease and per stay, and the obligations (registration, the shop's safety commitment) opened on the
clock."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from yizhan.audit.log import build, record, record_many
from yizhan.errors import IllegalTransition, ImportFailed, InvalidInput, RowError, RuleError
from yizhan.identifiers import validate_phone
from yizhan.org.scope import CHANGE, require_holds
from yizhan.tenants import obligations, rules
from yizhan.tenants.models import MANAGERS, Lease, Occupancy, Room, Tenant
from yizhan.tenants.provinces import checked_id

MAX_FEN = 2**31 - 1


@dataclass
class Person:
    name: str
    id_number: str
    phone: str = ""


@dataclass
class LeaseIn:
    """A lease; the lessee moves in on `moved_in` (default: the start) unless `lives_in` is false."""

    contract_no: str
    room: str
    person: Person
    start: date
    end: date
    rent_fen: int
    deposit_fen: int = 0
    moved_in: date | None = None
    lives_in: bool = True
    registered_on: date | None = None  # registration already done (older records)


@dataclass
class StayIn:
    """Someone moving in under an existing lease (or one earlier in the batch)."""

    contract_no: str
    person: Person
    moved_in: date
    registered_on: date | None = None


@dataclass
class Registered:
    leases: list[Lease] = field(default_factory=list)
    stays: list[Occupancy] = field(default_factory=list)
    tenants_created: int = 0

    def __str__(self) -> str:
        return _("新增合同 %(l)d 份，入住 %(s)d 人（新登记租户 %(t)d 人）") % {
            "l": len(self.leases), "s": len(self.stays), "t": self.tenants_created}


def _text(value: str, field_name: str, limit: int, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise InvalidInput(_("不能为空"), field=field_name, rule="required")
    if len(value) > limit:
        raise InvalidInput(_("不能超过 %(n)d 个字符") % {"n": limit}, field=field_name, rule="too_long")
    return value


def _fen(value: int, field_name: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_FEN:
        raise InvalidInput(_("金额（分）须为 0 至 %(max)d 的整数") % {"max": MAX_FEN}, field=field_name,
                           rule="amount_range")
    return value


class _Batch:
    """What the database and the items checked so far say about the rooms, leases and people involved."""

    def __init__(self, items: Sequence[LeaseIn | StayIn], actor: Any) -> None:
        rooms = Room.objects.select_related("building__unit")
        if actor is not None:  # the system registers anywhere; an anonymous caller nowhere
            rooms = rooms.restrict(actor, CHANGE)
        numbers = {i.contract_no.strip() for i in items}
        self.leases: dict[str, Lease] = {
            lease.contract_no: lease
            for lease in Lease.objects.select_related("room__building__unit", "tenant").filter(contract_no__in=numbers)}
        codes = {i.room.strip() for i in items if isinstance(i, LeaseIn)} | {lease.room.code for lease in
                                                                         self.leases.values()}
        self.rooms: dict[str, Room] = {r.code: r for r in rooms.filter(code__in=codes)}
        self.room_leases: dict[int, list[tuple[str, tuple[date, date]]]] = defaultdict(list)
        for lease in Lease.objects.filter(room__code__in=codes):
            self.room_leases[lease.room_id].append((lease.contract_no, (lease.start, lease.last_day)))
        ids = set()
        for item in items:
            try:
                ids.add(checked_id(item.person.id_number)[0])
            except RuleError:
                pass
        self.tenants: dict[str, Tenant] = {t.id_number: t for t in Tenant.objects.filter(id_number__in=ids)}
        self.room_stays: dict[int, list[tuple[date, date]]] = defaultdict(list)
        self.person_stays: dict[str, list[tuple[str, tuple[date, date]]]] = defaultdict(list)
        stays = Occupancy.objects.filter(Q(room__code__in=codes) | Q(tenant__id_number__in=ids)).select_related(
            "lease", "room", "tenant")
        for stay in stays:
            span = (stay.moved_in, rules.stay_end(stay.moved_out, stay.lease.last_day))
            self.room_stays[stay.room_id].append(span)
            self.person_stays[stay.tenant.id_number].append((stay.room.code, span))
        self.new_leases: dict[str, tuple[Room, date, date]] = {}
        self.names: dict[str, str] = {}

    def person(self, person: Person) -> tuple[str, str, str, str]:
        """(name, ID number, province, phone) after their checks."""
        name = _text(person.name, "name", Tenant._meta.get_field("name").max_length)
        number, province = checked_id(person.id_number)
        phone = validate_phone(person.phone, field="phone")
        known = self.tenants.get(number)
        known_name = known.name if known is not None else self.names.get(number)
        if known_name is not None and known_name != name:
            raise InvalidInput(_("该身份证号码已登记为 %(n)s") % {"n": known_name}, field="name", rule="name_mismatch")
        return name, number, province, phone

    def lease_of(self, contract_no: str) -> tuple[Room, date, date]:
        if contract_no in self.new_leases:
            return self.new_leases[contract_no]
        lease = self.leases.get(contract_no)
        if lease is None or lease.room.code not in self.rooms:
            raise InvalidInput(_("合同不存在或不归您管理：%(no)s") % {"no": contract_no}, field="contract_no",
                               rule="unknown_lease")
        return lease.room, lease.start, lease.last_day

    def stay(self, room: Room, name: str, number: str, moved_in: date, lease: tuple[date, date]) -> tuple[date, date]:
        if not lease[0] <= moved_in <= lease[1]:
            raise InvalidInput(_("入住日期须在合同期内（%(s)s 至 %(e)s）") % {"s": lease[0], "e": lease[1]},
                               field="moved_in", rule="outside_lease")
        span = (moved_in, rules.stay_end(None, lease[1]))
        rules.check_one_room(name, span, self.person_stays[number])
        rules.check_capacity(room.code, room.capacity, span, self.room_stays[room.pk])
        return span

    def check(self, item: LeaseIn | StayIn) -> dict[str, Any]:
        name, number, province, phone = self.person(item.person)
        contract_no = _text(item.contract_no, "contract_no", Lease._meta.get_field("contract_no").max_length)
        if isinstance(item, LeaseIn):
            if contract_no in self.leases or contract_no in self.new_leases:
                raise InvalidInput(_("合同编号已存在：%(no)s") % {"no": contract_no}, field="contract_no",
                                   rule="duplicate")
            room = self.rooms.get(item.room.strip())
            if room is None:
                raise InvalidInput(_("房间不存在或不归您管理：%(r)s") % {"r": item.room}, field="room", rule="unknown_room")
            rules.check_lease_dates(item.start, item.end)
            rent, deposit = _fen(item.rent_fen, "rent_fen"), _fen(item.deposit_fen, "deposit_fen")
            rules.check_room_free(room.code, (item.start, item.end), self.room_leases[room.pk])
            span = None
            moved_in = item.moved_in or item.start
            if item.lives_in:
                span = self.stay(room, name, number, moved_in, (item.start, item.end))
            self.room_leases[room.pk].append((contract_no, (item.start, item.end)))
            self.new_leases[contract_no] = (room, item.start, item.end)
            lease = {"start": item.start, "end": item.end, "rent_fen": rent, "deposit_fen": deposit}
        else:
            room, start, last = self.lease_of(contract_no)
            span = self.stay(room, name, number, item.moved_in, (start, last))
            moved_in, lease = item.moved_in, None
        if span is not None:
            if item.registered_on is not None and item.registered_on < moved_in:
                raise InvalidInput(_("登记日期不能早于入住日期 %(d)s") % {"d": moved_in}, field="registered_on",
                                   rule="before_moved_in")
            self.room_stays[room.pk].append(span)
            self.person_stays[number].append((room.code, span))
        self.names[number] = name
        return {"contract_no": contract_no, "room": room, "name": name, "id_number": number, "province": province,
                "phone": phone, "lease": lease, "moved_in": moved_in if span is not None else None,
                "registered_on": item.registered_on}


def register(items: Sequence[LeaseIn | StayIn], *, actor: Any = None, at: datetime | None = None,
             lines: Sequence[int] | None = None, open_obligations: bool = True, check_only: bool = False) -> Registered:
    """Check and write `items`. With `lines` (a file's line numbers, one per item) every broken item is
    reported (ImportFailed); without, the first error is raised. Nothing is written unless all pass
    (nor at all with `check_only`). Registering is the property managers': one who holds that role
    nowhere is refused outright, before any room is looked up; a manager elsewhere finds no room of
    another office."""
    require_holds(actor, MANAGERS, field="room", rule="not_property_manager",
                  message=_("您不是该房屋管理单位的物业管理员"))
    at = at or timezone.now()
    batch = _Batch(items, actor)
    checked, errors = [], []
    for index, item in enumerate(items):
        try:
            checked.append(batch.check(item))
        except RuleError as exc:
            if lines is None:
                raise
            errors.append(RowError(lines[index], exc.field or "-", exc.message))
    if errors:
        raise ImportFailed(errors)
    result = Registered()
    if check_only:
        return result
    with transaction.atomic():
        tenants = dict(batch.tenants)
        new = {}
        for row in checked:
            if row["id_number"] not in tenants and row["id_number"] not in new:
                new[row["id_number"]] = Tenant(unit=row["room"].building.unit, name=row["name"],
                                               id_number=row["id_number"], phone=row["phone"],
                                               province=row["province"], created_at=at)
        # Both databases return the new primary keys from a bulk insert (SQLite 3.35+, PostgreSQL).
        Tenant.objects.bulk_create(new.values(), batch_size=500)
        tenants.update(new)
        result.tenants_created = len(new)
        leases = {row["contract_no"]: Lease(contract_no=row["contract_no"], room=row["room"],
                                            tenant=tenants[row["id_number"]], created_at=at, **row["lease"])
                  for row in checked if row["lease"] is not None}
        Lease.objects.bulk_create(leases.values(), batch_size=500)
        by_no = {**batch.leases, **leases}
        result.leases = list(leases.values())
        result.stays = [Occupancy(room=row["room"], tenant=tenants[row["id_number"]], lease=by_no[row["contract_no"]],
                                  moved_in=row["moved_in"], registered_on=row["registered_on"])
                        for row in checked if row["moved_in"] is not None]
        Occupancy.objects.bulk_create(result.stays, batch_size=500)
        events = [build("tenants.tenant.registered", t, actor=actor, at=at, name=t.name, province=t.province)
                  for t in new.values()]
        events += [build("tenants.lease.registered", x, actor=actor, at=at, room=x.room.code, tenant=x.tenant_id,
                         start=x.start, end=x.end, rent_fen=x.rent_fen, deposit_fen=x.deposit_fen)
                   for x in result.leases]
        events += [build("tenants.moved_in", s, actor=actor, at=at, room=s.room.code, tenant=s.tenant_id,
                         lease=s.lease.contract_no, moved_in=s.moved_in) for s in result.stays]
        record_many(events)
        if open_obligations:
            for stay in result.stays:
                if stay.registered_on is None:
                    obligations.open_item(stay, obligations.REGISTRATION, opened=stay.moved_in, actor=actor)
            for lease in result.leases:
                if obligations.needs_commitment(lease):
                    obligations.open_item(lease, obligations.COMMITMENT, opened=lease.start, actor=actor)
    return result


def move_out(occupancy: Occupancy, *, on: date, actor: Any = None) -> Occupancy:
    with transaction.atomic():
        occupancy = Occupancy.objects.select_for_update().select_related("lease", "room", "tenant").get(
            pk=occupancy.pk)
        obligations.require_manager(actor, occupancy, "occupancy")
        if occupancy.moved_out is not None:
            raise IllegalTransition(_("已于 %(d)s 搬离") % {"d": occupancy.moved_out}, field="moved_out",
                                    rule="already_moved_out")
        if on <= occupancy.moved_in:
            raise InvalidInput(_("搬离日期须晚于入住日期 %(d)s") % {"d": occupancy.moved_in}, field="moved_out",
                               rule="before_moved_in")
        if on > occupancy.lease.last_day + rules.ONE_DAY:
            raise InvalidInput(_("合同已于 %(d)s 到期") % {"d": occupancy.lease.last_day}, field="moved_out",
                               rule="after_lease")
        occupancy.moved_out = on
        occupancy.save(update_fields=["moved_out"])
        if occupancy.registered_on is None:
            obligations.close_for_leaving(occupancy, obligations.REGISTRATION, on=on, actor=actor)
        record("tenants.moved_out", occupancy, actor=actor, moved_out=on, room=occupancy.room.code)
    return occupancy


def terminate(lease: Lease, *, on: date, reason: str, actor: Any = None) -> Lease:
    """End a lease early on `on` (its last day): those still living there move out the day after."""
    reason = _text(reason, "reason", 300)
    with transaction.atomic():
        lease = Lease.objects.select_for_update().select_related("room__building__unit").get(pk=lease.pk)
        obligations.require_manager(actor, lease, "lease")
        if lease.terminated_on is not None:
            raise IllegalTransition(_("合同已于 %(d)s 终止") % {"d": lease.terminated_on}, field="on",
                                    rule="already_terminated")
        if not lease.start <= on < lease.end:
            raise InvalidInput(_("终止日期须在 %(s)s 至 %(e)s 之前") % {"s": lease.start, "e": lease.end}, field="on",
                               rule="outside_lease")
        leave = on + rules.ONE_DAY
        for stay in lease.occupancies.filter(Q(moved_out__isnull=True) | Q(moved_out__gt=leave)):
            if stay.moved_in >= leave:
                raise InvalidInput(_("%(n)s 于 %(d)s 才入住，不能在此之前终止") % {"n": stay.tenant.name, "d": stay.moved_in},
                                   field="on", rule="stay_after_end")
            stay.moved_out = leave
            stay.save(update_fields=["moved_out"])
            if stay.registered_on is None:
                obligations.close_for_leaving(stay, obligations.REGISTRATION, on=leave, actor=actor)
        lease.terminated_on = on
        lease.save(update_fields=["terminated_on"])
        obligations.close_for_leaving(lease, obligations.COMMITMENT, on=on, actor=actor)
        record("tenants.lease.terminated", lease, actor=actor, terminated_on=on, reason=reason)
    return lease


def current_stays(day: date) -> Q:
    """Occupancy rows of people living in their room on `day`."""
    lease_runs = Q(lease__end__gte=day) & (Q(lease__terminated_on__isnull=True) | Q(lease__terminated_on__gte=day))
    return Q(moved_in__lte=day) & (Q(moved_out__gt=day) | (Q(moved_out__isnull=True) & lease_runs))


def current_leases(day: date) -> Q:
    return Q(start__lte=day, end__gte=day) & (Q(terminated_on__isnull=True) | Q(terminated_on__gte=day))
