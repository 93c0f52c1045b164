"""The present: the seed city's last eight weeks up to the moment the demo starts.

`yizhan demo` keeps the 2010 replay as the seed has it, and builds beside it the same center at work
today: `plan_present(now)` decides, on today's calendar (the current year's holidays and make-up
days, chinesecalendar), what happened on each working day of the eight weeks before `now` at the
seed's daily rates (its eight months' totals over 2010's working days: about 190 consultations and
370 acceptances a working day, half of them on the spot); `build_present` records it through the
hall's service functions in time order, one transaction a day, with the timers and audit events a
counter would leave, and runs the accountability sweep after each day as the worker would have.

Besides the day-to-day flow, the plan places what every default screen needs in order to show
something true: on each window's worklist cases at every warning level (normal, yellow, red on
their deadline day, past the promised limit, and a few past the statutory one, which the sweep gives
their accountability records), green-channel cases, one-time notices waiting for materials and a
refusal waiting for its second signature; ratings with bad ones under rectification, complaints with
replies due, tickets of today's queue (issued, called, waiting), and appointments for this evening's
extended hours. Everything after `now` is cut: a case planned to complete tomorrow is open today.

A build marks its progress in the audit log (`demo.present.started` with its `now`,
`demo.present.day` per recorded day, `demo.present.finished`)."""

import heapq
import math
import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from yizhan.audit.log import record
from yizhan.audit.models import AuditEvent
from yizhan.calendar.workdays import WorkCalendar, current_calendar, local_date, local_tz
from yizhan.demo import fake
from yizhan.demo.seed_replay import (
    CENTER_CODE,
    COMPLAINTS,
    GREEN_PROJECTS,
    PAUSE_NOTES,
    REFUSAL_REASON,
    SEED_TARGETS,
    WEEKDAY_FACTOR,
    CasePlan,
    ComplaintPlan,
    ConsultationPlan,
    MatterInfo,
    Plan,
    Planner,
    Recorder,
    Step,
    after,
    at_local,
    consultation_text,
    load_matters,
    office_time,
    period_workdays,
    person_name,
)
from yizhan.errors import IllegalTransition, InvalidInput
from yizhan.hall import accountability, appointments, complaints, queue, ratings, rectification
from yizhan.hall.models import (
    Appointment,
    Case,
    Channel,
    Finding,
    QueueGroup,
    RefusalKind,
    Score,
)
from yizhan.org.models import OrgUnit, UnitKind

PRESENT_DAYS = 56
ACTOR_LABEL = "present"
PRESENT_REF = ("demo.present", CENTER_CODE)
DEFAULT_SEED = 20261207
CLERK_WINDOW = f"{CENTER_CODE}-26-W1"  # the demo account "clerk" works here
GREEN_SHARE = 0.25  # key projects' share of the cases of green-channel matters
RATED_SHARE = 0.3  # applicants who rate a completed case
BAD_SHARE = 0.03  # of the ratings, 不满意 or 非常不满意
TICKET_DAYS = 6  # working days with a ticket queue recorded (today and the five before)
QUEUE_CALL_MINUTES = (4, 25)


def seed_daily_rates(cal: WorkCalendar) -> dict[str, float]:
    """The seed's totals for March–October 2010 per working day of that period."""
    days = len(period_workdays(cal))
    t = SEED_TARGETS
    return {"consultations": t.consultations / days, "on_the_spot": t.on_the_spot / days,
            "promised": (t.accepted - t.on_the_spot) / days, "complaints": t.complaints / days}


def workdays_back(cal: WorkCalendar, day: date, n: int) -> date:
    """The working day n working days before `day` (n = 0: `day` if a working day, else the one before)."""
    while not cal.is_workday(day):
        day -= timedelta(days=1)
    while n > 0:
        day -= timedelta(days=1)
        if cal.is_workday(day):
            n -= 1
    return day


@dataclass
class TicketPlan:
    at: datetime
    op: str  # "issue" (group) or "call" (window)
    group: str
    window: str = ""


