"""The Bohai Catering Co. in small: the company BH with its relief fund's office (department BH-JJH,
window BH-JJH-W), the fund's ledger account and matter, the 2009 management rules (two recognised
illnesses, three materials, ¥30,000 a person and ¥150,000 a year), six members, and ¥200,000 in the
fund (a union transfer of ¥80,000 from 800 staff and the company's grant of ¥120,000).

People: treasurer, chair and member (committee members), welfare (the union's welfare officer),
outsider (no role). Cases live in March 2011 (7 March is a Monday)."""

import io
import json
from datetime import date

import pytest

from tests.factories import World, at
from yizhan.demo import fake
from yizhan.hall.models import Matter
from yizhan.ledger.models import Account
from yizhan.org.models import Role, UnitKind
from yizhan.relief import contributions, members
from yizhan.relief.models import ContributionKind, Fund
from yizhan.relief.rules import load_rules

MATERIALS = ["救助申请表", "医保重大疾病认定证明", "医疗费用票据"]
RULES = {"fund": "BH-RELIEF", "version": "2009-1", "title": "渤海餐饮特困救助基金管理办法",
         "effective_from": "2009-01-01", "illnesses": ["恶性肿瘤", "尿毒症"], "certificate_required": True,
         "materials": MATERIALS, "ceiling_per_person_fen": 3_000_000, "ceiling_per_year_fen": 15_000_000,
         "text": "第一条 为帮助患重大疾病的会员……"}


def rid(n: int) -> str:
    """Member n's ID number (born 1 January 1970 in Tianjin)."""
    return fake.resident_id("120101", date(1970, 1, 1), n)


def rules_file(**changes) -> io.BytesIO:
    return io.BytesIO(json.dumps({**RULES, **changes}, ensure_ascii=False).encode())


class Company(World):
    def __init__(self, users) -> None:
        super().__init__(users)
        self.company = self.unit("BH", "渤海餐饮有限公司", UnitKind.COMPANY, None)
        self.office = self.unit("BH-JJH", "特困救助基金会", UnitKind.DEPARTMENT, self.company)
        self.window = self.unit("BH-JJH-W", "救助受理窗口", UnitKind.WINDOW, self.office)
        self.account = Account.objects.create(code="BH-RELIEF", name="特困救助基金", unit=self.company,
                                              opened_on=date(2009, 1, 1))
        self.matter = Matter.objects.create(code="BH-RELIEF", name="特困救助申请", department=self.office,
                                            statutory_days=20, promised_days=10)
        self.fund = Fund.objects.create(code="BH-RELIEF", name="渤海餐饮特困救助基金", company=self.company,
                                        account=self.account, matter=self.matter, window=self.window,
                                        founded_on=date(2009, 1, 1))
        self.rules = load_rules(rules_file())
        self.treasurer = self.staff("treasurer", Role.TREASURER, self.company)
        self.chair = self.staff("chair", Role.COMMITTEE_MEMBER, self.company)
        self.member = self.staff("member", Role.COMMITTEE_MEMBER, self.company)
        self.welfare = self.staff("welfare", Role.WELFARE_OFFICER, self.company)
        self.outsider = self.user("outsider")
        self.members = [members.register(self.fund, resident_id=rid(n), staff_no=f"E{n:03d}", name=f"会员{n}",
                                         department="后厨") for n in range(1, 7)]
        contributions.contribute(self.fund, kind=ContributionKind.UNION, amount_fen=8_000_000,
                                 contributor="公司工会", contributors=800, at=at("2011-03-01 10:00"),
                                 actor=self.treasurer)
        contributions.contribute(self.fund, kind=ContributionKind.COMPANY, amount_fen=12_000_000,
                                 contributor="渤海餐饮有限公司", at=at("2011-03-01 11:00"), actor=self.treasurer)

    def apply(self, n: int = 1, *, when: str = "2011-03-07 09:00", materials=tuple(MATERIALS), **kwargs):
        from yizhan.relief import applications

        kwargs.setdefault("illness", "恶性肿瘤")
        kwargs.setdefault("certificate_no", f"YB-{n}")
        kwargs.setdefault("requested_fen", 3_000_000)
        return applications.apply(fund=self.fund, resident_id=rid(n), materials=list(materials), at=at(when),
                                  actor=self.welfare, **kwargs)

    def balance(self) -> int:
        self.account.refresh_from_db()
        return self.account.balance_fen


@pytest.fixture
def bh(db, django_user_model):
    return Company(django_user_model)
