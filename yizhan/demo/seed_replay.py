"""The seed city: Kaiping's administrative service center, March–October 2010, replayed through the engine.

The center's report for those eight months gives 31,809 consultations, 62,659 applications accepted,
62,303 completed, 32,094 of them on the spot (51 %), 100 % completed on time and no valid complaint.
`plan_replay` is a deterministic generator that DECIDES what happened on each working day of the 2010
calendar so that its totals are exactly those: how many consultations and at which windows, how many
acceptances of each matter, which are on-the-spot, which cases wait for supplements after a one-time
notice, which are paused for an inspection or an expert review, which are refused (after a second
person's confirmation), withdrawn or refused at the counter, which key-project cases take the green
channel, and when each promised case completes (always before its promised deadline). `replay` then
RECORDS every one of those events through the hall's own service functions, with the historical time
and the actor label "replay", so that every transition writes its timers and its audit event; the
figures are afterwards computed by `yizhan.hall.stats.hall_figures` from what the engine stored.

`--scale F` replays a proportionally smaller workload (every target multiplied by F and rounded).

A replay marks its progress in the audit log: `demo.replay.started` (with its scale and seed) in the
transaction that builds the center, `demo.replay.day` in each day's transaction, `demo.replay.finished`
at the end. A replay that stopped midway (killed) is resumed by `replay(resume=True)` after its last
committed day: the plan is deterministic, so the same events follow.
"""

import csv
import heapq
import random
import statistics
import time as clock
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.core.management.base import OutputWrapper
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from yizhan.audit.log import build, record, record_many
from yizhan.audit.models import AuditEvent
from yizhan.calendar.workdays import WorkCalendar, current_calendar, local_date, local_tz
from yizhan.clock.models import PauseReason
from yizhan.clock.rows import new
from yizhan.demo import fake
from yizhan.errors import RuleError
from yizhan.hall import cases, complaints, consultations, notices, pauses, refusals
from yizhan.hall.catalog_csv import import_catalog
from yizhan.hall.models import (
    ApplicantKind,
    Case,
    Channel,
    Finding,
    Matter,
    MatterKind,
    Refusal,
    RefusalKind,
    RefusalState,
)
from yizhan.hall.numbering import case_prefix
from yizhan.hall.org_csv import import_org
from yizhan.hall.stats import HallFigures, hall_figures
from yizhan.org.models import OrgUnit, Role, StaffRole, UnitKind

SEED_DIR = Path(__file__).resolve().parent / "seed"
CENTER_CODE = "440783"  # Kaiping's administrative division code
FIRST_DAY, LAST_DAY = date(2010, 3, 1), date(2010, 10, 31)
ACTOR_LABEL = "replay"
DEFAULT_SEED = 20101031

# The key projects whose construction-related cases take the fast green channel (快速绿色通道). The
# center was setting the channel up during the period; the replay has it running from August.
GREEN_FROM = date(2010, 8, 2)
GREEN_SHARE = 0.4
GREEN_PROJECTS = (
    "翠山湖新区市政道路及管网工程",
    "翠山湖新区标准厂房建设项目",
    "翠山湖新区污水处理厂工程",
    "翠山湖新区电子信息产业园项目",
    "开平市重点工程：市区供水管网改造",
)

# Office hours of the hall; extended-hours service (延时服务) takes applications at lunchtime and in
# the evening by appointment.
OFFICE = ((time(8, 30), time(12, 0)), (time(14, 30), time(17, 30)))
EXTENDED = ((time(12, 0), time(14, 20)), (time(17, 40), time(19, 30)))
EXTENDED_SHARE = 0.035


@dataclass(frozen=True)
class Targets:
    """What the replay must produce over the period."""

    consultations: int
    accepted: int
    on_the_spot: int
    open_at_end: int
    refused_approval: int  # among the completed cases (completed with outcome refused)
    refused_to_accept: int  # received, refused at the counter: not accepted
    withdrawn: int  # accepted, then withdrawn: counted as accepted (in its month), never completed
    supplements: int  # one-time notice at receipt, accepted once the materials are complete
    pauses: int  # clock paused for an inspection, test, expert review or public notice
    complaints: int  # all found not valid after checking (有效投诉为零)

    @property
    def completed(self) -> int:
        return self.accepted - self.open_at_end - self.withdrawn

    @property
    def promised(self) -> int:
        """Promised cases that run their course (the withdrawn ones are planned apart)."""
        return self.accepted - self.on_the_spot - self.withdrawn


# The report's figures, and the generator's own choices for what the report does not count: of the
# 62,659 acceptances, 62,303 were completed, 97 withdrawn and 259 still open at the end.
SEED_TARGETS = Targets(
    consultations=31809, accepted=62659, on_the_spot=32094, open_at_end=259,
    refused_approval=61, refused_to_accept=212, withdrawn=97, supplements=1250, pauses=1480, complaints=14,
)


def targets_for(scale: float) -> Targets:
    """The seed's targets times `scale` (each rounded), for a smaller replay."""
    if not 0 < scale <= 1:
        raise ValueError(str(_("--scale 须大于 0 且不大于 1：%(v)s") % {"v": scale}))
    if scale == 1:
        return SEED_TARGETS
    scaled = {name: round(getattr(SEED_TARGETS, name) * scale) for name in SEED_TARGETS.__dataclass_fields__}
    scaled["complaints"] = max(1, scaled["complaints"])
    result = Targets(**scaled)
    if result.on_the_spot < 1 or result.promised < 1 or result.consultations < 1:
        raise ValueError(str(_("--scale %(v)s 太小：不足以安排即办件、承诺件和咨询各一件") % {"v": scale}))
    return result


# ---------------------------------------------------------------------------------------------------
# The city: organisation tree and catalog from the seed files, through the hall's importers.


def seed_path(name: str) -> Path:
    return SEED_DIR / name


def center_exists() -> bool:
    return OrgUnit.objects.filter(code=CENTER_CODE, kind=UnitKind.CENTER).exists()


def staff_username(role: str, unit_code: str) -> str:
    return f"{role}-{unit_code}"


