import pytest

from tests.factories import World
from yizhan.org.models import Role, UnitKind


class Bureau(World):
    """The bureau B with schools S1, S2 and S3; leaders hold LIAISON_LEADER over the bureau."""

    def __init__(self, users) -> None:
        super().__init__(users)
        self.bureau = self.unit("B", "神农架林区教育局", UnitKind.BUREAU, None)
        self.s1 = self.unit("S1", "松柏小学", UnitKind.SCHOOL, self.bureau)
        self.s2 = self.unit("S2", "红坪小学", UnitKind.SCHOOL, self.bureau)
        self.s3 = self.unit("S3", "木鱼中学", UnitKind.SCHOOL, self.bureau)
        self.chen = self.staff("chen", Role.LIAISON_LEADER, self.bureau, first_name="陈局长")
        self.liu = self.staff("liu", Role.LIAISON_LEADER, self.bureau)
        self.clerk = self.staff("clerk", Role.LIAISON_LEADER, self.s3)


@pytest.fixture
def bureau(db, django_user_model):
    return Bureau(django_user_model)
