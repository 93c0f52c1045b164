"""Bohai Catering Co.'s hardship relief fund (渤海餐饮特困救助基金会), as the seed tells it: 812 staff
contributed ¥81,300 through the union, the company granted ¥118,700, ¥200,000 in all; five members
with a serious illness recognised by the medical insurer were helped with ¥140,000. Everything runs
through the app's services: the rules are loaded from their data file, the staff contributions are
imported from a CSV file, and every application is a case on the hall's engine (one waits for a
one-time notice, one is refused by two members of the committee)."""

import io
import random
from datetime import date, datetime, time, timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from yizhan.calendar.workdays import local_tz
from yizhan.demo import fake
from yizhan.hall.models import Matter
from yizhan.ledger.models import Account
from yizhan.ledger.money import yuan
from yizhan.org.models import OrgUnit, Role, StaffRole, UnitKind
from yizhan.relief import applications, contributions, members
from yizhan.relief.models import Application, ContributionKind, Fund
from yizhan.relief.report import fund_report, write_report
from yizhan.relief.rules import in_force, load_rules

ORDER = 65
COMPANY = "BH-CATERING"
OFFICE, WINDOW, FUND = f"{COMPANY}-JJH", f"{COMPANY}-JJH-W1", f"{COMPANY}-RELIEF"
RULES_FILE = Path(__file__).resolve().parent / "data" / "bohai-rules.json"
ACTOR = "demo"
DEPARTMENTS = ["前厅部", "后厨", "采购部", "配送中心", "财务部", "行政部"]
# 812 staff: what each gave (yuan) and how many gave it — ¥81,300 in all.
STAFF_GIFTS = [(100, 600), (80, 150), (150, 62)]
COMPANY_GRANT_FEN = 20_000_000 - sum(y * 100 * n for y, n in STAFF_GIFTS)  # ¥118,700: ¥200,000 in all
# (staff index, illness, requested yuan, granted yuan, materials missing at first)
HELPED = [(17, "恶性肿瘤", 42_000, 30_000, 0), (233, "尿毒症（肾功能衰竭透析治疗）", 35_000, 30_000, 2),
          (405, "白血病", 30_000, 28_000, 0), (518, "器官移植", 27_000, 27_000, 0), (760, "急性心肌梗死", 25_000, 25_000, 0)]
REFUSED = (91, "脑卒中后遗症", 20_000)

ACCOUNTS = [
    ("bh_treasurer", Role.TREASURER, COMPANY, "渤海餐饮 特困救助基金出纳"),
    ("bh_chair", Role.COMMITTEE_MEMBER, COMPANY, "渤海餐饮 基金委员会主任"),
    ("bh_committee", Role.COMMITTEE_MEMBER, COMPANY, "渤海餐饮 基金委员会委员"),
    ("bh_welfare", Role.WELFARE_OFFICER, COMPANY, "渤海餐饮 工会帮扶干事"),
]


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), local_tz())


def built() -> bool:
    return OrgUnit.objects.filter(code=COMPANY).exists()


def _resident_id(n: int, rng: random.Random) -> str:
    return fake.resident_id("120101", fake.birth_date(rng, date(1960, 1, 1), 30), n)


def _fund() -> Fund:
    company = OrgUnit.objects.create(code=COMPANY, name="渤海餐饮有限公司", kind=UnitKind.COMPANY)
    office = OrgUnit.objects.create(code=OFFICE, name="特困救助基金会", kind=UnitKind.DEPARTMENT, parent=company)
    window = OrgUnit.objects.create(code=WINDOW, name="工会救助受理窗口", kind=UnitKind.WINDOW, parent=office)
    account = Account.objects.create(code=FUND, name="特困救助基金", unit=company, opened_on=date(2011, 1, 1))
    matter = Matter.objects.create(code=FUND, name="特困救助申请", department=office, statutory_days=20,
                                   promised_days=10, legal_basis="《渤海餐饮有限公司特困救助基金管理办法》")
    matter.windows.add(window)
    return Fund.objects.create(code=FUND, name="渤海餐饮特困救助基金", company=company, account=account,
                               matter=matter, window=window, founded_on=date(2011, 1, 1))


def _committee(company: OrgUnit) -> list:
    """The two members of the committee who decided in 2011 (the demo's login accounts are others,
    made after the build, so their passwords are set by the demo command)."""
    people = []
    for username, name in (("bh_wangjun", "王军"), ("bh_zhaoli", "赵丽")):
        user, created = get_user_model().objects.get_or_create(username=username, defaults={"first_name": name})
        if created:
            user.set_unusable_password()
            user.save()
        StaffRole.objects.get_or_create(user=user, role=Role.COMMITTEE_MEMBER, unit=company)
        people.append(user)
    return people


def _staff_csv(staff: list) -> io.BytesIO:
    amounts = [y for y, n in STAFF_GIFTS for _i in range(n)]
    lines = ["kind,contributor,amount,staff_no,received_on"]
    for i, (member, gift) in enumerate(zip(staff, amounts, strict=True)):
        lines.append(f"staff,{member.name},{gift},{member.staff_no},2011-01-{10 + i % 5:02d}")
    return io.BytesIO("\n".join(lines).encode())


