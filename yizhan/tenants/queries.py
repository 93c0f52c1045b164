"""Lists the screens and the API share."""

from typing import Any

from django.db.models import BooleanField, Case, QuerySet, Value, When
from django.utils import timezone

from yizhan.followups.models import FollowUp, FollowUpState
from yizhan.org.scope import restrict
from yizhan.tenants.obligations import KINDS


def obligations_of(user: Any, *, kind: str | None = None) -> QuerySet[FollowUp]:
    """The registry's follow-up items still to do (open, or done and awaiting verification), overdue
    first, then by deadline."""
    items = FollowUp.objects.filter(kind__in=[kind] if kind else KINDS,
                                    state__in=(FollowUpState.OPEN, FollowUpState.DONE))
    overdue = Case(When(state=FollowUpState.OPEN, timer__deadline__lt=timezone.now(), then=Value(True)),
                   default=Value(False), output_field=BooleanField())
    return (restrict(items, user).select_related("timer", "unit", "owner").annotate(overdue=overdue)
            .order_by("-overdue", "state", "timer__deadline", "id"))
