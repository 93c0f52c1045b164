"""Ranking of windows for the benchmark-window competition (标杆窗口评比), built from the hall's figures.

Each window of the chosen subtree gets its figures over the period (`yizhan.hall.stats`). A window
that completed no case in the period has nothing to judge: it is listed unranked, after the others.
For every other window:

    score = 50 × on_time_rate
          + 20 × on_the_spot_rate            (0 when it accepted nothing in the period)
          + 30 × completed / max_completed    (volume, against the busiest ranked window)
          − 10 × valid_complaints
          − 10 × accountability               (statutory deadlines passed: 问责 records)
          −  2 × overdue_open                 (cases open past their promised deadline at the period's end)
          −  5 × (bad_ratings − rectified)    (差评 of the period not rectified by its end)

so a flawless window that handled the most cases scores 100, and a valid complaint or an
accountability record costs as much as a third of the volume points. The score is computed exactly
(rational arithmetic) and shown rounded to two decimals.

Ties (equal exact scores) are broken, in order, by: fewer valid complaints, fewer accountability
records, fewer overdue open cases, higher on-time rate, more completed cases, and finally the window
code (ascending), so the order is always the same for the same data. docs/ranking.md explains the
choices.
"""

from dataclasses import dataclass
from datetime import date, datetime
from fractions import Fraction
from typing import Any

from yizhan.hall.stats import FigureSet, HallFigures, window_figures
from yizhan.org.models import OrgUnit

WEIGHTS = {
    "on_time_rate": 50,
    "on_the_spot_rate": 20,
    "volume": 30,
    "valid_complaints": -10,
    "accountability": -10,
    "overdue_open": -2,
    "unrectified": -5,
}


@dataclass(frozen=True)
class WindowRank:
    rank: int | None  # None: no case completed in the period, not ranked
    window: str
    name: str
    department: str | None
    score: float | None
    figures: HallFigures

    def as_dict(self) -> dict[str, Any]:
        figures = self.figures.as_dict()
        for key in ("first", "last", "unit"):
            figures.pop(key)
        return {"rank": self.rank, "window": self.window, "name": self.name, "department": self.department,
                "score": self.score, **figures}


def exact_score(figures: HallFigures, max_completed: int) -> Fraction:
    """The score of a ranked window (completed >= 1), exactly."""
    components = {
        "on_time_rate": Fraction(figures.completed_on_time, figures.completed),
        "on_the_spot_rate": Fraction(figures.on_the_spot, figures.accepted) if figures.accepted else Fraction(0),
        "volume": Fraction(figures.completed, max_completed),
        "valid_complaints": Fraction(figures.valid_complaints),
        "accountability": Fraction(figures.accountability),
        "overdue_open": Fraction(figures.overdue_open),
        "unrectified": Fraction(figures.bad_ratings - figures.rectified),
    }
    return sum((WEIGHTS[k] * v for k, v in components.items()), Fraction(0))


def _order_key(score: Fraction, window: OrgUnit, f: HallFigures) -> tuple:
    return (-score, f.valid_complaints, f.accountability, f.overdue_open,
            -Fraction(f.completed_on_time, f.completed), -f.completed, window.code)


def rank_windows(
    first: date, last: date, unit: OrgUnit | None = None, *, now: datetime | None = None,
    figures: FigureSet | None = None,
) -> list[WindowRank]:
    """Every window of the subtree, best first; windows with no completed case last and unranked.
    `figures`: the subtree's FigureSet of the same period, when the caller has it."""
    by_window = figures.windows() if figures is not None else window_figures(first, last, unit, now=now)
    ranked = {w: f for w, f in by_window.items() if f.completed > 0}
    max_completed = max((f.completed for f in ranked.values()), default=0)
    scores = {w: exact_score(f, max_completed) for w, f in ranked.items()}
    order = sorted(ranked, key=lambda w: _order_key(scores[w], w, ranked[w]))
    departments = dict(OrgUnit.objects.filter(pk__in={w.parent_id for w in by_window}).values_list("pk", "code"))

    def row(rank: int | None, w: OrgUnit) -> WindowRank:
        score = round(float(scores[w]), 2) if w in scores else None
        return WindowRank(rank, w.code, w.name, departments.get(w.parent_id), score, by_window[w])

    rows = [row(i, w) for i, w in enumerate(order, start=1)]
    rows += [row(None, w) for w in sorted(by_window, key=lambda w: w.code) if w not in ranked]
    return rows