def build_center(*, at: datetime) -> bool:
    """Import the seed's organisation tree and catalog and give every window a clerk, every department
    a head and the center a hall supervisor (accounts without a usable password: the replay acts for
    them). All in one transaction. Returns False (and does nothing) when the center already exists."""
    if center_exists():
        return False
    with transaction.atomic():
        with open(seed_path("org.csv"), encoding="utf-8", newline="") as stream:
            import_org(stream, at=at, actor_label=ACTOR_LABEL)
        with open(seed_path("catalog.csv"), encoding="utf-8", newline="") as stream:
            import_catalog(stream, at=at, actor_label=ACTOR_LABEL)
        _create_staff(at)
    return True


def _create_staff(at: datetime) -> None:
    user_model = get_user_model()
    rng = random.Random(DEFAULT_SEED)
    wanted = [(Role.HALL_SUPERVISOR, OrgUnit.objects.get(code=CENTER_CODE))]
    for unit in OrgUnit.objects.filter(path__startswith=f"/{CENTER_CODE}/").exclude(kind=UnitKind.CENTER):
        wanted.append((Role.DEPARTMENT_HEAD if unit.kind == UnitKind.DEPARTMENT else Role.CLERK, unit))
    events = []
    for role, unit in wanted:
        surname, given = person_name(rng)
        user = user_model(username=staff_username(role, unit.code), last_name=surname, first_name=given)
        user.set_unusable_password()
        user.save()
        StaffRole.objects.create(user=user, role=role, unit=unit)
        events.append(build("org.staff.created", user, actor_label=ACTOR_LABEL, at=at, role=role, unit=unit.code))
    record_many(events)


# ---------------------------------------------------------------------------------------------------
# Names, identifiers and wording the generator uses.

ORG_WORDS = ("企业", "公司", "项目", "工程", "建设", "经营", "资质", "税", "发票", "社会团体", "民办", "机构",
             "场所", "许可证核发", "备案", "代码", "统计", "收费")


def person_name(rng: random.Random) -> tuple[str, str]:
    return fake.name_parts(rng, fake.KAIPING_SURNAMES)


def resident_id(rng: random.Random) -> str:
    """A well-formed resident ID number of someone registered in Kaiping (check character included)."""
    return fake.random_resident_id(rng, CENTER_CODE, fake.birth_date(rng, date(1940, 1, 1), 52))


# ---------------------------------------------------------------------------------------------------
# The plan.


@dataclass(frozen=True)
class MatterInfo:
    code: str
    name: str
    kind: str
    department: str
    windows: tuple[str, ...]
    statutory_days: int
    promised_days: int
    green_days: int | None
    materials: tuple[str, ...]
    fee: Decimal
    weight: float

    @property
    def on_the_spot(self) -> bool:
        return self.kind == MatterKind.ON_THE_SPOT

    @property
    def organisational(self) -> bool:
        return any(word in self.name for word in ORG_WORDS)


@dataclass
class Step:
    at: datetime
    op: str
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class CasePlan:
    key: int
    matter: MatterInfo
    window: str
    channel: str
    applicant_kind: str
    applicant_name: str
    applicant_id: str
    applicant_phone: str
    accepted_on: date | None
    green_project: str = ""
    steps: list[Step] = field(default_factory=list)
    completed_on: date | None = None
    outcome: str = ""
    deadline_day: date | None = None  # the promised deadline's date, pauses included

    @property
    def counted(self) -> bool:
        """Counted as accepted: every acceptance, whatever became of the case later."""
        return self.accepted_on is not None


@dataclass
class ConsultationPlan:
    at: datetime
    window: str
    asker_name: str
    asker_phone: str
    question: str
    answer: str
    refer_to: str | None
    answered_at: datetime


@dataclass
class ComplaintPlan:
    at: datetime
    window: str
    complainant: str
    phone: str
    content: str
    reply: str
    replied_at: datetime | None  # None: the reply is still due (the present's latest complaints)


@dataclass
class Plan:
    targets: Targets
    seed: int
    cases: list[CasePlan]
    consultations: list[ConsultationPlan]
    complaints: list[ComplaintPlan]
    workdays: list[date]
    median_days: float | None = None

    def expected(self) -> dict[str, Any]:
        """The figures the engine must compute for the period, as `HallFigures` field values."""
        counted = [c for c in self.cases if c.counted]
        done = [c for c in counted if c.completed_on is not None]
        on_time = [c for c in done if c.completed_on <= c.deadline_day]
        spot = [c for c in done if c.completed_on == c.accepted_on]
        return {
            "consultations": len(self.consultations),
            "accepted": len(counted),
            "completed": len(done),
            "on_the_spot": len(spot),
            "on_the_spot_rate": len(spot) / len(counted) if counted else None,
            "completed_on_time": len(on_time),
            "on_time_rate": len(on_time) / len(done) if done else None,
            "overdue_open": 0,
            "accountability": 0,
            "median_days": self.median_days,
            "withdrawn": sum(c.outcome == "withdrawn" for c in self.cases),
            "refused_to_accept": sum(c.outcome == "refused_to_accept" for c in self.cases),
            "valid_complaints": 0,
        }

    def step_count(self) -> int:
        return sum(len(c.steps) for c in self.cases)


def load_matters() -> list[MatterInfo]:
    """The seed center's matters as imported, with the relative daily volume from seed/workload.csv."""
    with open(seed_path("workload.csv"), encoding="utf-8", newline="") as stream:
        weights = {row["matter_code"]: float(row["weight"]) for row in csv.DictReader(stream)}
    windows_of_department: dict[int, list[str]] = defaultdict(list)
    for unit in OrgUnit.objects.filter(kind=UnitKind.WINDOW, active=True).order_by("code"):
        windows_of_department[unit.parent_id].append(unit.code)
    matters = []
    queryset = (Matter.objects.filter(code__in=weights, active=True).select_related("department")
                .prefetch_related("windows", "materials").order_by("code"))
    for m in queryset:
        listed = sorted(w.code for w in m.windows.all())
        matters.append(MatterInfo(
            code=m.code, name=m.name, kind=m.kind, department=m.department.code,
            windows=tuple(listed or windows_of_department[m.department_id]),
            statutory_days=m.statutory_days, promised_days=m.promised_days,
            green_days=m.green_channel_days if m.green_channel else None,
            materials=tuple(mat.name for mat in m.materials.all()), fee=m.fee, weight=weights[m.code],
        ))
    return matters


