"""A small CDC: two township health centers with two village clinics each, the shipped programme
catalogue, an assessor at the CDC, the T1 director as follow-up owner and a 2010 round over the
immunisation and disease-reporting programmes (six indicators)."""

import pytest

from tests.factories import World, at
from yizhan.assessment import scoring
from yizhan.assessment.catalogue import load_programmes
from yizhan.assessment.models import Programme
from yizhan.org.models import Role, UnitKind


class Grassroots(World):
    def __init__(self, users) -> None:
        super().__init__(users)
        self.cdc = self.unit("CDC", "开平市疾病预防控制中心", UnitKind.CDC, None)
        self.t1 = self.unit("T1", "三埠镇卫生院", UnitKind.TOWNSHIP, self.cdc)
        self.t2 = self.unit("T2", "长沙镇卫生院", UnitKind.TOWNSHIP, self.cdc)
        self.v11 = self.unit("T1-V1", "三埠镇中心村卫生站", UnitKind.VILLAGE, self.t1)
        self.v12 = self.unit("T1-V2", "三埠镇东村卫生站", UnitKind.VILLAGE, self.t1)
        self.v21 = self.unit("T2-V1", "长沙镇中心村卫生站", UnitKind.VILLAGE, self.t2)
        self.v22 = self.unit("T2-V2", "长沙镇东村卫生站", UnitKind.VILLAGE, self.t2)
        self.assessor = self.staff("assessor", Role.ASSESSOR, self.cdc, first_name="考核员")
        self.assessor2 = self.staff("assessor2", Role.ASSESSOR, self.cdc)
        self.director = self.staff("director", Role.FOLLOW_UP_OWNER, self.t1, first_name="三埠院长")
        self.other_assessor = self.staff("elsewhere", Role.ASSESSOR, self.t2)
        self.outsider = self.user("outsider")
        load_programmes(self.cdc)
        self.round = scoring.open_round(
            self.cdc, code="R2010", name="2010 年基本公共卫生服务考核", year=2010,
            programmes=Programme.objects.filter(code__in=("P03", "P04")), pass_mark=80, rectification_days=10,
            at=at("2010-11-01 09:00"), actor=self.assessor)
        self.indicators = scoring.sheet(self.round)

    def sheet(self, unit):
        return self.round.assessments.get(unit=unit)

    def full_marks(self, unit, **lower: str):
        """Score every indicator of `unit` at its maximum, except those named (code with _ for -)."""
        entries = []
        for i in self.indicators:
            value = lower.get(i.code.replace("-", "_"))
            entries.append(scoring.Entry(i.code, value if value is not None else i.max_score,
                                         "抽查发现问题" if value is not None else "", "档案盒 3"))
        return scoring.enter_scores(self.sheet(unit), entries, at=at("2010-11-02 10:00"), actor=self.assessor)


@pytest.fixture
def grassroots(db, django_user_model):
    return Grassroots(django_user_model)
