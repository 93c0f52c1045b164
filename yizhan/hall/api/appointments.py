"""Extended-hours appointments (延时服务) as the window's clerk sees them: the day's list, receiving
the application when the applicant comes (a case on the clock, channel extended_hours), no-shows."""

from datetime import datetime

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema

from yizhan.api.common import DAY_RANGE, Day, Id, user
from yizhan.api.errors import ERROR_RESPONSES
from yizhan.api.scope import get_visible, unit_by_code, visible
from yizhan.audit.privacy import masked_value
from yizhan.calendar.workdays import local_date
from yizhan.hall import appointments as service
from yizhan.hall.models import ApplicantKind, Appointment, AppointmentState, Slot
from yizhan.org.models import UnitKind

router = Router(tags=["appointments"])


class AppointmentOut(Schema):
    id: int
    booking_no: str
    matter: str
    matter_name: str
    window: str
    applicant_name: str
    applicant_phone: str
    starts_at: datetime
    slot: Slot
    state: AppointmentState
    note: str
    case_no: str | None


def _out(a: Appointment) -> dict:
    return {"id": a.pk, "booking_no": a.booking_no, "matter": a.matter.code, "matter_name": a.matter.name,
            "window": a.window.code, "applicant_name": a.applicant_name, "applicant_phone": masked_value(a, "applicant_phone"),
            "starts_at": a.starts_at, "slot": a.slot, "state": a.state, "note": a.note,
            "case_no": a.case.case_no if a.case else None}


def _qs():
    return Appointment.objects.select_related("matter", "window", "case")


class DayQuery(Schema):
    window: str
    day: Day | None = Field(None, alias="date", description=f"local date (default: today); {DAY_RANGE}")


@router.get("/appointments", response={200: list[AppointmentOut], **ERROR_RESPONSES}, summary="当日预约")
def day(request: HttpRequest, q: Query[DayQuery]):
    window = unit_by_code(q.window, field="window", kind=UnitKind.WINDOW)
    qs = service.day_list(visible(_qs(), user(request)), window, q.day or local_date(timezone.now()))
    return [_out(a) for a in qs]


def _find(request: HttpRequest, appointment_id: Id) -> Appointment:
    return get_visible(_qs(), user(request), _("预约"), field="id", pk=appointment_id)


class ReceiveIn(Schema):
    applicant_kind: ApplicantKind = ApplicantKind.PERSON
    applicant_id: str = ""
    accept: bool = False


@router.post("/appointments/{appointment_id}/receive", response={200: AppointmentOut, **ERROR_RESPONSES},
             summary="按预约收件")
def receive(request: HttpRequest, appointment_id: Id, payload: ReceiveIn):
    appointment = _find(request, appointment_id)
    service.receive_from_appointment(appointment, by=user(request), applicant_kind=payload.applicant_kind,
                                     applicant_id=payload.applicant_id, accept=payload.accept)
    return _out(_qs().get(pk=appointment.pk))


@router.post("/appointments/{appointment_id}/no-show", response={200: AppointmentOut, **ERROR_RESPONSES},
             summary="登记未到场")
def no_show(request: HttpRequest, appointment_id: Id):
    appointment = service.mark_no_show(_find(request, appointment_id), by=user(request))
    return _out(_qs().get(pk=appointment.pk))
