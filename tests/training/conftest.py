"""A CDC with its quality office (OFFICE QM) and its laboratory (OFFICE LAB); the training officer
over the CDC, another over a bureau (who sees none of the CDC's people); people: P1 and P2
(检验技师 at LAB, 24 h a year required at the CDC, 30 at LAB), P3 (行政人员, no requirement);
course C1 of the quality office (pass mark 60)."""

from datetime import date

import pytest

from tests.factories import World
from yizhan.org.models import Role, UnitKind
from yizhan.training.models import Course, Requirement, Trainee


class Cdc(World):
    def __init__(self, users) -> None:
        super().__init__(users)
        self.cdc = self.unit("CDC", "疾病预防控制中心", UnitKind.CDC, None)
        self.qm = self.unit("QM", "质量管理办公室", UnitKind.OFFICE, self.cdc)
        self.lab = self.unit("LAB", "检验科", UnitKind.OFFICE, self.cdc)
        self.bureau = self.unit("EDU", "教育局", UnitKind.BUREAU, None)
        self.officer = self.staff("officer", Role.TRAINING_OFFICER, self.cdc)
        self.other = self.staff("other", Role.TRAINING_OFFICER, self.bureau)
        self.p1 = Trainee.objects.create(code="P1", name="张检验", unit=self.lab, post="检验技师", phone="13800000001")
        self.p2 = Trainee.objects.create(code="P2", name="李检验", unit=self.lab, post="检验技师",
                                         email="li@cdc.example")
        self.p3 = Trainee.objects.create(code="P3", name="王行政", unit=self.cdc, post="行政人员")
        Requirement.objects.create(unit=self.cdc, post="检验技师", hours_per_year=24)
        self.course = Course.objects.create(code="C1", name="质量月内部培训", unit=self.qm)
        self.day = date(2010, 7, 6)


@pytest.fixture
def cdc(db, django_user_model):
    return Cdc(django_user_model)
