"""`yizhan simulate`: the demo city at work while one watches.

The Simulator acts as the hall's and the CDC's people would, through the same service functions, at
the seed's daily rates (`present.seed_daily_rates`) spread over the working day and multiplied by
`speed`: applicants take tickets and windows call them, clerks answer consultations, receive and
accept applications (on the spot or on the promised clock, now and then with a one-time notice),
review, decide and complete them, sometimes refuse (and the department head confirms); applicants
rate completed cases and the heads rectify the bad ratings; complaints are filed and answered;
clinics report cards with the season's diseases (now and then a late one, a duplicate, a wrong
field corrected) and the epidemiologists review them and respond to signals. Outside office hours
only the extended-hours appointments happen (booked, then received at the lunch break or in the
evening); `around_the_clock=True` acts as in office hours at any hour (a benchmark's load at night).

Every action is one or a few service calls in one transaction, so stopping between two actions (the
command stops on SIGINT/SIGTERM after the action under way) leaves nothing half done. A refusal by
a rule (nothing waiting at a window, a case another action just completed) counts as `refused`, not
as an error; anything else is an error, counted and logged.

    from yizhan.demo.simulate import Simulator
    sim = Simulator(speed=100, seed=1)
    sim.step()                      # one action now, whatever the hour
    sim.run(until=deadline)         # act at `speed` until the aware datetime `deadline` (or stop())
    sim.stats                       # actions by kind, refused, errors, seconds

(benchmarks use it as their load: `Simulator(speed=..., around_the_clock=True).run(until=...)` in a
thread or process beside the pages they time.)"""

import logging
import random
import threading
import time as clock
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import OperationalError, close_old_connections, connection, transaction
from django.utils import timezone

from yizhan.calendar.workdays import current_calendar, local_date, local_tz
from yizhan.demo import fake
from yizhan.demo.present import BAD_COMMENT, seed_daily_rates
from yizhan.demo.seed_replay import (
    CENTER_CODE,
    COMPLAINTS,
    REFUSAL_REASON,
    consultation_text,
    load_matters,
    person_name,
    resident_id,
    staff_username,
)
from yizhan.errors import RuleError
from yizhan.hall import appointments, cases, complaints, consultations, notices, queue, ratings, rectification, refusals
from yizhan.hall.models import (
    ApplicantKind,
    Appointment,
    AppointmentState,
    Case,
    CaseState,
    Complaint,
    ComplaintState,
    Finding,
    Matter,
    MatterKind,
    QueueGroup,
    Rectification,
    RectificationState,
    Refusal,
    RefusalKind,
    RefusalState,
    Score,
    Ticket,
    TicketState,
)
from yizhan.org.models import OrgUnit, Role, UnitKind
from yizhan.surveillance import cards, review, signals
from yizhan.surveillance.demo import card_fields, season_weights
from yizhan.surveillance.models import CardState, CaseCard, Signal, SignalState

log = logging.getLogger("yizhan.simulate")
OFFICE = ((time(8, 30), time(12, 0)), (time(14, 30), time(17, 30)))
OFFICE_SECONDS = 6.5 * 3600
CARDS_PER_DAY = 24  # the network's cards on a working day (all diseases, all clinics)
LOCKED_RETRIES = 5


@dataclass
class Stats:
    actions: Counter = field(default_factory=Counter)
    refused: Counter = field(default_factory=Counter)
    errors: int = 0
    retried: int = 0
    started: float = field(default_factory=clock.monotonic)

    @property
    def done(self) -> int:
        return sum(self.actions.values())

    def per_second(self) -> float:
        return self.done / max(1e-9, clock.monotonic() - self.started)

    def as_dict(self) -> dict[str, Any]:
        return {"actions": self.done, "by_kind": dict(self.actions), "refused": sum(self.refused.values()),
                "errors": self.errors, "retried": self.retried, "per_second": round(self.per_second(), 2)}


