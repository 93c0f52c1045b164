"""A CDC with two offices (laboratory, immunisation), a quality manager, a head and a clerk in each
office, and the 2010 plan with one audit per office (each led by the other office's head)."""

from datetime import date

import pytest

from tests.factories import World, at
from yizhan.org.models import Role, UnitKind
from yizhan.quality import audits


class QualityWorld(World):
    def __init__(self, users) -> None:
        super().__init__(users)
        self.cdc = self.unit("CDC", "开平市疾病预防控制中心", UnitKind.CDC, None)
        self.lab = self.unit("CDC-LAB", "检验科", UnitKind.OFFICE, self.cdc)
        self.imm = self.unit("CDC-IMM", "免疫规划科", UnitKind.OFFICE, self.cdc)
        self.manager = self.staff("manager", Role.QUALITY_MANAGER, self.cdc, first_name="何主任")
        self.manager2 = self.staff("manager2", Role.QUALITY_MANAGER, self.cdc)
        self.lab_head = self.staff("labhead", Role.FOLLOW_UP_OWNER, self.lab, first_name="陈科长")
        self.imm_head = self.staff("immhead", Role.FOLLOW_UP_OWNER, self.imm)
        self.outsider = self.user("outsider")
        self.plan = audits.create_plan(self.cdc, code="IA2010", title="2010 年度内部审核计划", year=2010,
                                       at=at("2010-03-01 09:00"), actor=self.manager)
        self.lab_audit = audits.schedule_audit(self.plan, self.lab, planned_on=date(2010, 6, 7),
                                               lead_auditor=self.imm_head, actor=self.manager)
        self.imm_audit = audits.schedule_audit(self.plan, self.imm, planned_on=date(2010, 6, 8),
                                               lead_auditor=self.lab_head, actor=self.manager)

    def conducted(self, audit=None):
        return audits.conduct(audit or self.lab_audit, conducted_on=date(2010, 6, 7), summary="基本有效",
                              at=at("2010-06-07 16:00"), actor=self.manager)

    def finding(self, audit=None, kind="nonconformity", clause="5.5.2", text="期间核查记录缺失"):
        return audits.add_finding(audit or self.lab_audit, kind=kind, clause=clause, description=text,
                                  at=at("2010-06-07 17:00"), actor=self.manager)


@pytest.fixture
def quality(db, django_user_model):
    return QualityWorld(django_user_model)
