import pytest

from tests.factories import World, at
from yizhan.clock.limits import Limit
from yizhan.followups import service
from yizhan.followups.models import FollowUp
from yizhan.org.models import Role, UnitKind


class Office(World):
    """A CDC with a lab and an epidemiology office; the quality manager over the CDC, one follow-up
    owner in each office."""

    def __init__(self, users) -> None:
        super().__init__(users)
        self.cdc = self.unit("CDC", "市疾控中心", UnitKind.CDC, None)
        self.lab = self.unit("CDC-LAB", "检验科", UnitKind.OFFICE, self.cdc)
        self.epi = self.unit("CDC-EPI", "流行病学科", UnitKind.OFFICE, self.cdc)
        self.manager = self.staff("manager", Role.QUALITY_MANAGER, self.cdc)
        self.owner = self.staff("owner", Role.FOLLOW_UP_OWNER, self.lab)
        self.epi_owner = self.staff("epi", Role.FOLLOW_UP_OWNER, self.epi)

    def item(self, **kwargs) -> FollowUp:
        kwargs.setdefault("kind", "quality.corrective_action")
        kwargs.setdefault("title", "温度记录缺失，补建冰箱温度监控")
        kwargs.setdefault("unit", self.lab)
        kwargs.setdefault("owner", self.owner)
        kwargs.setdefault("limit", Limit.days(5))
        kwargs.setdefault("at", at("2010-03-01 09:00"))
        return service.open_follow_up(self.lab, actor=self.manager, **kwargs)


@pytest.fixture
def office(db, django_user_model):
    return Office(django_user_model)
