"""The hall board (/board/): a full-screen page for the LED screen, no login and no personal data.
It reloads its own body every few seconds with htmx."""

from datetime import date

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from yizhan.calendar.workdays import local_date
from yizhan.hall import queue
from yizhan.hall.ranking import rank_windows
from yizhan.hall.stats import FIGURE_LABELS, format_value, hall_figures

BOARD_FIGURES = ("consultations", "accepted", "completed", "on_the_spot_rate", "on_time_rate")
BENCHMARK_COUNT = 3


def benchmark_windows(today: date) -> list:
    """The best windows of the month so far (the ranking's top), cached a few minutes: it changes slowly."""
    key = f"hall-board-benchmark-{today.isoformat()}"
    rows = cache.get(key)
    if rows is None:
        ranked = [r for r in rank_windows(today.replace(day=1), today) if r.rank is not None][:BENCHMARK_COUNT]
        rows = [{"rank": r.rank, "name": r.name, "score": r.score} for r in ranked]
        cache.set(key, rows, 300)
    return rows


def public_commitments() -> list:
    """The staff's public commitments (公开承诺), when the hall has them: badge number and text only."""
    try:
        model = apps.get_model("hall", "PublicCommitment")
    except LookupError:
        return []
    rows = model._default_manager.all()
    if any(f.name == "active" for f in model._meta.get_fields()):
        rows = rows.filter(active=True)
    return list(rows[:12])


def board(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    today = local_date(now)
    figures = hall_figures(today, today, now=now).as_dict()
    context = {
        "today": today,
        "figures": [{"key": k, "label": FIGURE_LABELS[k], "value": format_value(k, figures[k])} for k in BOARD_FIGURES],
        "calls": queue.being_called(today),
        "waits": queue.queue_figures(today, today),
        "benchmarks": benchmark_windows(today),
        "commitments": public_commitments(),
        "refresh": settings.YIZHAN_BOARD_REFRESH_SECONDS,
    }
    template = "hall/screens/board_body.html" if request.headers.get("HX-Request") else "hall/screens/board.html"
    return render(request, template, context)
