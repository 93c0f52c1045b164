"""Early-warning figures as CIDARS publishes them, over the signals opened in a period: signals by
method and disease, share responded, median time to response, share responded within 24 hours,
share that became suspected events and outbreaks, and signals per unit per week."""

from collections import Counter
from datetime import date
from statistics import median
from typing import Any

from yizhan.surveillance.models import Signal, SignalState


def signal_figures(first: date, last: date, *, signals=None) -> dict[str, Any]:
    qs = (signals if signals is not None else Signal.objects.all()).filter(opened_on__gte=first, opened_on__lte=last)
    rows = list(qs.values("method", "disease__code", "unit__code", "state", "opened_at", "responded_at"))
    total = len(rows)
    responded = [r for r in rows if r["responded_at"]]
    hours = [(r["responded_at"] - r["opened_at"]).total_seconds() / 3600 for r in responded]
    weeks = max(1, ((last - first).days + 1) / 7)
    units = Counter(r["unit__code"] for r in rows)

    def share(n: int) -> float | None:
        return round(n / total, 4) if total else None

    return {
        "from": first.isoformat(), "to": last.isoformat(), "signals": total,
        "by_method": dict(sorted(Counter(r["method"] for r in rows).items())),
        "by_disease": dict(sorted(Counter(r["disease__code"] for r in rows).items())),
        "responded": len(responded), "responded_share": share(len(responded)),
        "median_response_hours": round(median(hours), 2) if hours else None,
        "responded_within_24h_share": share(sum(1 for h in hours if h <= 24)),
        "suspected_share": share(sum(1 for r in rows if r["state"] in (SignalState.SUSPECTED, SignalState.CONFIRMED))),
        "outbreak_share": share(sum(1 for r in rows if r["state"] == SignalState.CONFIRMED)),
        "signals_per_unit_per_week": {code: round(n / weeks, 3) for code, n in sorted(units.items())},
    }
