"""Hardship visits of the Jinshan construction company (帮困送温暖): 110 families in difficulty,
visited before five festivals from Spring Festival 2008 to Spring Festival 2010 — 486 visits, ¥145,000
paid from the company's yearly visit budgets — each visit recorded through the visits service, so
every payment is a ledger entry with the visit as its source."""

import io
import random
from collections.abc import Callable
from datetime import date, datetime, timedelta

from django.db import transaction

from yizhan.calendar.workdays import local_tz
from yizhan.demo import fake
from yizhan.demo.places import COMPANY, company
from yizhan.errors import InvalidInput
from yizhan.ledger import posting
from yizhan.ledger.models import Account, AccountKind
from yizhan.ledger.money import yuan
from yizhan.org.models import Role
from yizhan.visits import festivals
from yizhan.visits.families import import_families
from yizhan.visits.figures import figures
from yizhan.visits.models import Family, Festival, Reason, Visit
from yizhan.visits.payments import CONSOLATION, STUDY_AID, record_visit

ORDER = 60
ACCOUNTS = [("jspc_welfare", Role.WELFARE_OFFICER, COMPANY, "金山石化建筑 工会福利干事")]
FAMILIES = 110
# (festival, year, visits): five seasons, 486 visits in all.
SEASONS = (("spring", 2008, 100), ("mid_autumn", 2008, 97), ("spring", 2009, 100), ("mid_autumn", 2009, 97),
           ("spring", 2010, 92))
BUDGETS = {2008: 7_000_000, 2009: 7_000_000, 2010: 4_000_000}  # fen, allocated on the year's first working day
VISITORS = ("公司党委书记 顾建国、工会主席 沈美华", "公司总经理 陆志强、工会副主席 朱丽萍", "分公司经理、工会小组长")
REASONS = (Reason.ILLNESS, Reason.ILLNESS, Reason.LOW_INCOME, Reason.STUDENT, Reason.DISABILITY,
           Reason.SINGLE_PARENT, Reason.ILLNESS, Reason.STUDENT, Reason.DISASTER, Reason.LOW_INCOME)


def _families_csv() -> str:
    lines = ["household_no,head_name,employee_name,employee_id,members,reason,reason_detail,address"]
    rng = random.Random(FAMILIES)
    for i in range(FAMILIES):
        name = fake.person_name(rng)
        employee_id = fake.resident_id("310116", date(1950 + i % 36, 1 + i % 12, 1 + i % 28), 100 + i)
        reason = REASONS[i % len(REASONS)]
        lines.append(f"JS{i + 1:03d},{name},{name},{employee_id},{2 + i % 4},{reason.value},"
                     f",金山区石化街道{1 + i % 40}号")
    return "\n".join(lines) + "\n"


def _amounts(i: int) -> tuple[int, int]:
    """The i-th visit's 慰问金 and 助学帮困费 in fen: 326 visits of ¥200 and 160 of ¥300, 53 of them with
    ¥600 of study aid — ¥145,000 in all."""
    consolation = 30_000 if i % 3 == 0 and i < 480 else 20_000
    study_aid = 60_000 if i % 9 == 4 and i < 477 else 0
    return consolation, study_aid


def _noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=local_tz())


def _budgets(unit) -> dict[int, Account]:
    budgets = {}
    for year, amount in BUDGETS.items():
        account, created = Account.objects.get_or_create(
            code=f"JSPC-VISIT-{year}", defaults={"name": f"{year}年帮困送温暖预算", "kind": AccountKind.BUDGET,
                                                 "unit": unit, "opened_on": date(year, 1, 2)})
        if created:
            posting.post(account, amount, category="budget_allocation", party="公司行政", at=_noon(date(year, 1, 2)),
                         actor_label="demo", memo=f"{year}年帮困送温暖经费")
        budgets[year] = account
    return budgets