@dataclass
class PresentPlan(Plan):
    now: datetime | None = None
    tickets: list[TicketPlan] = field(default_factory=list)
    open_complaints: list[ComplaintPlan] = field(default_factory=list)


class PresentPlanner(Planner):
    """Decides, deterministically from `seed` and `now`, the center's last eight weeks (the replay's
    planner, on another period, with other rates and what the worklists must show)."""

    def __init__(self, matters: list[MatterInfo], cal: WorkCalendar, now: datetime, scale: float, seed: int) -> None:
        self.cal, self.now, self.scale = cal, now, scale
        self.rng = random.Random(seed)
        self.today = local_date(now)
        self.first = self.today - timedelta(days=PRESENT_DAYS - 1)
        self.days = [self.first + timedelta(days=k) for k in range(PRESENT_DAYS)
                     if cal.is_workday(self.first + timedelta(days=k))]
        self.spot = [m for m in matters if m.on_the_spot]
        self.promised = [m for m in matters if not m.on_the_spot]
        self.all = matters
        self.windows = sorted({w for m in matters for w in m.windows})
        self.cases: list[CasePlan] = []
        self.rates = seed_daily_rates(cal)
        self.seed = seed
        # Not the replay's __init__: its period (2010) and targets do not apply here.

    # -- helpers

    def count(self, rate: float, day: date, index: int) -> int:
        """The day's volume: the seed's rate, the weekday, the rush after a holiday, some noise."""
        w = WEEKDAY_FACTOR[day.weekday()] * self.rng.uniform(0.85, 1.15)
        if index and (day - self.days[index - 1]).days > 3:
            w *= 1.3
        value = rate * self.scale * w
        return int(value) + (1 if self.rng.random() < value - int(value) else 0)

    def new_case(self, matter: MatterInfo, day: date | None, *, channel: str = Channel.COUNTER,
                 window: str | None = None) -> CasePlan:
        case = super().new_case(matter, day, channel=channel)
        case.window = window or case.window
        return case

    def workday_after(self, day: date, n: int) -> date:
        return self.cal.add_workdays(day, n)

    # -- the plan

    def plan(self) -> PresentPlan:
        for i, day in enumerate(self.days):
            for _n in range(self.count(self.rates["on_the_spot"], day, i)):
                self.plan_on_the_spot(day)
            for _n in range(self.count(self.rates["promised"], day, i)):
                self.plan_present_case(self.new_case(self.pick(self.promised), day))
        self.place_worklist_items()
        consultations = self.plan_consultations()
        plan = PresentPlan(targets=SEED_TARGETS, seed=self.seed, cases=self.cases, consultations=consultations,
                           complaints=[], workdays=self.days, now=self.now)
        self.plan_evening()
        plan.open_complaints = self.plan_complaints()
        plan.tickets = self.plan_tickets()
        for case in self.cases:
            case.steps = [s for s in case.steps if s.at <= self.now]
        plan.cases = [c for c in self.cases if c.steps]
        plan.consultations = [c for c in consultations if c.answered_at <= self.now]
        return plan

    def takes_extended_hours(self, case: CasePlan) -> bool:
        return case.matter.on_the_spot  # booked ahead (the clerk receives it from the appointment)

    def extended_start(self, case: CasePlan, day: date) -> datetime:
        return self.book(case, day)

    def book(self, case: CasePlan, day: date, slot: tuple[int, int] | None = None) -> datetime:
        """An extended-hours appointment: booked a few days ahead, for the lunch break or the evening."""
        hour, minute = slot or self.rng.choice(((12, 0), (12, 30), (13, 0), (18, 0), (18, 30), (19, 0)))
        starts = at_local(day, time(hour, minute))
        booked = starts - timedelta(days=self.rng.randint(1, 6), hours=self.rng.randint(1, 5))
        case.steps.append(Step(booked, "book", {"starts_at": starts}))
        return starts + timedelta(minutes=self.rng.randint(2, 20))

    def plan_on_the_spot(self, day: date) -> None:
        case = self.new_case(self.pick(self.spot), day)
        start = self.start_time(case, day)
        receive = "receive_appointment" if case.channel == Channel.EXTENDED_HOURS else "receive"
        case.steps += [Step(start, receive, {"accept": True}), Step(after(self.rng, start, 3, 30), "on_the_spot")]
        case.completed_on, case.outcome, case.deadline_day = day, "approved", day
        self.plan_rating(case, case.steps[-1].at)

    def plan_present_case(self, case: CasePlan, *, stay_open_after: str | None = None) -> None:
        """Receive, review, decide and complete before the promised deadline; with `stay_open_after`
        (an op) the case stops there, still open."""
        rng, day = self.rng, case.accepted_on
        if case.matter.green_days is not None and rng.random() < GREEN_SHARE:
            case.green_project = rng.choice(GREEN_PROJECTS)
        accepted = self.start_time(case, day)
        case.steps.append(Step(accepted, "receive", {"accept": True, "green": case.green_project}))
        reviewed = after(rng, accepted, 10, 120)
        case.steps.append(Step(reviewed, "review"))
        case.deadline_day = self.workday_after(day, self.limit(case))
        if stay_open_after is not None:
            case.steps = case.steps[: 1 + (stay_open_after == "review")]
            return
        last = reviewed
        if rng.random() < 0.03 and self.limit(case) >= 3:
            reason, note = rng.choice(list(PAUSE_NOTES.items()))
            pause_on = self.workday_after(day, 1)
            days = rng.randint(1, 3)
            case.steps += [Step(office_time(rng, pause_on), "pause", {"reason": reason, "note": note}),
                           Step(at_local(self.workday_after(pause_on, days), time(9, 0)), "resume")]
            case.deadline_day = self.workday_after(case.deadline_day, days)
            last = case.steps[-1].at
        span = self.cal.workdays_between(day, case.deadline_day)
        done_on = self.workday_after(day, max(1, int(span * rng.random() ** 1.7 + 0.5)))
        start_day = local_date(last)
        if done_on <= start_day:
            done_on = self.workday_after(start_day, 1) if start_day >= day else done_on
        decided = office_time(rng, done_on)
        if rng.random() < 0.001:
            reason, basis = REFUSAL_REASON
            confirm = after(rng, decided, 20, 90)
            case.steps += [Step(decided, "refuse", {"kind": RefusalKind.REFUSE_APPROVAL, "reason": reason,
                                                    "basis": basis}),
                           Step(confirm, "confirm"), Step(after(rng, confirm, 10, 60), "complete")]
        else:
            case.steps += [Step(decided, "approve"), Step(after(rng, decided, 10, 90), "complete")]
        case.completed_on = done_on
        self.plan_rating(case, case.steps[-1].at)

    def plan_rating(self, case: CasePlan, completed: datetime) -> None:
        rng = self.rng
        if rng.random() >= RATED_SHARE:
            return
        rated = completed + timedelta(minutes=rng.randint(1, 60 * 24 * 3))
        bad = rng.random() < BAD_SHARE
        score = rng.choice((Score.DISSATISFIED, Score.VERY_DISSATISFIED)) if bad else rng.choices(
            (Score.VERY_SATISFIED, Score.SATISFIED, Score.BASICALLY_SATISFIED), weights=(70, 25, 5))[0]
        case.steps.append(Step(rated, "rate", {"score": int(score), "comment": BAD_COMMENT if bad else ""}))
        if bad:
            # The head verifies within a few days and closes within the 15 working days; the latest
            # bad ratings are still under rectification.
            verified = office_time(rng, self.workday_after(local_date(rated), rng.randint(1, 4)))
            closed = office_time(rng, self.workday_after(local_date(verified), rng.randint(1, 6)))
            case.steps += [Step(verified, "verify_rectification"), Step(closed, "close_rectification")]

    # -- what the worklists must show

    def item_windows(self) -> list[str]:
        """The windows that get every kind of worklist item: all of them at a large scale; at a small
        one, fewer (the clerk's window always)."""
        windows = [CLERK_WINDOW] + [w for w in self.windows if w != CLERK_WINDOW]
        return windows[:max(1, math.ceil(len(windows) * min(1.0, self.scale * 4)))]

    def place_worklist_items(self) -> None:
        today, cal = self.today, self.cal
        last_workday = workdays_back(cal, today, 0)
        for n, window in enumerate(self.item_windows()):
            matters = [m for m in self.promised if window in m.windows]
            if not matters:
                continue
            rng = self.rng
            by_limit = sorted(matters, key=lambda m: m.promised_days)
            m = rng.choice(matters)
            # normal: accepted today (or on the last working day)
            self.open_case(m, last_workday, window)
            # yellow: promised deadline on the next working day
            self.open_case(m, workdays_back(cal, self.workday_after(last_workday, 1), m.promised_days), window)
            # red: promised deadline today (only on a working day)
            if cal.is_workday(today):
                self.open_case(m, workdays_back(cal, today, m.promised_days), window)
            # past the promised limit, still within the statutory one
            wide = [x for x in matters if x.statutory_days - x.promised_days >= 4] or by_limit
            m2 = rng.choice(wide)
            self.open_case(m2, workdays_back(cal, last_workday, m2.promised_days + 2), window)
            # past the statutory limit (a few windows): the sweep opens its accountability record
            if n % 3 == 0:
                fits = [x for x in matters if x.statutory_days + 4 < len(self.days)]
                if fits:
                    m3 = min(fits, key=lambda x: x.statutory_days)
                    self.open_case(m3, workdays_back(cal, last_workday, m3.statutory_days + 2), window)
            # a green-channel case where the window has a green-channel matter
            green = [x for x in matters if x.green_days is not None]
            if green:
                case = self.new_case(green[0], workdays_back(cal, last_workday, 1), window=window)
                case.green_project = rng.choice(GREEN_PROJECTS)
                self.plan_present_case(case, stay_open_after="review")
            # a one-time notice waiting for the materials
            notice = [x for x in matters if len(x.materials) >= 2]
            if notice:
                self.notice_case(rng.choice(notice), workdays_back(cal, last_workday, 1), window)
            # a refusal waiting for the department head's signature, and a bad rating of last week
            # under rectification (every third window)
            if n % 3 == 0:
                self.pending_refusal(m, workdays_back(cal, last_workday, 2), window)
                self.bad_rating(window, workdays_back(cal, last_workday, 3))

    def open_case(self, matter: MatterInfo, day: date, window: str) -> None:
        if day < self.days[0]:
            return
        case = self.new_case(matter, day, window=window)
        self.plan_present_case(case, stay_open_after="review")
        case.green_project = ""
        case.steps[0].data["green"] = ""
        case.deadline_day = self.workday_after(day, matter.promised_days)

    def notice_case(self, matter: MatterInfo, day: date, window: str) -> None:
        rng = self.rng
        case = self.new_case(matter, None, window=window)
        start = office_time(rng, day)
        handed = list(matter.materials[: len(matter.materials) - 1])
        case.steps = [Step(start, "receive", {"accept": False}), Step(after(rng, start, 2, 10), "hand_in",
                                                                      {"materials": handed}),
                      Step(after(rng, start, 12, 25), "notice")]

    def bad_rating(self, window: str, day: date) -> None:
        """A case completed on the spot on `day`, rated 不满意 the next day; the head has verified it
        and not yet closed the rectification."""
        spot = [m for m in self.spot if window in m.windows] or [m for m in self.promised if window in m.windows]
        matter = self.rng.choice(spot)
        case = self.new_case(matter, day, window=window)
        start = office_time(self.rng, day)
        if matter.on_the_spot:
            case.steps = [Step(start, "receive", {"accept": True}), Step(after(self.rng, start, 3, 20), "on_the_spot")]
        else:
            case.steps = [Step(start, "receive", {"accept": True}), Step(after(self.rng, start, 5, 20), "review"),
                          Step(after(self.rng, start, 25, 40), "approve"), Step(after(self.rng, start, 45, 60), "complete")]
        rated = office_time(self.rng, self.workday_after(day, 1))
        case.steps += [Step(rated, "rate", {"score": int(Score.DISSATISFIED), "comment": BAD_COMMENT}),
                       Step(office_time(self.rng, self.workday_after(day, 2)), "verify_rectification")]

    def pending_refusal(self, matter: MatterInfo, day: date, window: str) -> None:
        rng = self.rng
        case = self.new_case(matter, day, window=window)
        start = office_time(rng, day)
        reason, basis = REFUSAL_REASON
        case.steps = [Step(start, "receive", {"accept": True}), Step(after(rng, start, 10, 60), "review"),
                      Step(after(rng, start, 70, 120), "refuse", {"kind": RefusalKind.REFUSE_APPROVAL,
                                                                  "reason": reason, "basis": basis})]

    def plan_evening(self) -> None:
        """Appointments for the next extended hours (this evening when there still are some), booked
        in the last days at the windows that get worklist items."""
        day = self.today if self.cal.is_workday(self.today) else self.workday_after(self.today, 1)
        slots = [at_local(day, time(h, m)) for h, m in ((18, 0), (18, 30), (19, 0))]
        if not [s for s in slots if s > self.now]:
            day = self.workday_after(day, 1)
            slots = [at_local(day, time(h, m)) for h, m in ((12, 0), (18, 0), (18, 30), (19, 0))]
        slots = [s for s in slots if s > self.now]
        for n, window in enumerate(self.item_windows()):
            matters = [m for m in self.all if window in m.windows]
            if not matters:
                continue
            case = self.new_case(self.rng.choice(matters), None, window=window)
            booked = self.now - timedelta(hours=self.rng.randint(2, 60))
            case.steps = [Step(booked, "book", {"starts_at": slots[n % len(slots)]})]

    # -- consultations, complaints, the queue

    def plan_consultations(self) -> list[ConsultationPlan]:
        rng, plans = self.rng, []
        for i, day in enumerate(self.days):
            for _n in range(self.count(self.rates["consultations"], day, i)):
                matter = self.pick(self.all)
                asked = office_time(rng, day)
                surname, given = person_name(rng)
                question, answer = consultation_text(rng, matter)
                plans.append(ConsultationPlan(at=asked, window=rng.choice(matter.windows), asker_name=surname + given,
                                              asker_phone=fake.phone(rng), question=question, answer=answer,
                                              refer_to=None, answered_at=asked))
        return plans

    def plan_complaints(self) -> list[ComplaintPlan]:
        """Complaints at the seed's rate (at least a few), replied within the 5 working days; those of
        the last days still waiting for their reply."""
        rng, items = self.rng, []
        n = max(3, round(self.rates["complaints"] * self.scale * len(self.days)))
        windows = [CLERK_WINDOW] + [rng.choice(self.windows) for _n in range(n - 1)]
        for k, window in enumerate(windows):
            day = self.days[-1 - (k % 3)] if k < 3 else rng.choice(self.days[:-3])
            filed = office_time(rng, day)
            content, reply = rng.choice(COMPLAINTS)
            surname, given = person_name(rng)
            replied = None if k < 3 else office_time(rng, self.workday_after(day, rng.randint(1, 4)))
            items.append(ComplaintPlan(filed, window, surname + given, fake.phone(rng), content, reply,
                                       replied if replied is None or replied <= self.now else None))
        return [c for c in items if c.at <= self.now]

    def plan_tickets(self) -> list[TicketPlan]:
        """The ticket queue of the last working days: numbers issued all day, each window calling the
        oldest waiting number of its department's group a few minutes later; today's, up to now."""
        rng, tickets = self.rng, []
        groups = defaultdict(list)
        for m in self.all:
            for w in m.windows:
                groups[w.rsplit("-", 1)[0]].append(w)
        departments = sorted(groups)
        per_day = self.rates["consultations"] + self.rates["on_the_spot"] + self.rates["promised"]
        for i, day in enumerate(self.days):
            if i < len(self.days) - TICKET_DAYS:
                continue
            n = self.count(per_day * 0.5, day, i)
            issued = sorted(office_time(rng, day) for _n in range(n))
            last_call: dict[str, datetime] = {}
            for at in issued:
                department = rng.choice(departments)
                windows = sorted(set(groups[department]))
                tickets.append(TicketPlan(at, "issue", department))
                call = at + timedelta(minutes=rng.randint(*QUEUE_CALL_MINUTES), seconds=rng.randrange(60))
                call = max(call, last_call.get(department, call) + timedelta(seconds=30))
                last_call[department] = call
                tickets.append(TicketPlan(call, "call", department, rng.choice(windows)))
        return [t for t in tickets if t.at <= self.now]


