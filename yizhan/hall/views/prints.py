"""Printed documents handed to the applicant, laid out for A4 and carrying the case number."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from yizhan.hall.models import Case, CaseState, Notice, Refusal, RefusalState
from yizhan.hall.notices import notice_context
from yizhan.hall.views.common import in_scope
from yizhan.org.scope import HALL_STAFF
from yizhan.ui.access import require_roles


def _case(request: HttpRequest, pk: int) -> Case:
    return in_scope(request, Case, pk, qs=Case.objects.select_related(
        "matter", "window", "department", "handler", "promised_timer"))


@require_roles(*HALL_STAFF)
def receipt(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    if case.accepted_at is None:
        raise Http404
    materials = case.materials.filter(received_at__isnull=False).select_related("material")
    return render(request, "hall/screens/print_receipt.html", {"case": case, "materials": materials})


@require_roles(*HALL_STAFF)
def notice(request: HttpRequest, pk: int, seq: int) -> HttpResponse:
    case = _case(request, pk)
    found = Notice.objects.filter(case=case, seq=seq).select_related("issued_by").first()
    if found is None:
        raise Http404
    return render(request, "hall/screens/print_notice.html", notice_context(found))


@require_roles(*HALL_STAFF)
def refusal(request: HttpRequest, pk: int, refusal_pk: int) -> HttpResponse:
    case = _case(request, pk)
    found = Refusal.objects.filter(case=case, pk=refusal_pk, state=RefusalState.CONFIRMED).first()
    if found is None:
        raise Http404
    return render(request, "hall/screens/print_refusal.html", {"case": case, "refusal": found})


@require_roles(*HALL_STAFF)
def completion(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    if case.state != CaseState.COMPLETED:
        raise Http404
    return render(request, "hall/screens/print_completion.html", {"case": case})