class Simulator:
    """The city's people at work; see the module's description."""

    def __init__(self, *, speed: float = 1.0, seed: int | None = None, around_the_clock: bool = False) -> None:
        if speed <= 0:
            raise ValueError("speed must be positive")
        self.speed, self.around_the_clock = speed, around_the_clock
        self.rng = random.Random(seed)
        self.stats = Stats()
        self.stopped = threading.Event()
        self.cal = current_calendar()
        rates = seed_daily_rates(self.cal)
        users = get_user_model().objects
        self.people = {u.username: u for u in users.filter(username__contains=f"-{CENTER_CODE}")}
        self.matters = {m.code: m for m in load_matters()}
        self.windows = {u.code: u for u in OrgUnit.objects.filter(kind=UnitKind.WINDOW, active=True,
                                                                path__startswith=f"/{CENTER_CODE}/")}
        self.window_codes = sorted(w for m in self.matters.values() for w in m.windows if w in self.windows)
        self.groups = list(QueueGroup.objects.filter(active=True).prefetch_related("windows"))
        self.villages = list(OrgUnit.objects.filter(kind=UnitKind.VILLAGE, active=True).order_by("code"))
        self.epidemiologist = users.filter(staff_roles__role=Role.EPIDEMIOLOGIST).order_by("pk").first()
        promised = rates["promised"]
        # (what, working-day count, action); the counts are the seed's rates and what follows from them.
        self.office: list[tuple[str, float, Callable[[], None]]] = [
            ("ticket", rates["consultations"] + rates["on_the_spot"], self.take_ticket),
            ("call", rates["consultations"] + rates["on_the_spot"], self.call_ticket),
            ("consultation", rates["consultations"], self.consult),
            ("on_the_spot", rates["on_the_spot"], self.on_the_spot),
            ("application", promised, self.apply),
            ("review", promised, self.review),
            ("decision", promised, self.decide),
            ("supplement", promised * 0.02, self.supplement),
            ("refusal", 1.0, self.refuse),
            ("confirmation", 1.0, self.confirm),
            ("rating", (rates["on_the_spot"] + promised) * 0.3, self.rate),
            ("rectification", 2.0, self.rectify),
            ("complaint", max(0.2, rates["complaints"]), self.complain),
            ("reply", max(0.2, rates["complaints"]), self.reply),
            ("booking", 6.0, self.book),
            ("card", CARDS_PER_DAY, self.report_card),
            ("card_review", CARDS_PER_DAY, self.review_card),
            ("signal_response", 2.0, self.respond),
        ]
        self.extended: list[tuple[str, float, Callable[[], None]]] = [
            ("appointment", 6.0, self.receive_appointment), ("booking", 2.0, self.book)]

    # -- running

    def in_office_hours(self, now: datetime) -> bool:
        local = now.astimezone(local_tz())
        return self.cal.is_workday(local.date()) and any(a <= local.time() < b for a, b in OFFICE)

    def mix(self, now: datetime) -> list[tuple[str, float, Callable[[], None]]]:
        """What people do at `now` and how many times a working day."""
        if self.around_the_clock or self.in_office_hours(now):
            return self.office
        if appointments.slot_of(now.replace(minute=now.minute - now.minute % 30, second=0, microsecond=0)):
            return self.extended
        return []

    def step(self, now: datetime | None = None) -> str | None:
        """One action of the mix at `now` (default: now), chosen by its rate; returns its name, or None
        when nobody works at this hour."""
        now = now or timezone.now()
        mix = self.mix(now) or (self.office if self.around_the_clock else [])
        if not mix:
            return None
        name, _rate, action = self.rng.choices(mix, weights=[m[1] for m in mix])[0]
        self.attempt(name, action)
        return name

    def attempt(self, name: str, action: Callable[[], None]) -> None:
        for retry in range(LOCKED_RETRIES + 1):
            try:
                with transaction.atomic():
                    action()
                self.stats.actions[name] += 1
                return
            except RuleError as exc:
                self.stats.refused[f"{name}:{exc.rule}"] += 1
                return
            except _NothingToDo:
                self.stats.refused[f"{name}:nothing"] += 1
                return
            except OperationalError as exc:
                # SQLite: another process (the server, the worker, the builder) holds the write lock.
                if "locked" not in str(exc) or retry == LOCKED_RETRIES:
                    self.stats.errors += 1
                    log.exception("simulate: %s failed", name)
                    return
                self.stats.retried += 1
                clock.sleep(0.05 * 2 ** retry)
            except Exception:
                self.stats.errors += 1
                log.exception("simulate: %s failed", name)
                return

    def interval(self, now: datetime) -> float | None:
        """Seconds to the next action at the mix's total rate (None: nobody works now)."""
        mix = self.mix(now)
        if not mix:
            return None
        per_second = sum(m[1] for m in mix) / OFFICE_SECONDS * self.speed
        return self.rng.expovariate(per_second)

    def run(self, until: datetime | None = None, *, max_steps: int | None = None) -> Stats:
        """Act until `until` (aware), `max_steps` actions, or `stop()`; sleeps between actions as the
        rate wants (not at all when the speed makes the wait shorter than a millisecond)."""
        steps = 0
        while not self.stopped.is_set():
            now = timezone.now()
            if until is not None and now >= until:
                break
            if max_steps is not None and steps >= max_steps:
                break
            wait = self.interval(now)
            if wait is None:
                self.stopped.wait(30)
                continue
            if wait > 0.001 and self.stopped.wait(min(wait, 60)):
                break
            self.step()
            steps += 1
            if steps % 500 == 0 and not connection.in_atomic_block:
                close_old_connections()  # a long run gives its connection back now and then
        return self.stats

    def stop(self) -> None:
        self.stopped.set()

    # -- who

    def clerk(self, window: str):
        return self.people[staff_username(Role.CLERK, window)]

    def head(self, window: OrgUnit):
        return self.people[staff_username(Role.DEPARTMENT_HEAD, self.department_code(window))]

    @staticmethod
    def department_code(window: OrgUnit) -> str:
        return window.code.rsplit("-", 1)[0]

    @property
    def supervisor(self):
        return self.people[staff_username(Role.HALL_SUPERVISOR, CENTER_CODE)]

    def applicant(self, matter) -> dict[str, Any]:
        rng = self.rng
        if matter.organisational and rng.random() < 0.8:
            return {"applicant_kind": ApplicantKind.ORGANISATION, "applicant_name": fake.firm_name(rng),
                    "applicant_id": "", "applicant_phone": fake.phone(rng)}
        surname, given = person_name(rng)
        return {"applicant_kind": ApplicantKind.PERSON, "applicant_name": surname + given,
                "applicant_id": resident_id(rng), "applicant_phone": fake.phone(rng)}

    def pick_matter(self, on_the_spot: bool):
        pool = [m for m in self.matters.values() if m.on_the_spot == on_the_spot]
        return self.rng.choices(pool, weights=[m.weight for m in pool])[0]

    def oldest(self, qs):
        """One of the oldest rows of `qs` (a few candidates, so that two actions seldom meet)."""
        rows = list(qs[:5])
        if not rows:
            raise _NothingToDo
        return self.rng.choice(rows)

    def at_some_window(self, qs):
        """A case of `qs` at a window chosen at random, any of its cases: each window works through its
        own list at its own pace, so a case near or past its deadline stays on its worklist a while."""
        for _try in range(3):
            at_window = qs.filter(window__code=self.rng.choice(self.window_codes))
            count = at_window.count()
            if count:
                return at_window.order_by("pk")[self.rng.randrange(count)]
        raise _NothingToDo

    # -- the hall

    def take_ticket(self) -> None:
        if not self.groups:
            raise _NothingToDo
        queue.issue_ticket(self.rng.choice(self.groups), actor_label="kiosk")

    def call_ticket(self) -> None:
        today = local_date(timezone.now())
        waiting = Ticket.objects.filter(day=today, state=TicketState.WAITING).select_related("group")
        ticket = self.oldest(waiting.order_by("issued_at"))
        windows = list(ticket.group.windows.all())
        if not windows:
            raise _NothingToDo
        window = self.rng.choice(windows)
        clerk = self.clerk(window.code)
        current = queue.current_ticket(window)
        if current is not None and current.state == TicketState.CALLED:
            queue.start_serving(current, by=clerk)
        called = queue.call_next(window, by=clerk)
        queue.start_serving(called, by=clerk)

    def consult(self) -> None:
        matter = self.rng.choice(list(self.matters.values()))
        window = self.rng.choice(matter.windows)
        question, answer = consultation_text(self.rng, matter)
        surname, given = person_name(self.rng)
        consultations.open_consultation(window=self.windows[window], question=question, asker_name=surname + given,
                                        asker_phone=fake.phone(self.rng), officer=self.clerk(window), answer=answer,
                                        actor=self.clerk(window))

    def receive(self, matter, *, accept: bool) -> Case:
        window = self.rng.choice(matter.windows)
        clerk = self.clerk(window)
        from_catalog = self.matter_rows.get(matter.code)
        return cases.receive_case(matter=from_catalog, window=self.windows[window], handler=clerk, actor=clerk,
                                  accept=accept, **self.applicant(matter))

    @property
    def matter_rows(self) -> dict[str, Any]:
        if not hasattr(self, "_matter_rows"):
            self._matter_rows = {m.code: m for m in Matter.objects.filter(code__in=self.matters)}
        return self._matter_rows

    def on_the_spot(self) -> None:
        case = self.receive(self.pick_matter(True), accept=True)
        cases.complete_on_the_spot(case, actor=case.handler)

    def apply(self) -> None:
        matter = self.pick_matter(False)
        if len(matter.materials) >= 2 and self.rng.random() < 0.05:
            # Materials missing: what was handed in is recorded and one notice lists the rest.
            case = self.receive(matter, accept=False)
            wanted = list(self.matter_rows[matter.code].materials.all())
            notices.receive_materials(case, wanted[:-1], actor=case.handler)
            notices.issue_notice(case, actor=case.handler)
            return
        self.receive(matter, accept=True)

    def open_cases(self, state: str):
        return Case.objects.filter(state=state, window__path__startswith=f"/{CENTER_CODE}/",
                                   pending_refusal=False).select_related("window", "handler")

    def review(self) -> None:
        case = self.at_some_window(self.open_cases(CaseState.ACCEPTED).filter(awaiting_supplement=False))
        cases.start_review(case, actor=self.clerk(case.window.code))

    def decide(self) -> None:
        case = self.at_some_window(self.open_cases(CaseState.UNDER_REVIEW))
        clerk = self.clerk(case.window.code)
        cases.approve_case(case, actor=clerk)
        cases.complete_case(case, actor=clerk)

    def supplement(self) -> None:
        case = self.oldest(Case.objects.filter(state=CaseState.SUBMITTED, awaiting_supplement=True,
                                               window__path__startswith=f"/{CENTER_CODE}/")
                           .select_related("window").order_by("received_at"))
        clerk = self.clerk(case.window.code)
        notices.receive_materials(case, notices.missing_materials(case), actor=clerk)
        cases.accept_case(case, actor=clerk)

    def refuse(self) -> None:
        case = self.oldest(self.open_cases(CaseState.UNDER_REVIEW).order_by("-accepted_at"))
        reason, basis = REFUSAL_REASON
        refusals.request_refusal(case, kind=RefusalKind.REFUSE_APPROVAL, reason=reason, legal_basis=basis,
                                 by=self.clerk(case.window.code))

    def confirm(self) -> None:
        refusal = self.oldest(Refusal.objects.filter(state=RefusalState.PENDING).select_related("case__window")
                              .order_by("requested_at"))
        refusals.confirm_refusal(refusal, by=self.head(refusal.case.window), note="经复核，同意否办意见")
        if refusal.kind == RefusalKind.REFUSE_APPROVAL:
            cases.complete_case(refusal.case, actor=self.clerk(refusal.case.window.code))

    def rate(self) -> None:
        case = self.oldest(Case.objects.filter(state=CaseState.COMPLETED, rating__isnull=True,
                                               completed_at__gte=timezone.now() - timedelta(days=3))
                           .order_by("-completed_at"))
        bad = self.rng.random() < 0.03
        score = self.rng.choice((Score.DISSATISFIED, Score.VERY_DISSATISFIED)) if bad else self.rng.choices(
            (Score.VERY_SATISFIED, Score.SATISFIED, Score.BASICALLY_SATISFIED), weights=(70, 25, 5))[0]
        ratings.rate_case(case, score=int(score), comment=BAD_COMMENT if bad else "")

    def rectify(self) -> None:
        item = self.oldest(Rectification.objects.exclude(state=RectificationState.CLOSED)
                           .select_related("window").order_by("opened_at"))
        head = self.head(item.window)
        if item.state == RectificationState.OPEN:
            rectification.verify_rectification(item, substantiated=True, verification="经核实，情况属实", by=head)
        else:
            rectification.close_rectification(item, measures="窗口人员再培训，高峰时段增开窗口",
                                              reply="已整改并电话回复", by=head)

    def complain(self) -> None:
        content, _reply = self.rng.choice(COMPLAINTS)
        surname, given = person_name(self.rng)
        complaints.file_complaint(content=content, complainant=surname + given, phone=fake.phone(self.rng),
                                  window=self.windows[self.rng.choice(self.window_codes)], actor_label="applicant")

    def reply(self) -> None:
        complaint = self.oldest(Complaint.objects.exclude(state=ComplaintState.CONCLUDED).order_by("received_at"))
        reply = next((r for c, r in COMPLAINTS if c == complaint.content), "经查，投诉不成立，已向投诉人解释。")
        complaints.reply_complaint(complaint, finding=Finding.INVALID, reply=reply, by=self.supervisor)

    def book(self) -> None:
        """An appointment for the next extended hours (lunch or evening of the next working days)."""
        now = timezone.now()
        day = local_date(now) + timedelta(days=self.rng.randint(0, 3))
        starts = datetime.combine(day, self.rng.choice((time(12, 0), time(12, 30), time(18, 0), time(18, 30))),
                                  local_tz())
        if starts <= now or appointments.slot_of(starts) is None:
            raise _NothingToDo
        matter = self.pick_matter(True)
        window = self.rng.choice(matter.windows)
        who = self.applicant(matter)
        appointments.book_appointment(matter=self.matter_rows[matter.code], window=self.windows[window],
                                      applicant_name=who["applicant_name"], applicant_phone=who["applicant_phone"],
                                      starts_at=starts)

    def receive_appointment(self) -> None:
        now = timezone.now()
        due = Appointment.objects.filter(state=AppointmentState.BOOKED, starts_at__lte=now,
                                         starts_at__gte=now - timedelta(minutes=30)).select_related("window")
        appointment = self.oldest(due.order_by("starts_at"))
        clerk = self.clerk(appointment.window.code)
        case = appointments.receive_from_appointment(appointment, by=clerk, accept=True)
        if case.matter.kind == MatterKind.ON_THE_SPOT:
            cases.complete_on_the_spot(case, actor=clerk)

    # -- the CDC

    def report_card(self) -> None:
        if not self.villages:
            raise _NothingToDo
        now = timezone.now()
        today = local_date(now)
        codes, weights = zip(*season_weights(today).items(), strict=True)
        code = self.rng.choices(codes, weights=weights)[0]
        village = self.rng.choice(self.villages)
        onset = today - timedelta(days=self.rng.randint(0, 3))
        late = self.rng.random() < 0.05
        diagnosed = now - timedelta(hours=30 if late else self.rng.randint(1, 6))
        if local_date(diagnosed) < onset:
            onset = local_date(diagnosed)
        data = card_fields(self.rng, code, village, onset, diagnosed)
        roll = self.rng.random()
        card = cards.report_card(data, unit=village, actor_label="clinic")
        if roll < 0.03:
            # The same patient reported again by the township: held as a probable duplicate.
            cards.report_card(cards.card_data(card), unit=village.parent, actor_label="township")
        elif roll < 0.06:
            # A wrong field noticed at once: corrected by a card naming the first.
            cards.correct_card(card, cards.card_data(card) | {"classification": "confirmed"}, actor_label="clinic")

    def review_card(self) -> None:
        if self.epidemiologist is None:
            raise _NothingToDo
        card = self.oldest(CaseCard.objects.filter(state=CardState.PENDING).order_by("reported_at"))
        review.review_card(card, actor=self.epidemiologist)

    def respond(self) -> None:
        if self.epidemiologist is None:
            raise _NothingToDo
        signal = self.oldest(Signal.objects.filter(state=SignalState.OPEN).order_by("opened_at"))
        outcome = SignalState.EXCLUDED if self.rng.random() < 0.7 else SignalState.SUSPECTED
        signals.respond(signal, outcome, actor=self.epidemiologist,
                        reason="核实为散发病例，无流行病学关联" if outcome == SignalState.EXCLUDED else "")


class _NothingToDo(Exception):
    """Nobody is waiting for this action now (no case to review, no ticket to call)."""

