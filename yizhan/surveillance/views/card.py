"""/surveillance/cards/<id>/: the whole card as the national form prints it (A4, 中华人民共和国传染病
报告卡), with what may be done to it by whoever opens it: the CDC approves, returns with a reason,
excludes a suspected case, deletes with a reason, restores a reviewed deletion or corrects it (订正);
the reporting unit sees a returned card's reason and the time left to resubmit. Every action is the
service's (queue.card_action)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from yizhan.org.models import Role
from yizhan.org.scope import covers
from yizhan.surveillance.models import CardState, CaseCard, Classification
from yizhan.surveillance.units import responsible_cdc
from yizhan.ui.access import require_roles

RELATED = ("disease", "reporting_unit", "entered_by_unit", "residence_unit", "review_timer", "resubmit_timer",
           "corrects", "original_disease", "duplicate_of", "kept_card", "address_division", "reviewed_by")


@require_roles(Role.EPIDEMIOLOGIST, Role.REPORTER)
def card_page(request: HttpRequest, pk: int) -> HttpResponse:
    card = get_object_or_404(CaseCard.objects.restrict(request.user).select_related(*RELATED), pk=pk)
    cdc = covers(request.user, (Role.EPIDEMIOLOGIST,), responsible_cdc(card.reporting_unit))
    state = card.state
    return render(request, "surveillance/card.html", {
        "card": card, "cdc": cdc, "now": timezone.now(),
        "may_review": cdc and state == CardState.PENDING,
        "may_return": cdc and state in (CardState.PENDING, CardState.HELD),
        "may_exclude": cdc and state in (CardState.PENDING, CardState.REVIEWED)
        and card.classification == Classification.SUSPECTED,
        "may_delete": cdc and state in (CardState.PENDING, CardState.REVIEWED, CardState.HELD, CardState.RETURNED),
        "may_restore": cdc and state == CardState.DELETED and card.deletion_reviewed,
        "corrections": card.corrections.select_related("disease").order_by("reported_at"),
    })
