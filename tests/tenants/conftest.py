"""A property company: COMPANY JS (金山石化建筑) with its OFFICE WY (物业公司) and a second office
WY2 elsewhere in the company; building A with flats A-101 (2 people), A-102 (1) and shop A-S1.
People: manager (PROPERTY_MANAGER over WY), manager2 (over WY2), patroller (FOLLOW_UP_OWNER over
WY), outsider (no role)."""

from datetime import date

import pytest

from tests.factories import World
from yizhan.demo import fake
from yizhan.org.models import Role, UnitKind
from yizhan.tenants.models import Building, Room, RoomKind
from yizhan.tenants.registry import LeaseIn, Person, StayIn, register


def resident_id(region: str = "410105", seq: int = 123) -> str:
    """The ID number of someone born on 1 January 1990 registered in `region`."""
    return fake.resident_id(region, date(1990, 1, 1), seq)


class Property(World):
    def __init__(self, users) -> None:
        super().__init__(users)
        self.company = self.unit("JS", "上海金山石油化工建筑有限公司", UnitKind.COMPANY, None)
        self.office = self.unit("WY", "物业公司", UnitKind.OFFICE, self.company)
        self.office2 = self.unit("WY2", "第二物业部", UnitKind.OFFICE, self.company)
        self.manager = self.staff("manager", Role.PROPERTY_MANAGER, self.office)
        self.manager2 = self.staff("manager2", Role.PROPERTY_MANAGER, self.office2)
        self.patroller = self.staff("patroller", Role.FOLLOW_UP_OWNER, self.office)
        self.outsider = self.user("outsider")
        self.building = Building.objects.create(unit=self.office, code="A", name="A 幢")
        self.flat = Room.objects.create(building=self.building, code="A-101", number="101", capacity=2)
        self.single = Room.objects.create(building=self.building, code="A-102", number="102", capacity=1)
        self.shop = Room.objects.create(building=self.building, code="A-S1", number="S1", kind=RoomKind.SHOP,
                                        capacity=1)
        self._seq = 100

    def person(self, name: str = "张三", region: str = "410105") -> Person:
        self._seq += 1
        return Person(name, resident_id(region, seq=self._seq), "13812345678")

    def lease(self, room: str = "A-101", start: date = date(2026, 1, 1), end: date = date(2026, 12, 31), *,
              person: Person | None = None, no: str | None = None, **kwargs):
        person = person or self.person()
        self._seq += 1
        [lease] = register([LeaseIn(no or f"HT{self._seq}", room, person, start, end, 150000, 300000, **kwargs)],
                           actor=self.manager).leases
        return lease

    def move_in(self, lease, person: Person, on: date, **kwargs):
        [stay] = register([StayIn(lease.contract_no, person, on, **kwargs)], actor=self.manager).stays
        return stay


@pytest.fixture
def world(db, django_user_model) -> Property:
    return Property(django_user_model)
