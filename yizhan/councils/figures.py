"""The council's figures: proposals per quarter, the share adopted, and the share of the adopted
proposals' follow-up items done on time (counted by `yizhan.followups.service.figures`)."""

from datetime import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet

from yizhan.councils.models import Outcome, Proposal
from yizhan.followups.models import FollowUp
from yizhan.followups.service import figures as follow_up_figures


def per_quarter(proposals: QuerySet[Proposal], *, now: datetime | None = None) -> list[dict[str, Any]]:
    rows = (proposals.values("meeting__year", "meeting__quarter")
            .annotate(total=Count("id"), adopted=Count("id", filter=Q(outcome=Outcome.ADOPTED)),
                      referred=Count("id", filter=Q(outcome=Outcome.REFERRED)),
                      rejected=Count("id", filter=Q(outcome=Outcome.REJECTED)))
            .order_by("meeting__year", "meeting__quarter"))
    out = []
    for row in rows:
        quarter = proposals.filter(meeting__year=row["meeting__year"], meeting__quarter=row["meeting__quarter"])
        out.append({"year": row["meeting__year"], "quarter": row["meeting__quarter"], "total": row["total"],
                    "adopted": row["adopted"], "referred": row["referred"], "rejected": row["rejected"],
                    "adopted_share": round(row["adopted"] / row["total"], 4) if row["total"] else None,
                    "follow_ups": follow_up_figures(follow_ups_of(quarter), now=now)})
    return out


def follow_ups_of(proposals: QuerySet[Proposal]) -> QuerySet[FollowUp]:
    return FollowUp.objects.filter(pk__in=proposals.exclude(follow_up=None).values("follow_up"))


def totals(proposals: QuerySet[Proposal], *, now: datetime | None = None) -> dict[str, Any]:
    total = proposals.count()
    adopted = proposals.filter(outcome=Outcome.ADOPTED).count()
    return {"total": total, "adopted": adopted, "adopted_share": round(adopted / total, 4) if total else None,
            "follow_ups": follow_up_figures(follow_ups_of(proposals), now=now)}
