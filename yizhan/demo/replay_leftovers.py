"""What becomes of the cases the 2010 replay leaves open on 2010-10-31, now that the demo city goes on
to the present.

The seed says every case of the period was completed on time (按时办结率 100 %). The replay leaves 259
of them open at the end of October — accepted in its last days, their promised deadlines in November
— and a demo whose clock runs would find them sixteen years past their statutory limits, and the
worker's sweep would open an accountability record for each: noise, not history. So once the replay
is finished, each is decided and completed in November 2010 on a working day before its promised
deadline, through the same service functions (actor label "replay"). The seed's table covers March
to October and does not change; `yizhan hall replay-seed` does not do this."""

from datetime import time, timedelta
from typing import Any

from django.db import transaction

from yizhan.calendar.workdays import current_calendar, local_date
from yizhan.demo.seed_replay import ACTOR_LABEL, CENTER_CODE, LAST_DAY, at_local
from yizhan.hall import cases
from yizhan.hall.models import OPEN_STATES, Case, CaseState

EPILOGUE_REF = ("demo.replay.epilogue", CENTER_CODE)


def leftovers():
    """The center's cases received by the end of the replayed period and still open."""
    return (Case.objects.filter(state__in=OPEN_STATES, received_at__lt=at_local(LAST_DAY + timedelta(days=1), time.min),
                                window__path__startswith=f"/{CENTER_CODE}/")
            .select_related("promised_timer").order_by("pk"))


def complete_leftovers() -> int:
    """Decide and complete every leftover on the first working day of November 2010 (or its accepted
    day's next working day, if later), before its promised deadline. Returns how many."""
    cal = current_calendar()
    first = cal.add_workdays(LAST_DAY, 1)
    done = 0
    for case in leftovers():
        day = max(first, cal.add_workdays(local_date(case.accepted_at or case.received_at), 1))
        at = at_local(day, time(9, 0)) + timedelta(minutes=done % 300)
        if case.promised_timer is not None and at > case.promised_timer.deadline:
            at = case.promised_timer.deadline - timedelta(hours=8)
        common: dict[str, Any] = {"at": at, "actor": None, "actor_label": ACTOR_LABEL}
        state = case.state
        with transaction.atomic():
            if state == CaseState.SUBMITTED:
                cases.accept_case(case, **common)
                state = CaseState.ACCEPTED
            if state == CaseState.ACCEPTED:
                cases.start_review(case, **common)
                state = CaseState.UNDER_REVIEW
            if state == CaseState.UNDER_REVIEW:
                cases.approve_case(case, **{**common, "at": at + timedelta(minutes=1)})
            cases.complete_case(case, **{**common, "at": at + timedelta(minutes=2)})
        done += 1
    return done