def period_workdays(cal: WorkCalendar) -> list[date]:
    days, day = [], FIRST_DAY
    while day <= LAST_DAY:
        if cal.is_workday(day):
            days.append(day)
        day += timedelta(days=1)
    return days


MONTH_FACTOR = {3: 0.92, 4: 0.97, 5: 1.0, 6: 0.98, 7: 1.03, 8: 1.02, 9: 1.05, 10: 1.04}
WEEKDAY_FACTOR = (1.15, 1.05, 1.0, 0.98, 0.92, 0.75, 0.75)  # a 调休 weekend working day is quieter


def day_weights(days: list[date], rng: random.Random) -> list[float]:
    """Relative volume of each working day: weekday, month, the rush after a holiday, and noise."""
    weights = []
    for i, day in enumerate(days):
        w = MONTH_FACTOR[day.month] * WEEKDAY_FACTOR[day.weekday()] * rng.uniform(0.85, 1.15)
        if i and (day - days[i - 1]).days > 3:
            w *= 1.3
        weights.append(w)
    return weights


def allocate(total: int, weights: list[float]) -> list[int]:
    """Split `total` into integers proportional to `weights` (largest remainder): they sum to `total`."""
    whole = sum(weights)
    shares = [total * w / whole for w in weights]
    counts = [int(s) for s in shares]
    order = sorted(range(len(weights)), key=lambda i: shares[i] - counts[i], reverse=True)
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def at_local(day: date, moment: time) -> datetime:
    return datetime.combine(day, moment, tzinfo=local_tz())


