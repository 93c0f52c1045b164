"""The Shennongjia Forestry District education bureau's student subsidies (贫困生资助): six schools
in six townships, 360 pupils, five programmes, two terms (autumn 2010, applied for in November;
spring 2011, applied for in March 2011 — outside the hall's replayed March–October 2010, so the
service center's figures stay as the seed gives them). Every batch goes through the engine: the
school applies, the bureau's officer approves within the promised limit and the budget pays."""

import random
from datetime import date, datetime, time, timedelta

from django.db import transaction

from yizhan.calendar.workdays import local_tz
from yizhan.demo import fake
from yizhan.hall.models import Matter
from yizhan.ledger import posting
from yizhan.ledger.models import Account, AccountKind
from yizhan.ledger.money import yuan
from yizhan.org.models import OrgUnit, Role, UnitKind
from yizhan.subsidies import applications
from yizhan.subsidies.eligibility import refusal
from yizhan.subsidies.figures import figures
from yizhan.subsidies.models import Eligibility, Grant, Programme, Pupil, School, Term, Township

ORDER = 60
BUREAU = "SNJ-EDU"
OFFICE, WINDOW = f"{BUREAU}-ZZ", f"{BUREAU}-ZZ-W1"
ACTOR = "demo"
# (code, name, remote, cold): the district's townships; the high ones are cold in winter.
TOWNSHIPS = [("SB", "松柏镇", False, False), ("YR", "阳日镇", False, False), ("MY", "木鱼镇", False, True),
             ("HP", "红坪镇", True, True), ("JH", "九湖镇", True, True), ("XG", "下谷坪土家族乡", True, False)]
SCHOOLS = [("SB", "松柏镇第一小学"), ("YR", "阳日镇中心学校"), ("MY", "木鱼镇中心学校"), ("HP", "红坪镇中心学校"),
           ("JH", "九湖镇中心学校"), ("XG", "下谷坪乡中心学校")]
PUPILS_PER_SCHOOL = 60
# (code, name, eligibility, yuan per pupil and term, autumn only)
PROGRAMMES = [("LMYB", "两免一补", Eligibility.ALL, 250, False),
              ("ZYB", "作业本费减免", Eligibility.ALL, 20, False),
              ("JSF", "寄宿费减免", Eligibility.BOARDERS, 150, False),
              ("JT", "边远乡镇学生交通补助", Eligibility.REMOTE, 100, False),
              ("QN", "高寒地区学校冬季取暖补助", Eligibility.COLD_SCHOOL, 60, True)]
TERMS = [("2010-2", "2010年秋季学期", date(2010, 9, 1), date(2011, 1, 20), date(2010, 11, 8)),
         ("2011-1", "2011年春季学期", date(2011, 2, 21), date(2011, 7, 8), date(2011, 3, 14))]
BUDGET_PUPILS = 300  # a term's budget: the programme's amount for this many pupils

ACCOUNTS = [
    ("snj_clerk", Role.SCHOOL_CLERK, f"{BUREAU}-S-SB", "松柏镇第一小学 资助专管员"),
    ("snj_subsidy", Role.SUBSIDY_OFFICER, BUREAU, "神农架林区教育局 资助审批人员"),
    ("snj_zzhead", Role.DEPARTMENT_HEAD, OFFICE, "学生资助管理中心 负责人"),
]


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), local_tz())


def built() -> bool:
    return OrgUnit.objects.filter(code=BUREAU).exists()


def _resident_id(school: int, n: int, rng: random.Random) -> str:
    return fake.resident_id("429021", fake.birth_date(rng, date(1997, 9, 1), 7), school * 100 + n)


