"""The clerk workbench (/workbench/): my window's queue and worklist, consultations in a few
keystrokes, receiving and accepting applications against the matter's checklist, notices, refusals,
pauses and completion."""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yizhan.audit.models import AuditEvent
from yizhan.calendar.workdays import local_date
from yizhan.clock.models import PauseReason
from yizhan.hall import cases as case_service
from yizhan.hall import consultations as consultation_service
from yizhan.hall import notices as notice_service
from yizhan.hall import pauses as pause_service
from yizhan.hall import queue
from yizhan.hall import refusals as refusal_service
from yizhan.hall.appointments import day_list
from yizhan.hall.case_detail import case_detail
from yizhan.hall.catalog import matters_accepted_at
from yizhan.hall.models import (
    ApplicantKind,
    Appointment,
    Case,
    CaseState,
    Consultation,
    Matter,
    MatterKind,
    RefusalKind,
    RefusalState,
    Ticket,
)
from yizhan.hall.pauses import is_paused
from yizhan.hall.views.common import act, back, in_scope
from yizhan.hall.worklist import worklist
from yizhan.org.models import OrgUnit, Role, UnitKind
from yizhan.org.scope import units
from yizhan.ui.access import as_pk, require_roles, unit_in_scope
from yizhan.ui.forms import int_param

WORKBENCH_ROLES = (Role.CLERK,)
SESSION_WINDOW = "workbench_window"


def my_windows(request: HttpRequest):
    return units(request.user, WORKBENCH_ROLES).filter(kind=UnitKind.WINDOW).order_by("path")


def current_window(request: HttpRequest) -> OrgUnit | None:
    """The window the clerk works at now: chosen with ?window=, remembered in the session."""
    windows = my_windows(request)
    wanted = request.GET.get("window") or request.POST.get("window") or request.session.get(SESSION_WINDOW)
    window = pick(windows, wanted) or windows.first()
    if window is not None:
        request.session[SESSION_WINDOW] = window.pk
    return window


def posted_window(request: HttpRequest) -> OrgUnit:
    """The window a form acts for: one of the clerk's own (403 otherwise)."""
    return unit_in_scope(request.user, WORKBENCH_ROLES, request.POST.get("window"), kind=UnitKind.WINDOW)


def pick(qs, value: str | None):
    """The row of `qs` whose pk a form field names, or None for an empty or malformed value."""
    wanted = as_pk(value)
    return qs.filter(pk=wanted).first() if wanted is not None else None


def workbench_url(case: Case | None = None) -> str:
    return reverse("hall:workbench-case", args=[case.pk]) if case else reverse("hall:workbench")


@require_roles(*WORKBENCH_ROLES)
def workbench(request: HttpRequest) -> HttpResponse:
    window = current_window(request)
    now = timezone.now()
    context: dict[str, Any] = {"window": window, "windows": my_windows(request)}
    if window is not None:
        cases = Case.objects.restrict(request.user, "view").filter(window=window)
        rows, total = worklist(cases, now, limit=int_param(request, "limit", 100, maximum=500))
        waiting = queue.waiting_for(window, local_date(now))
        context.update({
            "rows": rows, "total": total,
            "ticket": queue.current_ticket(window),
            "waiting_count": waiting.count(), "waiting_next": list(waiting[:5]),
            "matters": matters_accepted_at(window),
            "other_windows": OrgUnit.objects.filter(kind=UnitKind.WINDOW, active=True).exclude(pk=window.pk),
            "open_consultations": Consultation.objects.restrict(request.user, "view")
            .filter(current_window=window, state="open").order_by("-asked_at")[:10],
            "applicant_kinds": ApplicantKind.choices,
            "appointments": day_list(Appointment.objects.restrict(request.user, "view"), window, local_date(now)),
        })
    return render(request, "hall/screens/workbench.html", context)


# -- queue --------------------------------------------------------------------------------------------

@require_POST
@require_roles(*WORKBENCH_ROLES)
def queue_action(request: HttpRequest, action: str) -> HttpResponse:
    window = posted_window(request)
    by = request.user
    if action == "call":
        ticket = act(request, lambda: queue.call_next(window, by=by))
        if ticket is not None:
            messages.success(request, _("请 %(label)s 号到 %(window)s") % {"label": ticket.label, "window": window.name})
        return redirect(workbench_url())
    ticket = in_scope(request, Ticket, request.POST.get("ticket"), "change")
    steps = {
        "recall": lambda: queue.recall(ticket, by=by),
        "skip": lambda: queue.skip(ticket, by=by),
        "serve": lambda: queue.start_serving(ticket, by=by),
        "finish": lambda: queue.finish(ticket, by=by),
    }
    if action not in steps:
        return HttpResponse(status=404)
    act(request, steps[action])
    return redirect(workbench_url())


# -- consultations ------------------------------------------------------------------------------------

@require_POST
@require_roles(*WORKBENCH_ROLES)
def consult(request: HttpRequest) -> HttpResponse:
    """One form: who asked what; an answer closes it at once, a window refers it (首问负责)."""
    window, data = posted_window(request), request.POST
    refer_to = pick(OrgUnit.objects.filter(kind=UnitKind.WINDOW), data.get("refer_to"))

    def steps():
        consultation = consultation_service.open_consultation(
            window=window, question=data.get("question", ""), asker_name=data.get("asker_name", ""),
            asker_phone=data.get("asker_phone", ""), answer="" if refer_to else data.get("answer", ""),
            actor=request.user)
        if refer_to is not None:
            consultation_service.refer_consultation(consultation, to_window=refer_to, note=data.get("answer", ""),
                                                    actor=request.user)
        return consultation

    act(request, steps, _("咨询已登记"))
    return redirect(workbench_url())


