"""Sentinel surveillance (哨点监测): samples tested and positives by sentinel group and round, with
prevalence and its Wilson score interval (Wilson 1927; the interval recommended by Brown, Cai and
DasGupta 2001 for small counts and prevalences near 0)."""

from math import sqrt
from typing import Any

from django.db.models import Sum

from yizhan.surveillance.models import SentinelGroup, SentinelResult

Z95 = 1.959963984540054


def wilson(positive: int, tested: int, z: float = Z95) -> tuple[float, float]:
    if tested == 0:
        return (0.0, 1.0)
    p = positive / tested
    denom = 1 + z * z / tested
    centre = (p + z * z / (2 * tested)) / denom
    half = z * sqrt(p * (1 - p) / tested + z * z / (4 * tested * tested)) / denom
    return (max(0.0, centre - half), min(1.0, centre + half))


def prevalence_table(qs=None) -> list[dict[str, Any]]:
    """Per group and round (over every site the queryset holds): tested, positive, prevalence, 95 % CI."""
    qs = qs if qs is not None else SentinelResult.objects.all()
    rows = []
    for row in qs.values("disease__code", "group", "round").annotate(t=Sum("tested"), p=Sum("positive")).order_by(
            "disease__code", "group", "round"):
        low, high = wilson(row["p"], row["t"])
        rows.append({"disease": row["disease__code"], "group": row["group"],
                     "group_label": str(SentinelGroup(row["group"]).label), "round": row["round"],
                     "tested": row["t"], "positive": row["p"],
                     "prevalence": round(row["p"] / row["t"], 5) if row["t"] else None,
                     "ci_low": round(low, 5), "ci_high": round(high, 5)})
    return rows
