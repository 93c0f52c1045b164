from datetime import date

import pytest

from tests.factories import World, at
from yizhan.demo import fake
from yizhan.ledger import posting
from yizhan.ledger.models import Account, AccountKind
from yizhan.org.models import Role, UnitKind
from yizhan.visits.families import register_family
from yizhan.visits.festival_table import load_festival_table
from yizhan.visits.models import Festival, FestivalDate


def resident_id(born: date = date(1970, 3, 15), serial: int = 123) -> str:
    """The ID number of someone registered in Jinshan district (310116)."""
    return fake.resident_id("310116", born, serial)


class Company(World):
    """The Jinshan construction company with its union's welfare officer, a visit budget of ¥1,000
    and two families; a second company with its own officer and family, for scope."""

    def __init__(self, users) -> None:
        super().__init__(users)
        # A browser test before this one flushed the tables, the migration's festival rows with them.
        load_festival_table(Festival, FestivalDate)
        self.company = self.unit("JSPC", "金山石化建筑公司", UnitKind.COMPANY, None)
        self.other = self.unit("BOHAI", "博海餐饮公司", UnitKind.COMPANY, None)
        self.officer = self.staff("welfare", Role.WELFARE_OFFICER, self.company, email="welfare@example.org")
        self.other_officer = self.staff("welfare2", Role.WELFARE_OFFICER, self.other, email="w2@example.org")
        self.budget = Account.objects.create(code="JSPC-VISIT", name="帮困送温暖预算", kind=AccountKind.BUDGET,
                                             unit=self.company, opened_on=date(2009, 1, 1))
        posting.post(self.budget, 100_000, category="budget_allocation", at=at("2009-01-02 09:00"))
        self.other_budget = Account.objects.create(code="BOHAI-VISIT", name="博海预算", kind=AccountKind.BUDGET,
                                                   unit=self.other, opened_on=date(2009, 1, 1))
        posting.post(self.other_budget, 100_000, category="budget_allocation", at=at("2009-01-02 09:00"))
        self.zhang = self.family("JS001", "张建国", reason="illness")
        self.li = self.family("JS002", "李秀英", reason="student", born=date(1980, 1, 1), serial=222)
        self.wang = self.family("BH001", "王海燕", unit=self.other, born=date(1975, 5, 5), serial=333)

    def family(self, household_no: str, name: str, *, unit=None, reason: str = "low_income",
               born: date = date(1970, 3, 15), serial: int = 123, employee_id: str | None = None):
        unit = unit or self.company
        return register_family(unit, household_no=household_no, head_name=name, employee_name=name,
                               employee_id=employee_id or resident_id(born, serial), members=3, reason=reason,
                               actor=self.other_officer if unit == self.other else self.officer)


@pytest.fixture
def company(db, django_user_model):
    return Company(django_user_model)