@require_POST
@require_roles(*WORKBENCH_ROLES)
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = in_scope(request, Consultation, pk, "change")
    act(request, lambda: consultation_service.answer_consultation(
        consultation, answer=request.POST.get("answer", ""), actor=request.user), _("咨询已答复"))
    return redirect(workbench_url())


# -- receiving an application ---------------------------------------------------------------------------

@require_POST
@require_roles(*WORKBENCH_ROLES)
def receive(request: HttpRequest) -> HttpResponse:
    window, data = posted_window(request), request.POST
    matter = pick(Matter.objects.all(), data.get("matter"))
    if matter is None:
        messages.error(request, _("matter: 请选择事项"))
        return redirect(workbench_url())

    def steps():
        case = case_service.receive_case(
            matter=matter, window=window, applicant_kind=data.get("applicant_kind", ApplicantKind.PERSON),
            applicant_name=data.get("applicant_name", ""), applicant_id=data.get("applicant_id", ""),
            applicant_phone=data.get("applicant_phone", ""), green_project=data.get("green_project", ""),
            actor=request.user)
        serving = queue.current_ticket(window)
        if serving is not None and serving.state == "serving":
            queue.attach_case(serving, case, by=request.user)
        return case

    case = act(request, steps)
    if case is None:
        return redirect(workbench_url())
    messages.success(request, _("已收件，办件编号 %(no)s") % {"no": case.case_no})
    return redirect(workbench_url(case))


# -- one case -------------------------------------------------------------------------------------------

@require_roles(*WORKBENCH_ROLES)
def case_view(request: HttpRequest, pk: int) -> HttpResponse:
    case = in_scope(request, Case, pk, qs=Case.objects.select_related(
        "matter", "window", "department", "handler", "promised_timer", "statutory_timer", "notice_timer"))
    received = {cm.material_id: cm for cm in case.materials.all()}
    checklist = [{"material": m, "row": received.get(m.pk),
                  "received": received.get(m.pk) is not None and received[m.pk].received_at is not None,
                  "applicable": (not m.conditional) or (m.pk in received and received[m.pk].applicable)}
                 for m in case.matter.materials.all()]
    return render(request, "hall/screens/case.html", {
        "case": case, "checklist": checklist,
        "missing": notice_service.missing_materials(case),
        "notices": list(case.notices.order_by("seq")),
        "refusals": list(case.refusals.order_by("-requested_at")),
        "pending_refusal": case.refusals.filter(state=RefusalState.PENDING).first(),
        "detail": case_detail(case),
        "events": AuditEvent.objects.filter(object_type="hall.case", object_id=str(case.pk)).order_by("at", "id"),
        "paused": is_paused(case),
        "pause_reasons": [(v, lbl) for v, lbl in PauseReason.choices if v != PauseReason.SUPPLEMENT],
        "on_the_spot": case.matter.kind == MatterKind.ON_THE_SPOT,
        "states": CaseState,
    })


def _ticked(case: Case, request: HttpRequest, field: str) -> list:
    ids = {int(v) for v in request.POST.getlist(field) if v.isdigit()}
    return [m for m in case.matter.materials.all() if m.pk in ids]


def _take_checklist(case: Case, request: HttpRequest) -> None:
    """Record the checklist as ticked: conditional materials that apply, materials received now."""
    applicable = {m.pk for m in _ticked(case, request, "applies")}
    have = {cm.material_id: cm for cm in case.materials.all()}
    for m in case.matter.materials.all():
        if m.conditional and (m.pk in applicable) != (m.pk in have and have[m.pk].applicable):
            notice_service.mark_applicable(case, m, applicable=m.pk in applicable, actor=request.user)
    new = [m for m in _ticked(case, request, "received") if not (m.pk in have and have[m.pk].received_at)]
    if new:
        notice_service.receive_materials(case, new, actor=request.user)


@require_POST
@require_roles(*WORKBENCH_ROLES)
def case_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    case = in_scope(request, Case, pk, "change")
    data, user = request.POST, request.user

    def checklist_then(step):
        def run():
            _take_checklist(case, request)
            return step(Case.objects.get(pk=case.pk))
        return run

    steps = {
        "materials": (checklist_then(lambda c: c), _("材料已登记")),
        "accept": (checklist_then(lambda c: case_service.accept_case(c, actor=user)), _("已受理")),
        "notice": (checklist_then(lambda c: notice_service.issue_notice(
            c, actor=user, override_reason=data.get("override_reason", ""))), _("已出具一次性告知书")),
        "refuse": (lambda: refusal_service.request_refusal(
            case, kind=RefusalKind.REFUSE_TO_ACCEPT if case.state == CaseState.SUBMITTED
            else RefusalKind.REFUSE_APPROVAL, reason=data.get("reason", ""), legal_basis=data.get("legal_basis", ""),
            by=user), _("否办意见已提交，等待把关确认")),
        "pause": (lambda: pause_service.pause_case(case, reason=data.get("reason", ""), note=data.get("note", ""),
                                                   actor=user), _("已暂停计时")),
        "resume": (lambda: pause_service.resume_case(case, actor=user), _("已恢复计时")),
        "review": (lambda: case_service.start_review(case, actor=user), _("已开始审查")),
        "approve": (lambda: case_service.approve_case(case, actor=user), _("已作出准予决定")),
        "complete": (lambda: case_service.complete_case(case, actor=user), _("已办结")),
        "on_the_spot": (lambda: case_service.complete_on_the_spot(case, actor=user), _("已即时办结")),
    }
    if action not in steps:
        return HttpResponse(status=404)
    step, success = steps[action]
    act(request, step, success)
    return back(request, workbench_url(case))


__all__ = ["workbench", "queue_action", "consult", "answer", "receive", "case_view", "case_action"]
