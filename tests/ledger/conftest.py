import pytest

from tests.factories import World, at
from yizhan.ledger.models import Account
from yizhan.org.models import Role, UnitKind


class Fund(World):
    """A catering company's relief fund kept by its union: the union's treasurer and a committee
    member; a treasurer of another company (stranger)."""

    def __init__(self, users) -> None:
        super().__init__(users)
        self.company = self.unit("CAT", "餐饮公司", UnitKind.COMPANY, None)
        self.union = self.unit("CAT-U", "公司工会", UnitKind.OFFICE, self.company)
        self.other = self.unit("BLD", "建筑公司", UnitKind.COMPANY, None)
        self.treasurer = self.staff("treasurer", Role.TREASURER, self.union)
        self.member = self.staff("member", Role.COMMITTEE_MEMBER, self.union)
        self.stranger = self.staff("stranger", Role.TREASURER, self.other)
        self.account = Account.objects.create(code="CAT-FUND", name="特困救助基金", unit=self.union,
                                              opened_on=at("2009-01-01 00:00").date())


@pytest.fixture
def fund(db, django_user_model):
    return Fund(django_user_model)
