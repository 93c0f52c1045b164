"""The Jinshan Petrochemical Construction company's property office (金山石化建筑 物业公司): 500 rental
rooms (440 flats in eight blocks, 60 shop fronts along the street) and about 1,000 tenants from a
dozen provinces, built through the registry's own services — the rooms by CSV import, the leases and
stays in one registration batch, then commitments signed, hazard checks and the patrol roster. Some
registrations and commitments are left overdue and some hazards open, so the figures have something
to show. Everything is dated relative to today."""

import io
import random
from collections.abc import Callable
from datetime import date, time, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from yizhan.demo import fake
from yizhan.followups import service as followups
from yizhan.org.models import OrgUnit, Role, StaffRole, UnitKind
from yizhan.tenants import csv_io, hazards, obligations, patrol
from yizhan.tenants.figures import figures
from yizhan.tenants.hazards import FindingIn
from yizhan.tenants.models import Building, Lease, PatrolArea, Room, Shift
from yizhan.tenants.provinces import province_name
from yizhan.tenants.registry import LeaseIn, Person, StayIn, register

ORDER = 120
COMPANY, OFFICE = "JSJZ", "JSJZ-WY"
ACCOUNTS = (("property", Role.PROPERTY_MANAGER, OFFICE, "金山石化建筑 物业公司 物业管理员"),)
SEED = 2026
BLOCKS, FLATS_PER_BLOCK, SHOPS = 8, 55, 60
# A county-level region code per home province (GB/T 2260) and how often tenants come from there.
REGIONS = [("411302", 16), ("341221", 14), ("320381", 10), ("510722", 10), ("360722", 8), ("420117", 8),
           ("430524", 7), ("371321", 7), ("330482", 6), ("500230", 6), ("522121", 4), ("450881", 4)]


def _people(rng: random.Random, count: int) -> list[Person]:
    people: list[Any] = []
    seen: set[str] = set()
    regions, weights = zip(*REGIONS, strict=True)
    while len(people) < count:
        region = rng.choices(regions, weights)[0]
        resident_id = fake.random_resident_id(rng, region, fake.birth_date(rng, date(1960, 1, 1), 42))
        if resident_id in seen:
            continue
        seen.add(resident_id)
        people.append(Person(fake.person_name(rng), resident_id, fake.mobile(rng)))
    return people


def _rooms_csv() -> str:
    lines = ["building,building_name,number,kind,capacity"]
    for b in range(1, BLOCKS + 1):
        for i in range(FLATS_PER_BLOCK):
            number = f"{i // 11 + 1}{i % 11 + 1:02d}"
            lines.append(f"B{b:02d},石化新村{b}号楼,{number},flat,{2 + (i % 4)}")
    lines += [f"S,卫零路沿街商铺,S{i + 1:02d},shop,1" for i in range(SHOPS)]
    return "\n".join(lines) + "\n"


def _units() -> OrgUnit:
    company, _c = OrgUnit.objects.get_or_create(code=COMPANY, defaults={
        "name": "上海金山石油化工建筑有限公司", "kind": UnitKind.COMPANY})
    office, _o = OrgUnit.objects.get_or_create(code=OFFICE, defaults={
        "name": "物业公司", "kind": UnitKind.OFFICE, "parent": company})
    return office


def _leases(rng: random.Random, today: date) -> tuple[list, dict]:
    """Lease and stay items for nearly every room; returns them and the shops' start dates."""
    rooms = list(Room.objects.filter(building__unit__code=OFFICE).order_by("code"))
    people = iter(_people(rng, 1100))
    items: list[LeaseIn | StayIn] = []
    shop_starts: dict[str, Any] = {}
    seq = 0
    for room in rooms:
        if rng.random() < (0.06 if room.kind == "flat" else 0.05):
            continue  # vacant
        seq += 1
        if room.kind == "shop" and seq % 9 == 0:
            start = today - timedelta(days=rng.randrange(400, 600))  # renewal of the commitment now due
        else:
            start = today - timedelta(days=rng.choice([rng.randrange(40, 330), rng.randrange(3, 20)])
                                      if rng.random() < 0.08 else rng.randrange(40, 330))
        end = start + timedelta(days=rng.choice((730, 1095)))
        recent = (today - start).days < 30
        registered = None if recent else start + timedelta(days=rng.randrange(1, 5))
        no = f"JS-{start:%Y}-{seq:04d}"
        items.append(LeaseIn(no, room.code, next(people), start, end, rng.randrange(8, 30) * 10000,
                             rng.randrange(8, 30) * 20000, registered_on=registered))
        if room.kind == "shop":
            shop_starts[no] = start
            continue
        for _extra in range(rng.choice((0, 1, 1, 2, 2, 3, 3))):
            if len(items) >= 930 or _extra + 1 >= room.capacity:
                break
            moved_in = start + timedelta(days=rng.randrange(0, 20))
            if moved_in > today:
                moved_in = start
            late = (today - moved_in).days < 30
            items.append(StayIn(no, next(people), moved_in,
                                registered_on=None if late else moved_in + timedelta(days=rng.randrange(1, 5))))
    return items, shop_starts