def build(progress) -> None:
    if built():
        return
    rng = random.Random(2011)
    with transaction.atomic():
        fund = _fund()
        with RULES_FILE.open("rb") as stream:
            rules = load_rules(stream, actor_label=ACTOR)
        chair, member = _committee(fund.company)
        staff = [members.register(fund, resident_id=_resident_id(n, rng), staff_no=f"BH{n:04d}",
                                  name=f"职工{n:03d}", department=DEPARTMENTS[n % len(DEPARTMENTS)],
                                  at=_at(date(2011, 1, 4), 9), actor_label=ACTOR)
                 for n in range(1, 813)]
        contributions.import_contributions(fund, _staff_csv(staff), at=_at(date(2011, 1, 17), 9),
                                           actor_label=ACTOR)
        contributions.contribute(fund, kind=ContributionKind.COMPANY, amount_fen=COMPANY_GRANT_FEN,
                                 contributor="渤海餐饮有限公司", note="公司拨款", at=_at(date(2011, 1, 20), 10),
                                 actor_label=ACTOR)
        day = date(2011, 3, 7)
        for k, (n, illness, requested, granted, missing) in enumerate(HELPED):
            handed = rules.materials[:len(rules.materials) - missing]
            application = applications.apply(
                fund=fund, resident_id=staff[n].resident_id, illness=illness, certificate_no=f"TJYB-2011-{n:04d}",
                requested_fen=requested * 100, materials=handed, at=_at(day, 9), actor_label=ACTOR)
            if missing:
                applications.notice(application, at=_at(day, 10), actor_label=ACTOR)
                applications.supplement(application, rules.materials[-missing:], at=_at(day + timedelta(days=2), 9),
                                        actor_label=ACTOR)
            decider = chair if k % 2 == 0 else member
            applications.approve(application, amount_fen=granted * 100, note="经委员会审议同意",
                                 at=_at(day + timedelta(days=3), 15), actor=decider)
            applications.pay(application, at=_at(day + timedelta(days=4), 10), actor_label=ACTOR)
            day += timedelta(days=14)
        n, illness, requested = REFUSED
        refused = applications.apply(fund=fund, resident_id=staff[n].resident_id, illness=illness,
                                     certificate_no=f"TJYB-2011-{n:04d}", requested_fen=requested * 100,
                                     materials=rules.materials, at=_at(day, 9), actor_label=ACTOR)
        applications.propose_refusal(refused, reason="医疗费用已由商业保险足额赔付，无自付困难",
                                     legal_basis="管理办法第三条", by=chair, at=_at(day + timedelta(days=2), 15))
        applications.confirm_refusal(refused, by=member, note="同意不予救助",
                                     at=_at(day + timedelta(days=3), 10))
    progress(f"特困救助基金：{len(staff)} 名会员，{len(HELPED)} 人获救助。")


def report(write) -> None:
    fund = Fund.objects.filter(code=FUND).select_related("account").first()
    if fund is None:
        return
    figures = fund_report(fund)
    write_report(fund, figures, write, indent="· ")
    write(f"· 种子数据：800 多名职工捐款 8 万多元，公司拨款 11 万多元，共 20 万元；救助 5 人 14 万元。"
          f"台账核对：收入 ¥{yuan(figures.received_fen)}，支出 ¥{yuan(figures.paid_fen)}")


# This year's applications: (staff index, illness, requested yuan, granted yuan, how far it has got).
PRESENT = [(44, "恶性肿瘤", 30_000, 20_000, "paid"), (128, "尿毒症（肾功能衰竭透析治疗）", 25_000, 15_000, "approved"),
           (302, "白血病", 20_000, 0, "notice"), (611, "急性心肌梗死", 18_000, 0, "applied")]
PRESENT_GRANT_FEN = 5_000_000  # the company's grant of the year


def build_present(now: datetime, progress=lambda _line: None) -> None:
    """This year's fund: the company's grant in January and four applications of the last weeks — one
    paid, one approved and waiting for the treasurer, one waiting for materials after its one-time
    notice, one just received."""
    fund = Fund.objects.filter(code=FUND).first()
    today = now.astimezone(local_tz()).date()
    if fund is None or Application.objects.filter(fund=fund, case__received_at__year=today.year).exists():
        return
    chair, member = _committee(fund.company)
    staff = list(fund.members.order_by("staff_no"))
    materials = in_force(fund, today).materials
    first = max(date(today.year, 1, 5), today - timedelta(days=30))
    with transaction.atomic():
        contributions.contribute(fund, kind=ContributionKind.COMPANY, amount_fen=PRESENT_GRANT_FEN,
                                 contributor="渤海餐饮有限公司", note=f"{today.year}年公司拨款",
                                 at=_at(date(today.year, 1, 5), 10), actor_label=ACTOR)
        for k, (n, illness, requested, granted, stage) in enumerate(PRESENT):
            day = min(today, first + timedelta(days=7 * k))
            at = min(now, _at(day, 9))
            handed = materials if stage != "notice" else materials[:-1]
            application = applications.apply(
                fund=fund, resident_id=staff[n].resident_id, illness=illness, certificate_no=f"TJYB-{today.year}-{n:04d}",
                requested_fen=requested * 100, materials=handed, at=at, actor_label=ACTOR)
            if stage == "notice":
                applications.notice(application, at=at + timedelta(minutes=20), actor_label=ACTOR)
            if stage in ("paid", "approved"):
                applications.approve(application, amount_fen=granted * 100, note="经委员会审议同意",
                                     at=min(now, at + timedelta(days=3)), actor=chair if k % 2 == 0 else member)
            if stage == "paid":
                applications.pay(application, at=min(now, at + timedelta(days=4)), actor_label=ACTOR)
    progress(f"特困救助基金：{today.year} 年申请 {len(PRESENT)} 件")