BAD_COMMENT = "等候时间太长，窗口解释不清楚"


def plan_present(now: datetime, *, scale: float = 1.0, seed: int = DEFAULT_SEED,
                 cal: WorkCalendar | None = None) -> PresentPlan:
    matters = load_matters()
    if not matters:
        raise ValueError("the seed center's catalog is not in the database")
    return PresentPlanner(matters, cal or current_calendar(), now, scale, seed).plan()


# ---------------------------------------------------------------------------------------------------
# Recording.


@dataclass(order=True)
class _Event:
    at: datetime
    order: int
    run: Callable[[], None] = field(compare=False)


class PresentRecorder(Recorder):
    """The replay's recorder, labelled "present", with what the present adds: appointments, ratings
    and their rectification, complaints with replies due, the ticket queue."""

    actor_label = ACTOR_LABEL

    def __init__(self, plan: PresentPlan) -> None:
        super().__init__(plan)
        self.plan: PresentPlan = plan
        self.appointments: dict[int, Appointment] = {}
        self.rectifications: dict[int, Any] = {}
        self.groups = {g.unit.code: g for g in QueueGroup.objects.select_related("unit")}
        self.windows = {u.code: u for u in OrgUnit.objects.filter(kind=UnitKind.WINDOW,
                                                                  path__startswith=f"/{CENTER_CODE}/")}

    def events(self) -> list[_Event]:
        out = [_Event(item.at, item.order, item.run) for item in self.items()]
        order = len(out)
        for c in self.plan.open_complaints:
            order += 1
            out.append(_Event(c.at, order, self._present_complaint(c)))
        for t in self.plan.tickets:
            order += 1
            out.append(_Event(t.at, order, self._ticket(t)))
        return out

    def apply(self, plan: CasePlan, step: Step) -> None:
        op, data = step.op, step.data
        if op == "book":
            try:
                with transaction.atomic():
                    self.appointments[plan.key] = appointments.book_appointment(
                        matter=self.matters[plan.matter.code], window=self.units[plan.window],
                        applicant_name=plan.applicant_name, applicant_phone=plan.applicant_phone,
                        starts_at=data["starts_at"], at=step.at, actor_label="applicant")
            except InvalidInput as exc:
                if exc.rule != "slot_full":
                    raise
                # The half hour was full: the applicant comes without an appointment at that hour.
        elif op == "receive_appointment":
            booked = self.appointments.pop(plan.key, None)
            if booked is None:
                super().apply(plan, Step(step.at, "receive", data))
                return
            case = appointments.receive_from_appointment(
                booked, by=self.clerk(plan.window), applicant_kind=plan.applicant_kind,
                applicant_id=plan.applicant_id, accept=data["accept"], at=step.at)
            self.refs[plan.key] = Case(pk=case.pk, matter_id=case.matter_id, case_no=case.case_no)
        elif op == "rate":
            rating = ratings.rate_case(self.refs[plan.key], score=data["score"], comment=data["comment"], at=step.at)
            if rating.is_bad:
                self.rectifications[plan.key] = rating.rectification
        elif op == "verify_rectification":
            rectification.verify_rectification(self.rectifications[plan.key], substantiated=True,
                                               verification="经核实，当日窗口等候时间较长，解释不够清楚",
                                               by=self.head(plan.window), at=step.at)
        elif op == "close_rectification":
            rectification.close_rectification(self.rectifications.pop(plan.key), measures="增开高峰时段窗口，窗口人员重新培训",
                                              reply="已整改并电话回复申请人", by=self.head(plan.window), at=step.at)
        else:
            super().apply(plan, step)
            return
        if step is plan.steps[-1]:
            self.refs.pop(plan.key, None)

    def _present_complaint(self, c: ComplaintPlan) -> Callable[[], None]:
        def run() -> None:
            with transaction.atomic():
                filed = complaints.file_complaint(content=c.content, complainant=c.complainant, phone=c.phone,
                                                  window=self.units[c.window], at=c.at, actor=None,
                                                  actor_label="applicant")
                if c.replied_at is not None:
                    complaints.reply_complaint(filed, finding=Finding.INVALID, reply=c.reply, by=self.supervisor,
                                               at=c.replied_at)
        return run

    def _ticket(self, t: TicketPlan) -> Callable[[], None]:
        def run() -> None:
            group = self.groups.get(t.group)
            if group is None:
                return
            if t.op == "issue":
                queue.issue_ticket(group, at=t.at, actor_label="kiosk")
                return
            window, clerk = self.windows[t.window], self.clerk(t.window)
            current = queue.current_ticket(window)
            if current is not None and current.state == "called":
                queue.start_serving(current, by=clerk, at=t.at)
            try:
                with transaction.atomic():
                    called = queue.call_next(window, by=clerk, at=t.at)
            except IllegalTransition:  # nobody waiting for this window's groups at that moment
                return
            queue.start_serving(called, by=clerk, at=t.at + timedelta(seconds=20))
        return run


