"""The Shennongjia education bureau in small: the bureau B with its subsidy office (资助管理中心,
department B-ZZ, window B-ZZ-W), two schools in two townships (S1 in 松柏, not cold; S2 in the
remote, cold 下谷), one term, two programmes (两免一补 for all, 寄宿费减免 for boarders, 交通补助 for
remote townships, 取暖补助 for cold-area schools) paid from one budget of ¥10,000.

People: clerk1 (school clerk of S1), clerk2 (of S2), officer (subsidy officer over the bureau), head
(department head of the subsidy office: confirms refusals), outsider."""

from datetime import date

import pytest

from tests.factories import World, at
from yizhan.demo import fake
from yizhan.hall.models import Matter
from yizhan.ledger import posting
from yizhan.ledger.models import Account, AccountKind
from yizhan.org.models import Role, UnitKind
from yizhan.subsidies.models import Eligibility, Programme, Pupil, School, Term, Township


def rid(n: int) -> str:
    """A valid resident ID of a pupil born in 2000 (Shennongjia area code 429021)."""
    return fake.resident_id("429021", date(2000, 1, 1), n)


class Bureau(World):
    def __init__(self, users) -> None:
        super().__init__(users)
        self.bureau = self.unit("B", "神农架林区教育局", UnitKind.BUREAU, None)
        self.office = self.unit("B-ZZ", "学生资助管理中心", UnitKind.DEPARTMENT, self.bureau)
        self.window = self.unit("B-ZZ-W", "资助受理窗口", UnitKind.WINDOW, self.office)
        self.s1 = self.unit("S1", "松柏镇中心小学", UnitKind.SCHOOL, self.bureau)
        self.s2 = self.unit("S2", "下谷乡小学", UnitKind.SCHOOL, self.bureau)
        self.songbai = Township.objects.create(code="T1", name="松柏镇")
        self.xiagu = Township.objects.create(code="T2", name="下谷乡", remote=True)
        School.objects.create(unit=self.s1, township=self.songbai)
        School.objects.create(unit=self.s2, township=self.xiagu, cold_area=True)
        self.term = Term.objects.create(code="2010-2", name="2010年秋季学期", first_day=date(2010, 9, 1),
                                        last_day=date(2011, 1, 20))
        self.budget = Account.objects.create(code="B-ZZ-BUDGET", name="资助预算", kind=AccountKind.BUDGET,
                                             unit=self.bureau, opened_on=date(2010, 1, 1))
        posting.post(self.budget, 1_000_000, category="budget_allocation", at=at("2010-01-04 09:00"))
        self.clerk1 = self.staff("clerk1", Role.SCHOOL_CLERK, self.s1)
        self.clerk2 = self.staff("clerk2", Role.SCHOOL_CLERK, self.s2)
        self.officer = self.staff("officer", Role.SUBSIDY_OFFICER, self.bureau)
        self.head = self.staff("head", Role.DEPARTMENT_HEAD, self.office)
        self.outsider = self.user("outsider")
        self.free = self.programme("LMYB", "两免一补", Eligibility.ALL, 25_000)
        self.boarding = self.programme("JSF", "寄宿费减免", Eligibility.BOARDERS, 50_000)
        self.transport = self.programme("JT", "交通补助", Eligibility.REMOTE, 10_000)
        self.heating = self.programme("QN", "冬季取暖补助", Eligibility.COLD_SCHOOL, 8_000)
        # Pupils 1–4 at S1 (2 and 4 board), 11–13 at S2 (11 boards; all from remote 下谷).
        self.pupils = {}
        for n, school, township, boarder in ((1, self.s1, self.songbai, False), (2, self.s1, self.songbai, True),
                                             (3, self.s1, self.xiagu, False), (4, self.s1, self.songbai, True),
                                             (11, self.s2, self.xiagu, True), (12, self.s2, self.xiagu, False),
                                             (13, self.s2, self.xiagu, False)):
            self.pupils[n] = Pupil.objects.create(resident_id=rid(n), name=f"学生{n}", school=school,
                                                  township=township, boarder=boarder)

    def programme(self, code: str, name: str, eligibility: str, amount_fen: int) -> Programme:
        matter = Matter.objects.create(code=f"ZZ-{code}", name=f"{name}审批", department=self.office,
                                       statutory_days=20, promised_days=10)
        return Programme.objects.create(code=code, name=name, bureau=self.bureau, eligibility=eligibility,
                                        amount_fen=amount_fen, matter=matter, account=self.budget)


@pytest.fixture
def bureau(db, django_user_model):
    return Bureau(django_user_model)
