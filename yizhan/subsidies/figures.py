"""Figures of what was paid, per school or per township: pupils supported (each counted once,
whatever the number of programmes), the amount, and the share of boarders among those pupils
(boarding as it stood when the school applied)."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum

from yizhan.subsidies.models import BatchState, Grant

BY = {"school": ("batch__school__code", "batch__school__name"),
      "township": ("batch__school__subsidy_school__township__code", "batch__school__subsidy_school__township__name")}


@dataclass(frozen=True)
class Row:
    code: str
    name: str
    pupils: int
    boarders: int
    grants: int
    amount_fen: int

    @property
    def boarder_share(self) -> float | None:
        return round(self.boarders / self.pupils, 4) if self.pupils else None

    def as_dict(self) -> dict:
        return {"code": self.code, "name": self.name, "pupils": self.pupils, "boarders": self.boarders,
                "boarder_share": self.boarder_share, "grants": self.grants, "amount_fen": self.amount_fen}


def paid(grants: QuerySet[Grant]) -> QuerySet[Grant]:
    return grants.filter(batch__state=BatchState.PAID, counted=True)


def figures(grants: QuerySet[Grant], *, by: str = "township") -> list[Row]:
    """One row per school or township (`by`), over the paid lines of `grants`; a last row "" sums all."""
    code, name = BY[by]
    lines = paid(grants)
    rows = [Row(r[code] or "", r[name] or "", r["pupils"], r["boarders"], r["grants"], r["amount"] or 0)
            for r in lines.values(code, name).annotate(
                pupils=Count("pupil", distinct=True), boarders=Count("pupil", distinct=True, filter=Q(boarder=True)),
                grants=Count("id"), amount=Sum("amount_fen")).order_by(code)]
    total = lines.aggregate(pupils=Count("pupil", distinct=True),
                            boarders=Count("pupil", distinct=True, filter=Q(boarder=True)),
                            grants=Count("id"), amount=Sum("amount_fen"))
    rows.append(Row("", "", total["pupils"], total["boarders"], total["grants"], total["amount"] or 0))
    return rows
