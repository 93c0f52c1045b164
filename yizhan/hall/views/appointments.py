"""Extended-hours appointments: the applicant books a half hour (no sign-in); the window's clerk
sees the day's list, receives the application when the applicant comes, or records a no-show."""

from datetime import date

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from yizhan.calendar.workdays import local_date
from yizhan.hall import appointments as service
from yizhan.hall.catalog import check_window_accepts
from yizhan.hall.models import ApplicantKind, Appointment, Matter
from yizhan.hall.views.common import back
from yizhan.org.models import OrgUnit, UnitKind
from yizhan.org.scope import HALL_STAFF, restrict, units
from yizhan.ui.access import require_roles
from yizhan.ui.forms import DateField, attempt, day_param


class SlotForm(forms.Form):
    matter = forms.ModelChoiceField(label=_("事项"), queryset=Matter.objects.filter(active=True), to_field_name="code")
    window = forms.ModelChoiceField(label=_("窗口"), to_field_name="code",
                                    queryset=OrgUnit.objects.filter(kind=UnitKind.WINDOW, active=True))
    day = DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))


class BookForm(forms.Form):
    starts_at = forms.CharField(label=_("预约时间"))
    applicant_name = forms.CharField(label=_("申请人"), max_length=200)
    applicant_phone = forms.CharField(label=_("联系电话"), max_length=32)
    note = forms.CharField(label=_("备注"), max_length=500, required=False)


def appointment_book(request: HttpRequest) -> HttpResponse:
    """Step one (GET): matter, window and day show the free half hours; step two (POST): book one."""
    slot_form = SlotForm(request.GET or None)
    book_form = BookForm(request.POST or None)
    slots, booked = [], None
    if slot_form.is_valid():
        data = slot_form.cleaned_data
        attempt(slot_form, lambda: check_window_accepts(data["matter"], data["window"]))
        if not slot_form.errors:
            slots = [s for s in service.free_slots(data["window"], data["day"]) if s.free > 0]
        if request.method == "POST" and book_form.is_valid():
            starts_at = parse_datetime(book_form.cleaned_data["starts_at"])
            if starts_at is None:
                book_form.add_error("starts_at", _("请选择预约时段"))
            else:
                b = book_form.cleaned_data
                booked = attempt(book_form, lambda: service.book_appointment(
                    matter=data["matter"], window=data["window"], applicant_name=b["applicant_name"],
                    applicant_phone=b["applicant_phone"], starts_at=starts_at, note=b["note"]))
    return render(request, "hall/service/appointment_book.html", {
        "slot_form": slot_form, "book_form": book_form, "slots": slots, "booked": booked})


class ReceiveForm(forms.Form):
    applicant_kind = forms.ChoiceField(label=_("申请人类型"), choices=ApplicantKind.choices)
    applicant_id = forms.CharField(label=_("证件号码"), max_length=18, required=False)
    accept = forms.BooleanField(label=_("材料齐全，当场受理"), required=False)


def _day(request: HttpRequest) -> date:
    return day_param(request) or local_date(timezone.now())


@require_roles(*HALL_STAFF)
def appointment_day(request: HttpRequest) -> HttpResponse:
    """The day's appointments at one of the clerk's windows (the first one by default)."""
    windows = units(request.user, HALL_STAFF).filter(kind=UnitKind.WINDOW).order_by("path")
    window = windows.filter(code=request.GET.get("window", "")).first() or windows.first()
    day = _day(request)
    rows = service.day_list(restrict(Appointment.objects.all(), request.user), window, day) if window else []
    return render(request, "hall/service/appointments.html", {
        "windows": windows, "window": window, "day": day, "appointments": rows, "receive": ReceiveForm()})


@require_roles(*HALL_STAFF)
def appointment_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    appointment = get_object_or_404(restrict(Appointment.objects.select_related("window"), request.user), pk=pk)
    form = ReceiveForm(request.POST)
    day_query = f"?window={appointment.window.code}&date={local_date(appointment.starts_at).isoformat()}"
    if action == "receive" and form.is_valid():
        d = form.cleaned_data
        done = attempt(form, lambda: service.receive_from_appointment(
            appointment, by=request.user, applicant_kind=d["applicant_kind"], applicant_id=d["applicant_id"],
            accept=d["accept"]))
    elif action == "no-show":
        done = attempt(form, lambda: service.mark_no_show(appointment, by=request.user))
    else:
        done = None
    if done is None:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs) or _("操作失败"))
    return back(request, reverse("hall:appointments") + day_query)
