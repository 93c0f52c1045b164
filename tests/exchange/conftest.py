import pytest

from tests.factories import World
from yizhan.exchange.models import Area, SchoolSite
from yizhan.org.models import Role, UnitKind


class Schools(World):
    """Bureau B: town school TOWN, country schools VIL1 and VIL2; the staff officer over B."""

    def __init__(self, users) -> None:
        super().__init__(users)
        self.bureau = self.unit("B", "神农架林区教育局", UnitKind.BUREAU, None)
        self.town = self.unit("TOWN", "松柏镇中心小学", UnitKind.SCHOOL, self.bureau)
        self.vil1 = self.unit("VIL1", "红坪村小", UnitKind.SCHOOL, self.bureau)
        self.vil2 = self.unit("VIL2", "宋洛村小", UnitKind.SCHOOL, self.bureau)
        for school, area in ((self.town, Area.TOWN), (self.vil1, Area.COUNTRY), (self.vil2, Area.COUNTRY)):
            SchoolSite.objects.create(school=school, area=area)
        self.officer = self.staff("officer", Role.TRAINING_OFFICER, self.bureau)
        self.village_clerk = self.staff("village", Role.TRAINING_OFFICER, self.vil2)


@pytest.fixture
def schools(db, django_user_model):
    return Schools(django_user_model)
