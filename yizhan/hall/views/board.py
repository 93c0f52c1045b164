"""The hall board (/board/): a full-screen page for the LED screen, no login and no personal data.
It reloads its own body every few seconds with htmx."""

from datetime import date

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from yizhan.calendar.workdays import local_date
from yizhan.hall import queue
from yizhan.hall.commitments import public_commitments
from yizhan.hall.public_figures import public_figures
from yizhan.hall.ranking import rank_windows
from yizhan.hall.stats import FIGURE_LABELS, format_value
from yizhan.sharedcache import remember

BOARD_FIGURES = ("consultations", "accepted", "completed", "on_the_spot_rate", "on_time_rate")
BENCHMARK_COUNT = 3


def benchmark_windows(today: date) -> list:
    """The best windows of the month so far (the ranking's top), shared by all processes for a few
    minutes: the ranking changes slowly and the board is asked for often."""
    def top() -> list:
        ranked = [r for r in rank_windows(today.replace(day=1), today) if r.rank is not None][:BENCHMARK_COUNT]
        return [{"rank": r.rank, "name": r.name, "score": r.score} for r in ranked]

    return remember(f"hall:board-benchmark:{today.isoformat()}", 5 * settings.YIZHAN_PUBLIC_FIGURES_SECONDS, top)


def board_data(today: date) -> dict:
    """What the board shows, as plain values, computed at most once per refresh interval for every
    hall screen and every server process together: each board reloads itself every few seconds, so
    without this each screen would repeat the same queries at each refresh."""
    def compute() -> dict:
        return {
            "figures": {k: public_figures(today, today)[k] for k in BOARD_FIGURES},
            "calls": [{"label": t.label, "window": {"name": t.window.name}} for t in queue.being_called(today)],
            "waits": queue.queue_figures(today, today).as_dict(),
            "benchmarks": benchmark_windows(today),
            "commitments": public_commitments(),
        }

    return remember(f"hall:board:{today.isoformat()}", settings.YIZHAN_BOARD_REFRESH_SECONDS, compute)


def board(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    today = local_date(now)
    data = board_data(today)
    context = {
        **data,
        "today": today,
        "figures": [{"key": k, "label": FIGURE_LABELS[k], "value": format_value(k, data["figures"][k])}
                    for k in BOARD_FIGURES],
        "refresh": settings.YIZHAN_BOARD_REFRESH_SECONDS,
    }
    template = "hall/screens/board_body.html" if request.headers.get("HX-Request") else "hall/screens/board.html"
    return render(request, template, context)
