"""Figures of the visits: counts of visits and the money paid per year, per budget and per kind
(慰问金, 助学帮困费), computed from the visits and their standing ledger entries (a reversed payment
no longer counts)."""

from collections import defaultdict
from typing import Any

from django.db.models import CharField, Count, QuerySet
from django.db.models.functions import Cast

from yizhan.ledger.models import Entry
from yizhan.ledger.posting import net_of
from yizhan.visits.models import Visit
from yizhan.visits.payments import CONSOLATION, STUDY_AID

SOURCE = Visit._meta.label_lower


def paid_entries(visits: QuerySet[Visit]) -> QuerySet[Entry]:
    ids = visits.annotate(sid=Cast("pk", CharField())).values("sid")
    return net_of(Entry.objects.filter(source_type=SOURCE, source_id__in=ids))


def figures(visits: QuerySet[Visit]) -> dict[str, Any]:
    """{"visits", "families", "paid_fen", "by_kind", "by_year", "by_budget"} for `visits` (already scoped)."""
    by_year: dict[int, dict[str, int]] = defaultdict(lambda: {"visits": 0, CONSOLATION: 0, STUDY_AID: 0})
    for row in visits.values("visited_on__year").annotate(n=Count("id")):
        by_year[row["visited_on__year"]]["visits"] = row["n"]
    by_budget: dict[str, dict[str, Any]] = {}
    for row in visits.exclude(budget=None).values("budget__code", "budget__name").annotate(n=Count("id")):
        by_budget[row["budget__code"]] = {"name": row["budget__name"], "visits": row["n"], "paid_fen": 0}
    visit_year = dict(visits.values_list("pk", "visited_on__year"))
    by_kind = {CONSOLATION: 0, STUDY_AID: 0}
    for source_id, category, amount, account in paid_entries(visits).values_list(
            "source_id", "category", "amount_fen", "account__code"):
        paid = -amount
        by_kind[category] = by_kind.get(category, 0) + paid
        by_year[visit_year[int(source_id)]][category] = by_year[visit_year[int(source_id)]].get(category, 0) + paid
        by_budget[account]["paid_fen"] += paid
    years = {y: {**v, "paid_fen": v[CONSOLATION] + v[STUDY_AID]} for y, v in sorted(by_year.items())}
    return {"visits": visits.count(), "families": visits.values("family").distinct().count(),
            "paid_fen": sum(by_kind.values()), "by_kind": by_kind, "by_year": years,
            "by_budget": dict(sorted(by_budget.items()))}