def _in_slots(rng: random.Random, day: date, slots) -> datetime:
    start, end = rng.choice(slots)
    span = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
    minute = start.hour * 60 + start.minute + rng.randrange(span)
    return at_local(day, time(minute // 60, minute % 60, rng.randrange(60)))


def office_time(rng: random.Random, day: date) -> datetime:
    return _in_slots(rng, day, OFFICE)


def extended_time(rng: random.Random, day: date) -> datetime:
    return _in_slots(rng, day, EXTENDED)


def after(rng: random.Random, moment: datetime, low: int = 5, high: int = 60) -> datetime:
    """A moment a few minutes after `moment`, on the same local date."""
    later = moment + timedelta(minutes=rng.randint(low, high), seconds=rng.randrange(60))
    if later.astimezone(local_tz()).date() != moment.astimezone(local_tz()).date():
        return moment + timedelta(seconds=1)
    return later


def on_day(rng: random.Random, day: date, previous: datetime) -> datetime:
    """An office-hours moment on `day`, after `previous` if that is on the same day."""
    if previous.astimezone(local_tz()).date() == day:
        return after(rng, previous)
    return office_time(rng, day)


class Planner:
    """Decides, deterministically from `seed`, everything that happens in the replayed period."""

    def __init__(self, matters: list[MatterInfo], cal: WorkCalendar, targets: Targets, seed: int) -> None:
        self.cal, self.targets, self.seed = cal, targets, seed
        self.rng = random.Random(seed)
        self.days = period_workdays(cal)
        self.index = {d: i for i, d in enumerate(self.days)}
        self.spot = [m for m in matters if m.on_the_spot]
        self.promised = [m for m in matters if not m.on_the_spot]
        self.all = matters
        self.windows = sorted({w for m in matters for w in m.windows})
        self.cases: list[CasePlan] = []
        if not self.spot or not self.promised:
            raise ValueError("the catalog needs both on-the-spot and promised matters")

    # -- helpers

    def pick(self, matters: list[MatterInfo]) -> MatterInfo:
        return self.rng.choices(matters, weights=[m.weight for m in matters])[0]

    def new_case(self, matter: MatterInfo, day: date | None, *, channel: str = Channel.COUNTER) -> CasePlan:
        rng = self.rng
        if rng.random() < (0.8 if matter.organisational else 0.05):
            kind, name, ident = ApplicantKind.ORGANISATION, fake.firm_name(rng), ""
        else:
            surname, given = person_name(rng)
            kind, name, ident = ApplicantKind.PERSON, surname + given, resident_id(rng)
        case = CasePlan(key=len(self.cases), matter=matter, window=rng.choice(matter.windows), channel=channel,
                        applicant_kind=kind, applicant_name=name, applicant_id=ident, applicant_phone=fake.phone(rng),
                        accepted_on=day)
        self.cases.append(case)
        return case

    def start_time(self, case: CasePlan, day: date) -> datetime:
        """When the applicant comes to the counter: office hours, or extended hours for a few."""
        rng = self.rng
        if rng.random() < EXTENDED_SHARE and self.takes_extended_hours(case):
            case.channel = Channel.EXTENDED_HOURS
            return self.extended_start(case, day)
        roll = rng.random()
        if roll < 0.05:
            case.channel = Channel.APPOINTMENT
        elif roll < 0.09 and not case.matter.on_the_spot:
            case.channel = Channel.ONLINE
        return office_time(rng, day)

    def takes_extended_hours(self, case: CasePlan) -> bool:
        return True

    def extended_start(self, case: CasePlan, day: date) -> datetime:
        """When an applicant comes in the extended hours (lunch break or evening)."""
        return extended_time(self.rng, day)

    def limit(self, case: CasePlan) -> int:
        return case.matter.green_days if case.green_project else case.matter.promised_days

    def deadline_day(self, case: CasePlan, paused: int = 0) -> date:
        return self.cal.add_workdays(case.accepted_on, self.limit(case) + paused)

    def completion_day(self, start: date, deadline: date) -> date:
        """A working day in (start, deadline], no later than the period's last working day; most cases
        finish well before their promised limit."""
        first = self.index[start] + 1
        span = self._last_index(deadline) - first
        offset = int(span * self.rng.random() ** 1.7 + 0.5) if span > 0 else 0
        return self.days[first + offset]

    def _last_index(self, deadline: date) -> int:
        """Index of the last period working day on or before `deadline`."""
        lo, hi = 0, len(self.days) - 1
        if deadline >= self.days[-1]:
            return hi
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.days[mid] <= deadline:
                lo = mid
            else:
                hi = mid - 1
        return lo

    # -- the plan

    def plan(self) -> Plan:
        t, rng = self.targets, self.rng
        spot_daily = allocate(t.on_the_spot, day_weights(self.days, rng))
        promised_daily = allocate(t.promised, day_weights(self.days, rng))
        # Promised cases accepted on the last working day cannot finish inside the period: no more of
        # them than may stay open.
        excess = promised_daily[-1] - t.open_at_end
        if excess > 0:
            promised_daily[-1] -= excess
            promised_daily[-2] += excess
        for day, n in zip(self.days, spot_daily, strict=True):
            for _n in range(n):
                self.plan_on_the_spot(day)
        promised: list[CasePlan] = []
        for day, n in zip(self.days, promised_daily, strict=True):
            for _n in range(n):
                case = self.new_case(self.pick(self.promised), day)
                if case.matter.green_days is not None and day >= GREEN_FROM and rng.random() < GREEN_SHARE:
                    case.green_project = rng.choice(GREEN_PROJECTS)
                promised.append(case)
        open_keys = self.choose_open(promised)
        closable = [c for c in promised if c.key not in open_keys]
        refused = set(rng.sample([c.key for c in closable], min(t.refused_approval, len(closable))))
        supplement = self.choose(closable, t.supplements, lambda c: len(c.matter.materials) >= 2
                                 and self.index[c.accepted_on] >= 3 and c.key not in refused)
        paused = self.choose(closable, t.pauses, lambda c: self.limit(c) >= 3 and c.key not in supplement
                             and c.key not in refused and self.index[c.accepted_on] < len(self.days) - 8)
        for case in promised:
            if case.key in open_keys:
                self.plan_open(case)
            else:
                self.plan_promised(case, refused=case.key in refused, supplement=case.key in supplement,
                                   pause=case.key in paused)
        for _n in range(t.withdrawn):
            self.plan_withdrawn()
        for _n in range(t.refused_to_accept):
            self.plan_refused_to_accept()
        consultation_plans = self.plan_consultations()
        complaint_plans = self.plan_complaints()
        done = [c for c in self.cases if c.counted and c.completed_on is not None]
        median = statistics.median(self.cal.workdays_between(c.accepted_on, c.completed_on) for c in done) \
            if done else None
        plan = Plan(targets=t, seed=self.seed, cases=self.cases, consultations=consultation_plans,
                    complaints=complaint_plans, workdays=self.days,
                    median_days=float(median) if median is not None else None)
        self.check(plan)
        return plan

    def choose(self, cases: list[CasePlan], n: int, eligible: Callable[[CasePlan], bool]) -> set[int]:
        pool = [c.key for c in cases if eligible(c)]
        return set(self.rng.sample(pool, min(n, len(pool))))

    def choose_open(self, promised: list[CasePlan]) -> set[int]:
        """The cases still open at the end: the latest acceptances whose promised deadline lies after
        the period (so none is overdue). Every case accepted on the last working day is among them."""
        chosen: set[int] = set()
        for case in reversed(promised):
            if len(chosen) == self.targets.open_at_end:
                break
            if self.deadline_day(case) > LAST_DAY:
                chosen.add(case.key)
        last = {c.key for c in promised if c.accepted_on == self.days[-1]}
        if len(chosen) < self.targets.open_at_end or not last <= chosen:
            raise ValueError("the plan cannot leave the required number of cases open without one overdue")
        return chosen

    def plan_on_the_spot(self, day: date) -> None:
        case = self.new_case(self.pick(self.spot), day)
        start = self.start_time(case, day)
        case.steps = [Step(start, "receive", {"accept": True}), Step(after(self.rng, start, 3, 30), "on_the_spot")]
        case.completed_on, case.outcome, case.deadline_day = day, "approved", day

    def plan_open(self, case: CasePlan) -> None:
        start = self.start_time(case, case.accepted_on)
        case.steps = [Step(start, "receive", {"accept": True, "green": case.green_project})]
        if self.rng.random() < 0.7:
            case.steps.append(Step(after(self.rng, start, 10, 120), "review"))
        case.deadline_day = self.deadline_day(case)

    def plan_promised(self, case: CasePlan, *, refused: bool, supplement: bool, pause: bool) -> None:
        rng, day = self.rng, case.accepted_on
        if supplement:
            # Received a few days earlier with materials missing: one written notice lists them all,
            # the applicant brings them, and the case is accepted.
            received_on = self.days[self.index[day] - rng.randint(1, 3)]
            start = self.start_time(case, received_on)
            missing = rng.sample(case.matter.materials, rng.randint(1, min(2, len(case.matter.materials) - 1)))
            handed = [m for m in case.matter.materials if m not in missing]
            t1 = after(rng, start, 2, 10)
            t2 = after(rng, t1, 2, 15)
            accepted = office_time(rng, day)
            case.steps = [
                Step(start, "receive", {"accept": False, "green": case.green_project}),
                Step(t1, "hand_in", {"materials": handed}),
                Step(t2, "notice"),
                Step(accepted - timedelta(minutes=3), "hand_in", {"materials": missing}),
                Step(accepted, "accept"),
            ]
        else:
            accepted = self.start_time(case, day)
            case.steps = [Step(accepted, "receive", {"accept": True, "green": case.green_project})]
        reviewed = after(rng, accepted, 10, 120)
        case.steps.append(Step(reviewed, "review"))
        last = reviewed
        paused_days = 0
        if pause:
            reason, low, high = self.pause_kind(case)
            paused_days = rng.randint(low, high)
            pause_on = self.days[min(self.index[day] + rng.randint(1, max(1, self.limit(case) // 2)),
                                     len(self.days) - 1)]
            resume_on = self.cal.add_workdays(pause_on, paused_days)
            if resume_on > self.days[-1]:
                paused_days = 0
            else:
                t_pause = office_time(rng, pause_on)
                t_resume = at_local(resume_on, time(9, 0)) + timedelta(minutes=rng.randrange(60))
                case.steps += [Step(t_pause, "pause", {"reason": reason, "note": PAUSE_NOTES[reason]}),
                               Step(t_resume, "resume")]
                last = t_resume
        case.deadline_day = self.deadline_day(case, paused_days)
        start_day = last.astimezone(local_tz()).date()
        done_on = self.completion_day(day, case.deadline_day)
        if done_on < start_day:
            done_on = start_day if start_day > day else self.days[self.index[day] + 1]
        decided = on_day(rng, done_on, last)
        if refused:
            reason, basis = REFUSAL_REASON
            confirm = after(rng, decided, 20, 90)
            case.steps += [Step(decided, "refuse", {"kind": RefusalKind.REFUSE_APPROVAL, "reason": reason,
                                                    "basis": basis}),
                           Step(confirm, "confirm"), Step(after(rng, confirm, 10, 60), "complete")]
            case.outcome = "refused"
        else:
            case.steps += [Step(decided, "approve"), Step(after(rng, decided, 10, 90), "complete")]
            case.outcome = "approved"
        case.completed_on = done_on

    def pause_kind(self, case: CasePlan) -> tuple[str, int, int]:
        if case.matter.green_days is not None:
            return self.rng.choice(((PauseReason.INSPECTION, 1, 3), (PauseReason.EXPERT_REVIEW, 2, 5),
                                    (PauseReason.PUBLIC_NOTICE, 5, 5)))
        return self.rng.choice(((PauseReason.INSPECTION, 1, 3), (PauseReason.TESTING, 2, 4)))

    def plan_withdrawn(self) -> None:
        rng = self.rng
        day = rng.choice(self.days[:-5])
        case = self.new_case(self.pick(self.promised), day)
        start = self.start_time(case, day)
        gone = office_time(rng, self.days[self.index[day] + 1])
        case.steps = [Step(start, "receive", {"accept": True}), Step(after(rng, start, 10, 120), "review"),
                      Step(gone, "withdraw", {"reason": "申请人申请撤回，拟补充项目资料后重新申报"})]
        case.outcome, case.deadline_day = "withdrawn", self.deadline_day(case)

    def plan_refused_to_accept(self) -> None:
        rng = self.rng
        day = rng.choice(self.days)
        case = self.new_case(self.pick(self.promised), None)
        start = self.start_time(case, day)
        reason, basis = NOT_ACCEPTED_REASON
        refuse = after(rng, start, 10, 30)
        case.steps = [Step(start, "receive", {"accept": False}),
                      Step(refuse, "refuse", {"kind": RefusalKind.REFUSE_TO_ACCEPT, "reason": reason, "basis": basis}),
                      Step(after(rng, refuse, 20, 120), "confirm")]
        case.outcome = "refused_to_accept"

    def plan_consultations(self) -> list[ConsultationPlan]:
        rng = self.rng
        plans = []
        for day, n in zip(self.days, allocate(self.targets.consultations, day_weights(self.days, rng)), strict=True):
            for _n in range(n):
                matter = self.pick(self.all)
                right = rng.choice(matter.windows)
                asked = extended_time(rng, day) if rng.random() < EXTENDED_SHARE else office_time(rng, day)
                surname, given = person_name(rng)
                question, answer = consultation_text(rng, matter)
                refer_to = None
                window = right
                if rng.random() < 0.05:
                    # Asked at the wrong window: the first officer refers it and stays responsible.
                    window = rng.choice([w for w in self.windows if w not in matter.windows])
                    refer_to = right
                plans.append(ConsultationPlan(at=asked, window=window, asker_name=surname + given,
                                              asker_phone=fake.phone(rng), question=question, answer=answer,
                                              refer_to=refer_to, answered_at=after(rng, asked, 3, 25)))
        return plans

    def plan_complaints(self) -> list[ComplaintPlan]:
        rng = self.rng
        plans = []
        for _n in range(self.targets.complaints):
            i = rng.randrange(len(self.days) - 3)
            content, reply = rng.choice(COMPLAINTS)
            surname, given = person_name(rng)
            plans.append(ComplaintPlan(
                at=office_time(rng, self.days[i]), window=rng.choice(self.windows), complainant=surname + given,
                phone=fake.phone(rng), content=content, reply=reply,
                replied_at=office_time(rng, self.days[i + rng.randint(1, 3)])))
        return plans

    def check(self, plan: Plan) -> None:
        """The generator's totals are the targets, exactly; anything else is a bug here."""
        expected, t = plan.expected(), self.targets
        wanted = {"consultations": t.consultations, "accepted": t.accepted, "completed": t.completed,
                  "on_the_spot": t.on_the_spot, "completed_on_time": t.completed}
        wrong = {k: (expected[k], v) for k, v in wanted.items() if expected[k] != v}
        if wrong:
            raise RuntimeError(f"replay plan misses its targets: {wrong}")


PAUSE_NOTES: dict[str, str] = {
    PauseReason.INSPECTION: "现场核查",
    PauseReason.TESTING: "委托检测",
    PauseReason.EXPERT_REVIEW: "组织专家评审",
    PauseReason.PUBLIC_NOTICE: "批前公示五个工作日",
}
REFUSAL_REASON = ("经审查，申请事项不符合法定条件", "《中华人民共和国行政许可法》第三十八条第二款")
NOT_ACCEPTED_REASON = ("申请事项依法不属于本部门职权范围，已告知申请人向有关行政机关申请",
                       "《中华人民共和国行政许可法》第三十二条第一款第（二）项")
COMPLAINTS = (
    ("窗口排队等候时间较长", "经查，当日为节后第一个工作日，办件量集中；窗口已增开服务，按规定时限办理。投诉不成立，已向投诉人解释。"),
    ("工作人员解释不够清楚，多跑了一趟", "经查，窗口已出具一次性告知书，列明全部补正材料；投诉人未带齐材料。投诉不成立，已电话回复。"),
    ("认为收费过高", "经查，收费项目和标准均有物价部门批准文件，已公示。投诉不成立，已向投诉人说明收费依据。"),
    ("午间办事找不到人", "经查，中心实行延时服务，午间有值班窗口，当日投诉人前往的窗口已按预约办理。投诉不成立，已回复。"),
)


def consultation_text(rng: random.Random, matter: MatterInfo) -> tuple[str, str]:
    """A question about `matter` and the answer the catalog gives."""
    which = rng.randrange(4)
    if which == 0:
        return (f"办理“{matter.name}”需要带哪些材料？",
                "需提交：" + "；".join(matter.materials) + "。")
    if which == 1:
        if matter.on_the_spot:
            return f"“{matter.name}”当天能办好吗？", "该事项为即办件，材料齐全的当场办结。"
        return (f"“{matter.name}”要多久才能办好？",
                f"该事项承诺 {matter.promised_days} 个工作日内办结（法定时限 {matter.statutory_days} 个工作日），"
                "受理时出具受理回执。")
    if which == 2:
        fee = "不收费" if matter.fee == 0 else f"按规定收取 {matter.fee} 元"
        return f"“{matter.name}”收费吗？", f"{fee}。"
    return (f"“{matter.name}”可以委托别人代办吗？",
            "可以委托代办，代办人须携带本人身份证和申请人签名的授权委托书。")


def make_plan(scale: float = 1.0, seed: int = DEFAULT_SEED, cal: WorkCalendar | None = None) -> Plan:
    """The plan for the seed center as it stands in the database (build it first)."""
    matters = load_matters()
    if not matters:
        raise ValueError("the seed center's catalog is not in the database")
    return Planner(matters, cal or current_calendar(), targets_for(scale), seed).plan()


# ---------------------------------------------------------------------------------------------------
# Recording the plan through the engine.


class ReplayError(RuntimeError):
    """The engine refused a planned event: the message names the case and the step."""


@dataclass
class ReplayResult:
    plan: Plan
    figures: HallFigures
    seconds: float  # the whole run: building the center, planning, recording, figures
    record_seconds: float  # recording the plan through the engine only
    cases: int
    steps: int
    audit_events: int


@dataclass(order=True)
class _Item:
    at: datetime
    order: int
    run: Callable[[], None] = field(compare=False)
    case: "CasePlan | None" = field(default=None, compare=False)
    step: Step | None = field(default=None, compare=False)
    window: str = field(default="", compare=False)


class Recorder:
    """Feeds the plan's events to the hall's service functions in time order."""

    actor_label = ACTOR_LABEL

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        user_model = get_user_model()
        self.users = {u.username: u for u in user_model.objects.filter(username__contains=f"-{CENTER_CODE}")}
        self.units = {u.code: u for u in OrgUnit.objects.filter(path__startswith=f"/{CENTER_CODE}/")}
        by_id = {u.pk: u.code for u in self.units.values()}
        self.department_of = {u.code: by_id.get(u.parent_id) for u in self.units.values()}
        matters = Matter.objects.filter(code__in={c.matter.code for c in plan.cases}).prefetch_related(
            "windows", "materials")
        self.matters = {m.code: m for m in matters}
        self.accepting = {code: [w.pk for w in m.windows.all()] for code, m in self.matters.items()}
        self.materials = {code: {mat.name: mat for mat in m.materials.all()} for code, m in self.matters.items()}
        self.refs: dict[int, Case] = {}
        self.refusals: dict[int, Any] = {}
        self.supervisor = self.users[staff_username(Role.HALL_SUPERVISOR, CENTER_CODE)]

    def clerk(self, window: str):
        return self.users[staff_username(Role.CLERK, window)]

    def head(self, window: str):
        return self.users[staff_username(Role.DEPARTMENT_HEAD, self.department_of[window])]

    def items(self) -> Iterator[_Item]:
        order = 0
        for case in self.plan.cases:
            for step in case.steps:
                order += 1
                yield _Item(step.at, order, self._case_step(case, step), case, step, case.window)
        for c in self.plan.consultations:
            order += 1
            yield _Item(c.at, order, self._consultation(c), window=c.window)
        for complaint in self.plan.complaints:
            order += 1
            yield _Item(complaint.at, order, self._complaint(complaint), window=complaint.window)

    def restore(self, done: list[_Item]) -> None:
        """What the recorder keeps between a case's steps, rebuilt for the cases an earlier run of the
        same plan recorded (`done`: its items, in the order they ran)."""
        per_day: dict[date, int] = defaultdict(int)
        numbers: dict[str, CasePlan] = {}
        last: dict[int, Step] = {}
        for item in done:
            if item.case is None:
                continue
            if item.step.op == "receive":
                # Numbers are handed out per local day in the order of receipt, which the plan fixes.
                day = local_date(item.at)
                per_day[day] += 1
                numbers[f"{case_prefix()}-{day:%Y%m%d}-{per_day[day]:05d}"] = item.case
            last[item.case.key] = item.step
        found: list[Any] = []
        names = list(numbers)
        for i in range(0, len(names), 900):
            found += Case.objects.filter(case_no__in=names[i:i + 900]).values_list("case_no", "pk", "matter_id")
        if len(found) != len(numbers):
            raise ReplayError(str(_("无法续接未完成的重放：已记录的办件与计划不符")))
        for no, pk, matter_id in found:
            plan = numbers[no]
            if last[plan.key] is not plan.steps[-1]:
                self.refs[plan.key] = Case(pk=pk, matter_id=matter_id, case_no=no)
        key_of = {case.pk: key for key, case in self.refs.items()}
        for refusal in Refusal.objects.filter(case_id__in=list(key_of), state=RefusalState.PENDING):
            self.refusals[key_of[refusal.case_id]] = refusal

    def _case_step(self, plan: CasePlan, step: Step) -> Callable[[], None]:
        def run() -> None:
            try:
                self.apply(plan, step)
            except RuleError as exc:
                raise ReplayError(f"case {plan.key} ({plan.matter.code}) step {step.op} at {step.at}: {exc}") from exc
        return run

    def apply(self, plan: CasePlan, step: Step) -> None:
        common: dict[str, Any] = {"at": step.at, "actor": None, "actor_label": self.actor_label}
        op, data = step.op, step.data
        if op == "receive":
            matter = self.matters[plan.matter.code]
            case = cases.receive_case(
                matter=matter, window=self.units[plan.window], applicant_name=plan.applicant_name,
                applicant_kind=plan.applicant_kind, applicant_id=plan.applicant_id,
                applicant_phone=plan.applicant_phone, channel=plan.channel, handler=self.clerk(plan.window),
                green_project=data.get("green", ""), accept=data["accept"],
                accepting_window_ids=self.accepting[matter.code], **common)
            # Keep only what later steps need; every service function re-reads and locks the case.
            self.refs[plan.key] = new(Case, id=case.pk, matter_id=case.matter_id, case_no=case.case_no)
            return
        case = self.refs[plan.key]
        if op == "on_the_spot":
            cases.complete_on_the_spot(case, **common)
        elif op == "accept":
            cases.accept_case(case, **common)
        elif op == "review":
            cases.start_review(case, **common)
        elif op == "approve":
            cases.approve_case(case, **common)
        elif op == "complete":
            cases.complete_case(case, **common)
        elif op == "withdraw":
            cases.withdraw_case(case, reason=data["reason"], **common)
        elif op == "pause":
            pauses.pause_case(case, reason=data["reason"], note=data["note"], **common)
        elif op == "resume":
            pauses.resume_case(case, **common)
        elif op == "hand_in":
            wanted = self.materials[plan.matter.code]
            notices.receive_materials(case, [wanted[name] for name in data["materials"]], **common)
        elif op == "notice":
            notices.issue_notice(case, **common)
        elif op == "refuse":
            self.refusals[plan.key] = refusals.request_refusal(
                case, kind=data["kind"], reason=data["reason"], legal_basis=data["basis"],
                by=self.clerk(plan.window), at=step.at)
        elif op == "confirm":
            refusals.confirm_refusal(self.refusals.pop(plan.key), by=self.head(plan.window), at=step.at,
                                     note="经复核，同意否办意见")
        else:
            raise ReplayError(f"unknown step {op!r}")
        if step is plan.steps[-1]:
            self.refs.pop(plan.key, None)

    def _consultation(self, c: ConsultationPlan) -> Callable[[], None]:
        def run() -> None:
            common: dict[str, Any] = {"actor": None, "actor_label": self.actor_label}
            first = self.clerk(c.window)
            if c.refer_to is None:
                consultations.open_consultation(window=self.units[c.window], question=c.question,
                                                asker_name=c.asker_name, asker_phone=c.asker_phone, officer=first,
                                                answer=c.answer, at=c.at, **common)
                return
            with transaction.atomic():
                opened = consultations.open_consultation(
                    window=self.units[c.window], question=c.question, asker_name=c.asker_name,
                    asker_phone=c.asker_phone, officer=first, at=c.at, **common)
                other = self.clerk(c.refer_to)
                consultations.refer_consultation(opened, to_window=self.units[c.refer_to], to_officer=other,
                                                 note="属该窗口职能，已引导申请人前往", at=after_seconds(c.at, 90),
                                                 **common)
                consultations.answer_consultation(opened, answer=c.answer, by=other, at=c.answered_at, **common)
        return run

    def _complaint(self, c: ComplaintPlan) -> Callable[[], None]:
        def run() -> None:
            with transaction.atomic():
                filed = complaints.file_complaint(content=c.content, complainant=c.complainant, phone=c.phone,
                                                  window=self.units[c.window], at=c.at, actor=None,
                                                  actor_label=self.actor_label)
                complaints.reply_complaint(filed, finding=Finding.INVALID, reply=c.reply, by=self.supervisor,
                                           at=c.replied_at)
        return run


def after_seconds(moment: datetime, seconds: int) -> datetime:
    return moment + timedelta(seconds=seconds)


def already_replayed() -> bool:
    start = at_local(FIRST_DAY, time.min)
    end = at_local(LAST_DAY + timedelta(days=1), time.min)
    return Case.objects.filter(received_at__gte=start - timedelta(days=10), received_at__lt=end,
                               window__path__startswith=f"/{CENTER_CODE}/").exists()


REPLAY_REF = ("demo.replay", CENTER_CODE)


@dataclass
class ReplayProgress:
    scale: float
    seed: int
    batch: str
    last_day: date | None  # the last day whose events are committed
    finished: bool


def replay_progress() -> ReplayProgress | None:
    """Where the latest replay into this database got to; None if none was ever started here."""
    events = AuditEvent.objects.filter(object_type=REPLAY_REF[0], object_id=REPLAY_REF[1])
    started = events.filter(action="demo.replay.started").order_by("-id").first()
    if started is None:
        return None
    later = events.filter(id__gt=started.id)
    day = later.filter(action="demo.replay.day").order_by("-id").values_list("changes", flat=True).first()
    return ReplayProgress(scale=started.changes["scale"], seed=started.changes["seed"],
                          batch=started.changes["batch"], last_day=date.fromisoformat(day["day"]) if day else None,
                          finished=later.filter(action="demo.replay.finished").exists())


def start_replay(*, scale: float, seed: int, batch: str = "day") -> bool:
    """Build the center and mark a replay of it as started, in one transaction, so that a replay
    resumed from here (`replay(resume=True)`, perhaps in another process) records every day. Returns
    False (and does nothing) when the center already exists."""
    with transaction.atomic():
        built = build_center(at=at_local(FIRST_DAY, time(8, 0)))
        if built:
            record("demo.replay.started", REPLAY_REF, actor_label=ACTOR_LABEL, scale=scale, seed=seed, batch=batch)
    return built


def replay(
    *, scale: float = 1.0, seed: int = DEFAULT_SEED, batch: str = "day",
    progress: Callable[[str], None] | None = None, resume: bool = False,
    on_day: Callable[[date, int, int], None] | None = None,
) -> ReplayResult:
    """Build the center if needed, plan the period and record it through the engine.

    batch="day": one transaction per working day (each service call inside it is a savepoint with its
    own audit event); batch="transition": every service call commits on its own, as at a live counter.
    Refuses (ReplayError) when the period already has the center's cases: replay into a fresh database.
    resume=True continues an unfinished batch="day" replay (see `replay_progress`) after its last
    committed day, with its scale and seed. `on_day(day, events done, events planned)` follows each
    committed day."""
    if batch not in ("day", "transition"):
        raise ValueError(str(_("batch 须为 day 或 transition：%(v)s") % {"v": batch}))
    say = progress or (lambda _line: None)
    started = clock.perf_counter()
    done_through = None
    built = start_replay(scale=scale, seed=seed, batch=batch)
    if built:
        say(str(_("已建立开平市行政服务中心：41 个进驻部门、窗口和事项目录")))
    elif resume:
        state = replay_progress()
        if state is None or state.finished or state.batch != "day":
            raise ReplayError(str(_("没有可以续接的未完成重放")))
        scale, seed, done_through = state.scale, state.seed, state.last_day
        say(str(_("续接未完成的重放（比例 %(s)s），从 %(d)s 之后开始") % {"s": scale, "d": done_through or FIRST_DAY}))
    elif already_replayed():
        raise ReplayError(str(_("数据库中已有 2010 年 3–10 月的办件：重放须在新的数据库中进行")))
    plan = make_plan(scale, seed)
    say(str(_("计划：%(c)d 件咨询，%(n)d 件办件，%(s)d 个办理步骤，%(d)d 个工作日") % {
        "c": len(plan.consultations), "n": len(plan.cases), "s": plan.step_count(), "d": len(plan.workdays)}))
    events_before = AuditEvent.objects.count()
    recorder = Recorder(plan)
    timeline = list(recorder.items())
    heapq.heapify(timeline)
    planned = len(timeline)
    recording = clock.perf_counter()
    done = 0
    tz = local_tz()
    skipped: list[_Item] = []
    while timeline:
        day = timeline[0].at.astimezone(tz).date()
        todays = []
        while timeline and timeline[0].at.astimezone(tz).date() == day:
            todays.append(heapq.heappop(timeline))
        if done_through is not None and day <= done_through:
            skipped += todays
            done += len(todays)  # recorded by the run that stopped
            continue
        if skipped:
            recorder.restore(skipped)
            skipped = []
        if batch == "day":
            with transaction.atomic():
                for item in todays:
                    item.run()
                record("demo.replay.day", REPLAY_REF, actor_label=ACTOR_LABEL, day=day.isoformat())
        else:
            for item in todays:
                item.run()
        done += len(todays)
        if on_day is not None:
            on_day(day, done, planned)
        if not timeline or timeline[0].at.astimezone(tz).month != day.month:
            say(str(_("已重放至 %(d)s：%(n)d 个事件，用时 %(t).0f 秒") % {
                "d": day, "n": done, "t": clock.perf_counter() - started}))
    with transaction.atomic():
        record("demo.replay.finished", REPLAY_REF, actor_label=ACTOR_LABEL)
    record_seconds = clock.perf_counter() - recording
    figures = hall_figures(FIRST_DAY, LAST_DAY)
    return ReplayResult(plan=plan, figures=figures, seconds=clock.perf_counter() - started,
                        record_seconds=record_seconds, cases=len(plan.cases),
                        steps=plan.step_count(), audit_events=AuditEvent.objects.count() - events_before)


def record_windows(plan: Plan, windows: set[str]) -> int:
    """Record, in time order, only the events of `windows` (cases received there, questions asked and
    complaints made there), every service call committing on its own. Windows share no case, so
    several processes can each record a disjoint set of windows of one plan at once (into a center
    already built, e.g. by `build_center`). Returns the number of events recorded."""
    timeline = [item for item in Recorder(plan).items() if item.window in windows]
    heapq.heapify(timeline)
    events = len(timeline)
    while timeline:
        heapq.heappop(timeline).run()
    return events


# ---------------------------------------------------------------------------------------------------
# The seed's table.

SEED_TABLE = (
    ("consultations", "咨询事项"),
    ("accepted", "受理事项"),
    ("completed", "办结事项"),
    ("on_the_spot", "即办事项"),
    ("on_the_spot_rate", "即办率"),
    ("on_time_rate", "按时办结率"),
    ("valid_complaints", "有效投诉"),
)


def _cell(key: str, value: Any) -> str:
    if value is None:
        return "—"
    if key.endswith("_rate"):
        return f"{value * 100:.0f} %"
    return f"{value:,}"


def write_table(out: TextIO | OutputWrapper, figures: HallFigures, plan: Plan) -> None:
    """The report's table as the engine computed it, next to what the generator planned (and, for a
    full replay, the report's own figures)."""
    expected = plan.expected()
    full = plan.targets == SEED_TARGETS
    seed_values = {"consultations": 31809, "accepted": 62659, "completed": 62303, "on_the_spot": 32094,
                   "on_the_spot_rate": 0.51, "on_time_rate": 1.0, "valid_complaints": 0}
    head = ["指标", "引擎统计", "生成计划"] + (["种子材料"] if full else [])
    rows = [head]
    for key, label in SEED_TABLE:
        row = [label, _cell(key, getattr(figures, key)), _cell(key, expected[key])]
        if full:
            row.append(_cell(key, seed_values[key]))
        rows.append(row)
    widths = [max(_width(r[i]) for r in rows) for i in range(len(head))]
    out.write(str(_("开平市行政服务中心 %(a)s 至 %(b)s（由引擎的统计口径计算）\n") % {"a": FIRST_DAY, "b": LAST_DAY}))
    for r in rows:
        cells = [r[0] + " " * (widths[0] - _width(r[0]))] + [
            " " * (widths[i] - _width(r[i])) + r[i] for i in range(1, len(r))]
        out.write("  ".join(cells) + "\n")


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def figures_match(figures: HallFigures, plan: Plan) -> dict[str, tuple[Any, Any]]:
    """Every figure where the engine and the plan disagree (empty when they agree exactly)."""
    return {k: (getattr(figures, k), v) for k, v in plan.expected().items() if getattr(figures, k) != v}
