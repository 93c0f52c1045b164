"""A small hall for the engine's tests, on the 2010 calendar (March 2010 has no holidays; 1 March is
a Monday)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from yizhan.hall.models import Material, MaterialRequirement, Matter, MatterKind
from yizhan.org.models import OrgUnit, Role, StaffRole, UnitKind

TZ = ZoneInfo("Asia/Shanghai")


def at(text: str) -> datetime:
    """A local moment: at("2010-03-01 09:00")."""
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


class Hall:
    """Center C; department D1 (windows W11, W12) and D2 (window W21). Staff: two clerks, the head
    of D1, the head of D2, a hall supervisor over the whole center. Matters: LIC (promised 5, statutory
    20, green channel 2; materials A, B mandatory and C conditional), SPOT (on the spot), PLAIN (no
    green channel)."""

    def __init__(self, users) -> None:
        self.center = OrgUnit.objects.create(code="C", name="开平市行政服务中心", kind=UnitKind.CENTER)
        self.d1 = OrgUnit.objects.create(code="D1", name="市市场监督管理局", kind=UnitKind.DEPARTMENT, parent=self.center)
        self.d2 = OrgUnit.objects.create(code="D2", name="市住房和城乡建设局", kind=UnitKind.DEPARTMENT, parent=self.center)
        self.w11 = OrgUnit.objects.create(code="W11", name="市场监管一号窗口", kind=UnitKind.WINDOW, parent=self.d1)
        self.w12 = OrgUnit.objects.create(code="W12", name="市场监管二号窗口", kind=UnitKind.WINDOW, parent=self.d1)
        self.w21 = OrgUnit.objects.create(code="W21", name="住建窗口", kind=UnitKind.WINDOW, parent=self.d2)
        self.clerk = users.objects.create_user("clerk")
        self.clerk2 = users.objects.create_user("clerk2")
        self.head = users.objects.create_user("head")
        self.head2 = users.objects.create_user("head2")
        self.supervisor = users.objects.create_user("supervisor")
        StaffRole.objects.create(user=self.clerk, role=Role.CLERK, unit=self.w11)
        StaffRole.objects.create(user=self.clerk2, role=Role.CLERK, unit=self.d1)
        StaffRole.objects.create(user=self.head, role=Role.DEPARTMENT_HEAD, unit=self.d1)
        StaffRole.objects.create(user=self.head2, role=Role.DEPARTMENT_HEAD, unit=self.d2)
        StaffRole.objects.create(user=self.supervisor, role=Role.HALL_SUPERVISOR, unit=self.center)
        self.lic = Matter.objects.create(code="LIC", name="食品经营许可", department=self.d1, kind=MatterKind.PROMISED,
                                         statutory_days=20, promised_days=5, green_channel=True, green_channel_days=2,
                                         legal_basis="《食品安全法》第三十五条")
        self.a = Material.objects.create(matter=self.lic, name="申请书", sort=1)
        self.b = Material.objects.create(matter=self.lic, name="营业执照", form="copy", copies=2, sort=2)
        self.c = Material.objects.create(matter=self.lic, name="授权委托书", requirement=MaterialRequirement.CONDITIONAL,
                                         condition="委托他人办理的", sort=3)
        self.spot = Matter.objects.create(code="SPOT", name="个体户名称变更", department=self.d1,
                                          kind=MatterKind.ON_THE_SPOT, statutory_days=5, promised_days=0)
        self.plain = Matter.objects.create(code="PLAIN", name="建筑施工许可", department=self.d2,
                                           kind=MatterKind.PROMISED, statutory_days=15, promised_days=10)

    def receive(self, matter=None, window=None, when="2010-03-01 09:00", **kwargs):
        from yizhan.hall.cases import receive_case

        kwargs.setdefault("applicant_name", "张三")
        return receive_case(matter=matter or self.lic, window=window or self.w11, at=at(when), actor=self.clerk,
                            **kwargs)

    def accepted(self, matter=None, window=None, when="2010-03-01 09:00", **kwargs):
        return self.receive(matter, window, when, accept=True, **kwargs)


@pytest.fixture
def hall(db, django_user_model) -> Hall:
    return Hall(django_user_model)