@dataclass
class PresentResult:
    plan: PresentPlan
    cases: int
    events: int
    accountability: int


def present_state() -> str:
    """"none", "started" or "finished": how far a present was built into this database."""
    events = AuditEvent.objects.filter(object_type=PRESENT_REF[0], object_id=PRESENT_REF[1])
    if events.filter(action="demo.present.finished").exists():
        return "finished"
    return "started" if events.filter(action="demo.present.started").exists() else "none"


def build_present(now: datetime, *, scale: float = 1.0, seed: int = DEFAULT_SEED,
                  progress: Callable[[str], None] | None = None,
                  on_day: Callable[[date, int, int], None] | None = None) -> PresentResult:
    """Plan the eight weeks up to `now` and record them through the engine, a transaction a day, with
    the accountability sweep after each day (at 00:15 of the next, as the worker's would have run)."""
    say = progress or (lambda _line: None)
    plan = plan_present(now, scale=scale, seed=seed)
    say(_("当前数据：%(a)s 至 %(b)s，%(n)d 件办件，%(c)d 件咨询，%(t)d 个排队号事件") % {
        "a": plan.workdays[0], "b": local_date(now), "n": len(plan.cases), "c": len(plan.consultations),
        "t": len(plan.tickets)})
    with transaction.atomic():
        record("demo.present.started", PRESENT_REF, actor_label=ACTOR_LABEL, now=now.isoformat(), scale=scale,
               seed=seed)
    recorder = PresentRecorder(plan)
    timeline = recorder.events()
    heapq.heapify(timeline)
    planned, done, records = len(timeline), 0, 0
    tz = local_tz()
    while timeline:
        day = timeline[0].at.astimezone(tz).date()
        with transaction.atomic():
            while timeline and timeline[0].at.astimezone(tz).date() == day:
                heapq.heappop(timeline).run()
                done += 1
            record("demo.present.day", PRESENT_REF, actor_label=ACTOR_LABEL, day=day.isoformat())
        sweep_at = min(now, at_local(day + timedelta(days=1), time(0, 15)))
        records += len(accountability.sweep(sweep_at, actor_label="sweep"))
        if on_day is not None:
            on_day(day, done, planned)
    with transaction.atomic():
        record("demo.present.finished", PRESENT_REF, actor_label=ACTOR_LABEL)
    return PresentResult(plan=plan, cases=len(plan.cases), events=done, accountability=records)


