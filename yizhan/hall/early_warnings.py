"""The early-warning list (超时预警): every running timer of an open case at yellow, red or overdue,
green-channel cases first, then the nearest deadline."""

from dataclasses import dataclass
from datetime import datetime
from typing import cast

from yizhan.calendar.workdays import current_calendar
from yizhan.clock.warnings import Level, warning_level
from yizhan.hall.green_channel import green_first
from yizhan.hall.models import Case, CaseState
from yizhan.hall.service import resolve_at
from yizhan.org.models import OrgUnit
from yizhan.org.scope import ScopedQuerySet

ALERT_LEVELS = (Level.YELLOW, Level.RED, Level.OVERDUE)
TIMED = ("notice_timer", "promised_timer", "statutory_timer")


@dataclass(frozen=True)
class WarningRow:
    case_id: int
    case_no: str
    matter: str
    window: str
    handler: str
    purpose: str
    deadline: datetime
    level: Level
    green_channel: bool
    green_project: str


def open_warnings(at: datetime | None = None, *, unit: OrgUnit | None = None,
                  levels: tuple[str, ...] = ALERT_LEVELS) -> list[WarningRow]:
    """Running timers of open cases (within `unit`'s subtree) whose level at `at` is one of `levels`."""
    at = resolve_at(at)
    cal = current_calendar()
    cases = Case.objects.filter(state__in=(CaseState.SUBMITTED, CaseState.ACCEPTED, CaseState.UNDER_REVIEW,
                                           CaseState.DECIDED))
    if unit is not None:
        cases = cases.filter(window__path__startswith=unit.path)
    cases = cast(ScopedQuerySet, green_first(cases.select_related("matter", "window", "handler", *TIMED)))
    rows: list[WarningRow] = []
    for case in cases:
        for name in TIMED:
            timer = getattr(case, name)
            if timer is None or not timer.is_running:
                continue
            level = warning_level(timer, at, cal)
            if level in levels:
                rows.append(WarningRow(
                    case_id=case.pk, case_no=case.case_no, matter=case.matter.name, window=case.window.name,
                    handler=case.handler.get_username() if case.handler else "", purpose=timer.purpose,
                    deadline=timer.deadline, level=Level(level), green_channel=case.green_channel,
                    green_project=case.green_project,
                ))
    rows.sort(key=lambda r: (not r.green_channel, r.deadline))
    return rows


def case_levels(at: datetime | None = None, *, levels: tuple[str, ...] = ALERT_LEVELS) -> dict[int, Level]:
    """The worst alert level per open case (for filters): overdue beats red beats yellow."""
    rank = {Level.OVERDUE: 3, Level.RED: 2, Level.YELLOW: 1}
    worst: dict[int, Level] = {}
    for row in open_warnings(at, levels=levels):
        if rank.get(row.level, 0) > rank.get(worst.get(row.case_id), 0):
            worst[row.case_id] = row.level
    return worst
