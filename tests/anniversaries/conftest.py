from datetime import date

import pytest

from tests.factories import World
from yizhan.anniversaries.models import PartyMember
from yizhan.org.models import Role, UnitKind


class Party(World):
    """The company's party committee with two branches, its welfare officer, and three members: one who
    joined on 1 July 1985, one on 29 February 1988, one in another company."""

    def __init__(self, users) -> None:
        super().__init__(users)
        self.company = self.unit("JSPC", "金山石化建筑公司", UnitKind.COMPANY, None)
        self.branch = self.unit("JSPC-B1", "第一党支部", UnitKind.OFFICE, self.company)
        self.other = self.unit("BOHAI", "博海餐饮公司", UnitKind.COMPANY, None)
        self.officer = self.staff("welfare", Role.WELFARE_OFFICER, self.company)
        self.july = self.member("DY0001", "王卫东", date(1985, 7, 1), phone="13912345678")
        self.leap = self.member("DY0002", "李秀兰", date(1988, 2, 29), email="li@example.org")
        self.outside = self.member("BH0001", "赵志刚", date(1990, 7, 1), unit=self.other, phone="13800000000")

    def member(self, number: str, name: str, joined: date, *, unit=None, **extra) -> PartyMember:
        return PartyMember.objects.create(member_no=number, name=name, joined_on=joined, unit=unit or self.branch,
                                          **extra)


@pytest.fixture
def party(db, django_user_model):
    return Party(django_user_model)
