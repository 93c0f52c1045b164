"""The ticket machine (/queue/ticket/): no login, one big button per matter group."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from yizhan.calendar.workdays import local_date
from yizhan.errors import RuleError
from yizhan.hall import queue
from yizhan.hall.models import QueueGroup, TicketState


@require_http_methods(["GET", "POST"])
def ticket(request: HttpRequest) -> HttpResponse:
    groups = QueueGroup.objects.filter(active=True).prefetch_related("matters")
    context: dict = {"groups": groups}
    if request.method == "POST":
        group = groups.filter(pk=request.POST.get("group") or 0).first() \
            if str(request.POST.get("group", "")).isdigit() else None
        if group is None:
            context["error"] = True
        else:
            try:
                issued = queue.issue_ticket(group)
            except RuleError as err:
                context["error"] = str(err)
            else:
                ahead = issued.group.tickets.filter(day=local_date(timezone.now()), state=TicketState.WAITING,
                                                    number__lt=issued.number).count()
                context.update({"issued": issued, "ahead": ahead})
    return render(request, "hall/screens/kiosk.html", context)
