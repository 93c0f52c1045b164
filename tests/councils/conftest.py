import pytest

from tests.factories import World, at
from yizhan.councils.meetings import hold_meeting
from yizhan.councils.models import Council, Member
from yizhan.org.models import Role, UnitKind


class Company(World):
    """The construction company JS with two branches; a council in each; secretary over branch 1."""

    def __init__(self, users) -> None:
        super().__init__(users)
        self.company = self.unit("JS", "金山石化建筑公司", UnitKind.COMPANY, None)
        self.branch = self.unit("JS-B1", "第一党支部", UnitKind.OFFICE, self.company)
        self.branch2 = self.unit("JS-B2", "第二党支部", UnitKind.OFFICE, self.company)
        self.works = self.unit("JS-WORKS", "工程部", UnitKind.OFFICE, self.company)
        self.secretary = self.staff("secretary", Role.COUNCIL_SECRETARY, self.branch)
        self.secretary2 = self.staff("secretary2", Role.COUNCIL_SECRETARY, self.branch2)
        self.owner = self.staff("owner", Role.FOLLOW_UP_OWNER, self.branch)
        self.council = Council.objects.create(unit=self.branch, name="第一支部议事会")
        self.council2 = Council.objects.create(unit=self.branch2, name="第二支部议事会")
        self.wang, self.li, self.zhao = (Member.objects.create(council=self.council, name=n) for n in ("王强", "李梅", "赵刚"))
        self.stranger = Member.objects.create(council=self.council2, name="孙丽")

    def meeting(self, year: int = 2009, quarter: int = 1, held_on=None, **kwargs):
        from datetime import date

        held_on = held_on or date(year, quarter * 3 - 1, 15)
        kwargs.setdefault("agenda", "一、职工食堂改进；二、安全生产")
        return hold_meeting(self.council, year=year, quarter=quarter, held_on=held_on,
                            attendees=[self.wang, self.li], at=at(f"{held_on} 14:00"), actor=self.secretary, **kwargs)


@pytest.fixture
def company(db, django_user_model):
    return Company(django_user_model)