def build(progress: Callable[[str], None]) -> None:
    unit = company()
    if Visit.objects.filter(family__unit=unit).exists():
        return
    with transaction.atomic():
        if not Family.objects.filter(unit=unit).exists():
            import_families(io.StringIO(_families_csv()), unit, actor_label="demo")
        budgets = _budgets(unit)
        families = list(Family.objects.filter(unit=unit).order_by("household_no"))
        index = 0
        for season, (code, year, count) in enumerate(SEASONS):
            festival = Festival.objects.get(code=code)
            on = festival.dates.get(year=year).date
            start = season * 23 % FAMILIES  # each season a different run of families
            for k in range(count):
                family = families[(start + k) % FAMILIES]
                visited_on = on - timedelta(days=20 - k * 20 // count)
                consolation, study_aid = _amounts(index)
                record_visit(family, visited_on=visited_on, visitors=VISITORS[k % len(VISITORS)],
                             festival=festival, budget=budgets[year], consolation_fen=consolation,
                             study_aid_fen=study_aid, at=_noon(visited_on), actor=None)
                index += 1
    progress(f"visits: {index} visits recorded")


def report(write: Callable[[str], None]) -> None:
    f = figures(Visit.objects.filter(family__unit__code=COMPANY))
    years = f["by_year"]
    write(f"帮困送温暖（金山石化建筑）：{min(years, default='-')}–{max(years, default='-')} 年走访 {f['visits']} 次，"
          f"{f['families']} 户，发放 ¥{yuan(f['paid_fen'])}（慰问金 ¥{yuan(f['by_kind'].get(CONSOLATION, 0))}，"
          f"助学帮困费 ¥{yuan(f['by_kind'].get(STUDY_AID, 0))}）")
    for year, row in years.items():
        write(f"  {year} 年：走访 {row['visits']} 次，发放 ¥{yuan(row['paid_fen'])}")
    for code, row in f["by_budget"].items():
        write(f"  {row['name']}（{code}）：{row['visits']} 次，¥{yuan(row['paid_fen'])}")


def _occurrence(festival: Festival, year: int) -> "festivals.Occurrence | None":
    try:
        return festivals.Occurrence(festival, festivals.festival_on(festival, year))
    except InvalidInput:  # no date in the table for that year
        return None


def _next_occurrence(day: date) -> "festivals.Occurrence | None":
    """The soonest festival on or after `day` whose date is known."""
    found = [o for f in Festival.objects.filter(active=True) for year in (day.year, day.year + 1)
             if (o := _occurrence(f, year)) is not None and o.on >= day]
    return min(found, key=lambda o: o.on, default=None)


def build_present(now: datetime, progress: Callable[[str], None] = lambda _line: None) -> None:
    """This year's budget and visits: the families visited before this year's last festival, and, once
    the coming festival's season has begun, the first of its visits (the rest still to visit, so the
    reminder list has families on it)."""
    unit = company()
    today = now.astimezone(local_tz()).date()
    if not Family.objects.filter(unit=unit).exists() or Visit.objects.filter(
            family__unit=unit, visited_on__year=today.year).exists():
        return
    families = list(Family.objects.filter(unit=unit).order_by("household_no"))
    made = 0
    with transaction.atomic():
        budgets: dict[int, Account] = {}

        def budget(year: int) -> Account:
            if year not in budgets:
                budgets[year], created = Account.objects.get_or_create(
                    code=f"JSPC-VISIT-{year}", defaults={"name": f"{year}年帮困送温暖预算", "kind": AccountKind.BUDGET,
                                                         "unit": unit, "opened_on": date(year, 1, 2)})
                if created:
                    posting.post(budgets[year], 7_000_000, category="budget_allocation", party="公司行政",
                                 at=_noon(date(year, 1, 2)), actor_label="demo", memo=f"{year}年帮困送温暖经费")
            return budgets[year]

        seasons = []
        past = [o for o in (_occurrence(f, today.year) for f in Festival.objects.filter(active=True))
                if o is not None and o.on < today]
        if past:
            seasons.append((max(past, key=lambda o: o.on), 0.9))
        coming = _next_occurrence(today)
        if coming is not None and coming.season_start <= today:
            seasons.append((coming, 0.35))
        for n, (occ, share) in enumerate(seasons):
            last = min(occ.on, today)
            first = max(occ.season_start, last - timedelta(days=20))
            count = int(len(families) * share)
            for k in range(count):
                family = families[(n * 37 + k) % len(families)]
                visited_on = first + timedelta(days=k * max(1, (last - first).days) // max(1, count))
                consolation, study_aid = _amounts(k)
                record_visit(family, visited_on=visited_on, visitors=VISITORS[k % len(VISITORS)],
                             festival=occ.festival, budget=budget(visited_on.year), consolation_fen=consolation,
                             study_aid_fen=study_aid, at=min(now, _noon(visited_on)), actor=None)
                made += 1
    progress(f"visits: {made} visits this year")