def _commitments(rng: random.Random, today: date, shop_starts: dict) -> None:
    for lease in Lease.objects.filter(contract_no__in=list(shop_starts)).select_related("room__building__unit"):
        age = (today - lease.start).days
        if age < 12 and rng.random() < 0.7:
            continue  # just opened, still within the limit (or a little past it)
        obligations.sign_commitment(lease, signed_on=lease.start + timedelta(days=rng.randrange(1, 8)),
                                    signer=lease.tenant.name)


def _hazards(rng: random.Random, today: date, office: OrgUnit) -> None:
    rooms = rng.sample(list(Room.objects.filter(building__unit=office).select_related("building__unit")
                            .order_by("code")), 40)
    now = timezone.now()
    for i, room in enumerate(rooms):
        checked = today - timedelta(days=rng.randrange(1, 60))
        found = []
        if i % 3 == 0:
            kind = rng.choice(("gas", "wiring"))
            found = [FindingIn(kind, "燃气软管老化，未装熄火保护" if kind == "gas" else "私拉电线、插座超负荷",
                               rng.choice((3, 5, 10)))]
        check = hazards.record_check(room, checked_on=checked, findings=found,
                                     note="燃气、电线检查" if not found else "发现隐患，限期整改")
        for finding in check.findings.select_related("follow_up"):
            if i % 2 == 0:  # fixed, and half of those verified
                item = followups.complete(finding.follow_up, note="已整改",
                                          at=min(now, finding.follow_up.opened_at + timedelta(days=2)))
                if i % 4 == 0:
                    followups.verify(item, effective=True, note="复查合格", at=min(now, item.done_at + timedelta(hours=4)))


def _patrol(rng: random.Random, today: date, office: OrgUnit) -> None:
    users = get_user_model()
    patrollers = []
    for n in range(1, 5):
        person, created = users.objects.get_or_create(username=f"jsjz-patrol{n}", defaults={
            "first_name": f"值班员{n}"})
        if created:
            person.set_unusable_password()
            person.save(update_fields=["password"])
        StaffRole.objects.get_or_create(user=person, role=Role.FOLLOW_UP_OWNER, unit=office)
        patrollers.append(person)
    day_shift = Shift.objects.create(unit=office, code=f"{OFFICE}-D", name="白班", starts=time(8), ends=time(20))
    night = Shift.objects.create(unit=office, code=f"{OFFICE}-N", name="夜班", starts=time(20), ends=time(8))
    areas = []
    for code, name, blocks in (("N", "北区（1–4 号楼）", ("B01", "B02", "B03", "B04")),
                               ("S", "南区（5–8 号楼）", ("B05", "B06", "B07", "B08")), ("R", "沿街商铺", ("S",))):
        area = PatrolArea.objects.create(unit=office, code=f"{OFFICE}-{code}", name=name)
        area.buildings.set(Building.objects.filter(code__in=blocks))
        areas.append(area)
    now = timezone.now()
    for offset in range(-7, 8):
        day = today + timedelta(days=offset)
        for s, shift in enumerate((day_shift, night)):
            for a, area in enumerate(areas[:2] if shift is night else areas):
                who = patrollers[(offset + s * 2 + a) % len(patrollers)]  # distinct within a shift
                entry = patrol.assign(day=day, shift=shift, area=area, patroller=who)
                if offset >= 0:
                    continue
                incidents = []
                if rng.random() < 0.15:
                    room = rng.choice(list(Room.objects.filter(building__in=area.buildings.all())[:50]))
                    incidents.append(patrol.IncidentIn("fire", "楼道堆放杂物，堵塞消防通道", room.code, True, 3))
                elif rng.random() < 0.2:
                    incidents.append(patrol.IncidentIn("other", "外来人员已劝离"))
                patrol.log_patrol(entry, note="巡查正常" if not incidents else "发现情况已记录",
                                  incidents=incidents, at=min(now, obligations.day_moment(day) + timedelta(hours=22)))


def build(progress: Callable[[str], None]) -> None:
    if Building.objects.filter(code="B01", unit__code=OFFICE).exists():
        return
    progress("出租房屋：金山石化建筑物业公司 500 间房屋、约 1000 名租户……")
    rng = random.Random(SEED)
    today = timezone.localdate()
    with transaction.atomic():
        office = _units()
        csv_io.import_rooms(io.StringIO(_rooms_csv()), unit=office)
        items, shop_starts = _leases(rng, today)
        register(items, lines=list(range(len(items))))
        _commitments(rng, today, shop_starts)
        _hazards(rng, today, office)
        _patrol(rng, today, office)


def report(write: Callable[[str], None]) -> None:
    if not Building.objects.filter(unit__code=OFFICE).exists():
        return
    row = figures(None)
    write(f"出租房屋（{OFFICE} 物业公司）：房间 {row['rooms']} 间（住房 {row['flats']}、商铺 {row['shops']}），"
          f"已入住 {row['occupied']} 间，入住率 {row['occupancy']:.1%}，现住租户 {row['tenants']} 人，"
          f"来自 {len(row['by_province'])} 个省份")
    write("  租户籍贯：" + "，".join(f"{province_name(p['code'])} {p['tenants']}" for p in row["by_province"]))
    write(f"  超期未登记 {row['registrations_overdue']} 人（待登记 {row['registrations_open']} 人），"
          f"超期未签安保承诺书 {row['commitments_overdue']} 户，未销号隐患 {row['hazards_open']} 处"
          f"（其中超期 {row['hazards_overdue']} 处）")