def _units() -> tuple[OrgUnit, OrgUnit, OrgUnit, list[OrgUnit]]:
    bureau = OrgUnit.objects.create(code=BUREAU, name="神农架林区教育局", kind=UnitKind.BUREAU)
    office = OrgUnit.objects.create(code=OFFICE, name="学生资助管理中心", kind=UnitKind.DEPARTMENT, parent=bureau)
    window = OrgUnit.objects.create(code=WINDOW, name="资助受理窗口", kind=UnitKind.WINDOW, parent=office)
    townships = {code: Township.objects.create(code=f"SNJ-{code}", name=name, remote=remote)
                 for code, name, remote, _cold in TOWNSHIPS}
    cold = {code for code, _n, _r, is_cold in TOWNSHIPS if is_cold}
    schools = []
    for code, name in SCHOOLS:
        unit = OrgUnit.objects.create(code=f"{BUREAU}-S-{code}", name=name, kind=UnitKind.SCHOOL, parent=bureau)
        School.objects.create(unit=unit, township=townships[code], cold_area=code in cold)
        schools.append(unit)
    return bureau, office, window, schools


def _programmes(bureau: OrgUnit, office: OrgUnit) -> list[tuple[Programme, bool]]:
    result = []
    for code, name, eligibility, amount, autumn_only in PROGRAMMES:
        account = Account.objects.create(code=f"{BUREAU}-{code}", name=f"{name}专项资金", kind=AccountKind.BUDGET,
                                         unit=bureau, opened_on=date(2010, 1, 1))
        matter = Matter.objects.create(code=f"{BUREAU}-{code}", name=f"{name}资金审批", department=office,
                                       statutory_days=20, promised_days=10)
        result.append((Programme.objects.create(code=f"SNJ-{code}", name=name, bureau=bureau, eligibility=eligibility,
                                                amount_fen=amount * 100, matter=matter, account=account), autumn_only))
    return result


def build(progress) -> None:
    if built():
        return
    rng = random.Random(2010)
    with transaction.atomic():
        bureau, office, window, schools = _units()
        programmes = _programmes(bureau, office)
        townships = list(Township.objects.filter(code__startswith="SNJ-").order_by("code"))
        pupils: dict[int, list[Pupil]] = {}
        for s, unit in enumerate(schools):
            home = unit.subsidy_school.township
            pupils[unit.pk] = [Pupil.objects.create(
                resident_id=_resident_id(s, n, rng), name=f"{unit.name[:2]}学生{n + 1:02d}", school=unit,
                # Most pupils live in the school's township; some come from the remote ones.
                township=home if rng.random() < 0.75 else rng.choice(townships),
                boarder=rng.random() < 0.45, grade=f"{rng.randint(1, 6)}年级") for n in range(PUPILS_PER_SCHOOL)]
        terms = [(Term.objects.create(code=c, name=n, first_day=a, last_day=b), applied)
                 for c, n, a, b, applied in TERMS]
        for term, applied in terms:
            _run_term(term, applied, programmes, schools, pupils, rng)
    progress(f"学生资助：{len(schools)} 所学校，{Pupil.objects.filter(school__in=schools).count()} 名学生。")


def _run_term(term: Term, applied: date, programmes: list[tuple[Programme, bool]], schools: list[OrgUnit],
              pupils: dict[int, list[Pupil]], rng: random.Random, now: datetime | None = None) -> None:
    """A term's round: the budgets allocated on its first day, each school's lists applied for, the
    office's decisions within ten working days — those after `now` not yet taken."""
    decisions = []
    # Each term the district's finance bureau allocates every programme's budget.
    for programme, _autumn_only in programmes:
        posting.post(programme.account, programme.amount_fen * BUDGET_PUPILS, category="budget_allocation",
                     party="林区财政局", at=_at(term.first_day, 9), actor_label=ACTOR)
    for s, unit in enumerate(schools):
        # The pupils the school found in need this term (about two thirds).
        needy = [p for p in pupils[unit.pk] if rng.random() < 0.67]
        for k, (programme, autumn_only) in enumerate(programmes):
            if autumn_only and term.code.endswith("-1"):
                continue
            eligible = [p for p in needy if _eligible(programme, p, unit)]
            if not eligible:
                continue
            day = applied + timedelta(days=s % 3)
            if now is not None and _at(day, 9 + k) > now:
                continue
            batch = applications.apply(programme=programme, term=term, school=unit,
                                       resident_ids=[p.resident_id for p in eligible],
                                       at=_at(day, 9 + k), actor_label=ACTOR)
            decisions.append((_weekday(day + timedelta(days=3 + (s + k) % 6)), batch.pk, batch))
    # The office decides within the promised ten working days, in the order the budget pays.
    for day, _pk, batch in sorted(decisions, key=lambda d: d[:2]):
        if now is None or _at(day, 15) <= now:
            applications.approve(batch, at=_at(day, 15), actor_label=ACTOR)


def current_term(today: date) -> tuple[str, str, date, date, date]:
    """This school term (autumn: September to January; spring: late February to early July; in the
    summer holidays, the spring term just ended), with the day its lists are applied for."""
    year = today.year
    if today.month >= 9:
        return f"{year}-2", f"{year}年秋季学期", date(year, 9, 1), date(year + 1, 1, 20), date(year, 9, 21)
    if today.month == 1 or (today.month == 2 and today.day < 21):
        return (f"{year - 1}-2", f"{year - 1}年秋季学期", date(year - 1, 9, 1), date(year, 1, 20),
                date(year - 1, 9, 21))
    return f"{year}-1", f"{year}年春季学期", date(year, 2, 21), date(year, 7, 8), date(year, 3, 14)


def build_present(now: datetime, progress=lambda _line: None) -> None:
    """This term's round for the bureau's schools: budgets, lists, decisions up to `now`."""
    bureau = OrgUnit.objects.filter(code=BUREAU).first()
    code, name, first, last, applied = current_term(now.astimezone(local_tz()).date())
    if bureau is None or Term.objects.filter(code=code).exists():
        return
    schools = [School.objects.get(unit__code=f"{BUREAU}-S-{c}").unit for c, _n in SCHOOLS]
    programmes = [(Programme.objects.get(code=f"SNJ-{c}"), autumn_only) for c, _n, _e, _a, autumn_only in PROGRAMMES]
    pupils = {unit.pk: list(Pupil.objects.filter(school=unit).order_by("pk")) for unit in schools}
    with transaction.atomic():
        term = Term.objects.create(code=code, name=name, first_day=first, last_day=last)
        _run_term(term, applied, programmes, schools, pupils, random.Random(first.year), now=now)
    progress(f"学生资助：{name}")


def _weekday(day: date) -> date:
    return day + timedelta(days=(7 - day.weekday()) % 7) if day.weekday() >= 5 else day


def _eligible(programme: Programme, pupil: Pupil, school: OrgUnit) -> bool:
    return refusal(programme, pupil, school.subsidy_school) is None


def report(write) -> None:
    bureau = OrgUnit.objects.filter(code=BUREAU).first()
    if bureau is None:
        return
    grants = Grant.objects.filter(batch__school__path__startswith=bureau.path)
    write("神农架林区教育局 学生资助（按乡镇，两个学期合计）：")
    write(f"  {'乡镇':<10}{'受助学生':>8}{'住宿生比例':>10}{'人次':>6}{'金额（元）':>14}")
    for row in figures(grants, by="township"):
        share = "—" if row.boarder_share is None else f"{row.boarder_share:.1%}"
        write(f"  {row.name or '合计':<10}{row.pupils:>8}{share:>10}{row.grants:>6}{yuan(row.amount_fen):>14}")
    for code, name, *_rest in TERMS:
        total = figures(grants.filter(term__code=code), by="township")[-1]
        write(f"  {name}：受助 {total.pupils} 人，¥{yuan(total.amount_fen)}")
    paid = sum(-e for e in Account.objects.filter(unit=bureau).values_list("entries__amount_fen", flat=True)
               if e is not None and e < 0)
    write(f"  预算账户拨付合计 ¥{yuan(paid)}（与名单金额一致）")
