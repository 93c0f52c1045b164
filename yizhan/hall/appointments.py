"""Extended-hours service (延时服务制): an applicant books a half-hour appointment for a matter at a window
outside office hours — the lunch break or the evening of a working day, or a weekend or holiday — and
the window's clerk sees the day's appointments. When the applicant comes, the clerk receives the
application from the appointment: an ordinary case on the shared clock, channel extended_hours.

The hours are the setting YIZHAN_EXTENDED_HOURS (a JSON object; any key may be left out):
`lunch` ["12:00", "14:00"] and `evening` ["17:30", "20:00"] on working days, `weekend` ["09:00", "17:00"]
on other days, `capacity` 2 appointments per window and half hour, `days_ahead` 14."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from yizhan.calendar.workdays import current_calendar, local_date, local_tz
from yizhan.errors import IllegalTransition, InvalidInput, NotPermitted
from yizhan.hall.cases import receive_case
from yizhan.hall.catalog import check_window_accepts
from yizhan.hall.models import ApplicantKind, Appointment, AppointmentState, Case, Channel, Matter, Slot
from yizhan.hall.numbering import next_case_no
from yizhan.hall.service import audit, locked, require_text, resolve_at
from yizhan.hall.stats import period_bounds
from yizhan.org.models import OrgUnit
from yizhan.org.scope import HALL_STAFF, covers

BOOKING_PREFIX = "YY"
STEP = timedelta(minutes=30)
DEFAULTS: dict[str, Any] = {"lunch": ["12:00", "14:00"], "evening": ["17:30", "20:00"],
                            "weekend": ["09:00", "17:00"], "capacity": 2, "days_ahead": 14}


@dataclass(frozen=True)
class Hours:
    lunch: tuple[time, time]
    evening: tuple[time, time]
    weekend: tuple[time, time]
    capacity: int
    days_ahead: int


def hours() -> Hours:
    conf = {**DEFAULTS, **getattr(settings, "YIZHAN_EXTENDED_HOURS", {})}

    def span(key: str) -> tuple[time, time]:
        first, last = conf[key]
        return time.fromisoformat(first), time.fromisoformat(last)

    return Hours(span("lunch"), span("evening"), span("weekend"), int(conf["capacity"]), int(conf["days_ahead"]))


def slot_of(moment: datetime, h: Hours | None = None) -> Slot | None:
    """Which extended-hours slot a half hour starting at `moment` falls in; None in office hours or closed."""
    h = h or hours()
    local = moment.astimezone(local_tz())
    start, end = local.time(), (local + STEP).time()
    end = time.max if end == time.min else end

    def inside(span: tuple[time, time]) -> bool:
        return span[0] <= start and end <= span[1]

    if current_calendar().is_workday(local.date()):
        if inside(h.lunch):
            return Slot.LUNCH
        if inside(h.evening):
            return Slot.EVENING
        return None
    return Slot.WEEKEND if inside(h.weekend) else None


def _taken(window: OrgUnit, first: datetime, last: datetime) -> dict[datetime, int]:
    counts: dict[datetime, int] = {}
    for starts_at in Appointment.objects.filter(
        window=window, starts_at__gte=first, starts_at__lt=last,
        state__in=(AppointmentState.BOOKED, AppointmentState.RECEIVED),
    ).values_list("starts_at", flat=True):
        counts[starts_at] = counts.get(starts_at, 0) + 1
    return counts


@dataclass(frozen=True)
class FreeSlot:
    starts_at: datetime
    slot: Slot
    free: int


def free_slots(window: OrgUnit, day: date) -> list[FreeSlot]:
    """Every bookable half hour of `day` at `window` with the places left."""
    h = hours()
    first, last = period_bounds(day, day)
    taken = _taken(window, first, last)
    result, moment = [], first
    while moment < last:
        slot = slot_of(moment, h)
        if slot is not None:
            result.append(FreeSlot(moment, slot, max(0, h.capacity - taken.get(moment, 0))))
        moment += STEP
    return result


def book_appointment(
    *, matter: Matter, window: OrgUnit, applicant_name: str, applicant_phone: str, starts_at: datetime,
    note: str = "", at: datetime | None = None, actor: Any = None, actor_label: str = "applicant",
) -> Appointment:
    """Book a half hour outside office hours. Refused (InvalidInput naming `starts_at`) in office hours,
    off the half-hour grid, in the past, too far ahead, or when the half hour is full."""
    at = resolve_at(at)
    applicant_name = require_text(applicant_name, "applicant_name", _("须填写申请人"))
    applicant_phone = require_text(applicant_phone, "applicant_phone", _("须填写联系电话"))
    if sum(ch.isdigit() for ch in applicant_phone) < 7:
        raise InvalidInput(_("联系电话无效"), field="applicant_phone", rule="phone")
    check_window_accepts(matter, window)
    h = hours()
    local = starts_at.astimezone(local_tz())
    if local.minute % 30 or local.second or local.microsecond:
        raise InvalidInput(_("预约时间须为整点或半点"), field="starts_at", rule="half_hour")
    if starts_at <= at:
        raise InvalidInput(_("预约时间须晚于当前时间"), field="starts_at", rule="in_the_past")
    if local.date() > local_date(at) + timedelta(days=h.days_ahead):
        raise InvalidInput(_("最多可预约 %(n)d 天内的时段") % {"n": h.days_ahead}, field="starts_at",
                           rule="too_far_ahead")
    slot = slot_of(starts_at, h)
    if slot is None:
        raise InvalidInput(_("延时服务只受理工作日午间、晚间和周末节假日的预约；工作时间请直接到窗口办理"),
                           field="starts_at", rule="office_hours")
    with transaction.atomic():
        locked(window)  # bookings of one window are taken one at a time, so a half hour never overfills
        if _taken(window, starts_at, starts_at + STEP).get(starts_at, 0) >= h.capacity:
            raise InvalidInput(_("该时段已约满，请选择其他时段"), field="starts_at", rule="slot_full")
        appointment = Appointment.objects.create(
            booking_no=next_case_no(at, BOOKING_PREFIX), matter=matter, window=window,
            applicant_name=applicant_name, applicant_phone=applicant_phone, starts_at=starts_at, slot=slot,
            note=note.strip(), booked_at=at)
        audit("hall.appointment.booked", appointment, actor=actor, actor_label=actor_label, at=at,
              matter=matter.code, window=window.code, starts_at=starts_at, slot=slot)
    return appointment


def day_list(qs: QuerySet[Appointment], window: OrgUnit, day: date) -> QuerySet[Appointment]:
    """The appointments of `day` at `window` among `qs` (already restricted to the caller's scope)."""
    first, last = period_bounds(day, day)
    return qs.filter(window=window, starts_at__gte=first, starts_at__lt=last).select_related("matter", "case")


def _require_staff(user: Any, appointment: Appointment) -> None:
    if not covers(user, HALL_STAFF, appointment.window):
        raise NotPermitted(_("只有该窗口的工作人员可以处理预约"), field="by", rule="not_at_window")


def _close(appointment: Appointment, state: str, by: Any, at: datetime, actor_label: str = "") -> None:
    if appointment.state != AppointmentState.BOOKED:
        raise IllegalTransition(_("预约当前状态为“%(state)s”") % {"state": appointment.get_state_display()},
                                field="state", rule="appointment_closed")
    appointment.state, appointment.closed_at = state, at
    appointment.closed_by = by if getattr(by, "is_authenticated", False) else None
    appointment.save(update_fields=["state", "closed_at", "closed_by", "case"])
    audit(f"hall.appointment.{state}", appointment, actor=by, actor_label=actor_label, at=at,
          state=[AppointmentState.BOOKED, state], case=appointment.case.case_no if appointment.case else None)


def receive_from_appointment(
    appointment: Appointment, *, by: Any, applicant_kind: str = ApplicantKind.PERSON, applicant_id: str = "",
    accept: bool = False, at: datetime | None = None,
) -> Case:
    """The applicant came: the clerk receives the application (channel extended_hours), which starts
    the case's clock exactly as at the counter."""
    at = resolve_at(at)
    _require_staff(by, appointment)
    with transaction.atomic():
        appointment = locked(appointment, "matter", "window")
        if local_date(at) != local_date(appointment.starts_at):
            raise InvalidInput(_("只能在预约当日收件"), field="at", rule="not_the_day")
        if appointment.state != AppointmentState.BOOKED:
            raise IllegalTransition(_("预约当前状态为“%(state)s”") % {"state": appointment.get_state_display()},
                                    field="state", rule="appointment_closed")
        case = receive_case(matter=appointment.matter, window=appointment.window,
                            applicant_name=appointment.applicant_name, applicant_kind=applicant_kind,
                            applicant_id=applicant_id, applicant_phone=appointment.applicant_phone,
                            channel=Channel.EXTENDED_HOURS, handler=by, accept=accept, at=at, actor=by)
        appointment.case = case
        _close(appointment, AppointmentState.RECEIVED, by, at)
    return case


def cancel_appointment(appointment: Appointment, *, phone_last4: str = "", by: Any = None,
                       at: datetime | None = None) -> Appointment:
    """Cancelled by the applicant (who gives the last four digits of the phone booked with) or staff."""
    at = resolve_at(at)
    with transaction.atomic():
        appointment = locked(appointment, "window")
        if by is not None:
            _require_staff(by, appointment)
        elif not phone_last4 or "".join(ch for ch in appointment.applicant_phone if ch.isdigit())[-4:] != phone_last4:
            raise NotPermitted(_("手机号后四位不符"), field="phone_last4", rule="phone_mismatch")
        _close(appointment, AppointmentState.CANCELLED, by, at, actor_label="" if by else "applicant")
    return appointment


def mark_no_show(appointment: Appointment, *, by: Any, at: datetime | None = None) -> Appointment:
    at = resolve_at(at)
    _require_staff(by, appointment)
    with transaction.atomic():
        appointment = locked(appointment)
        if at < appointment.starts_at + STEP:
            raise InvalidInput(_("预约时段结束后才能登记未到场"), field="at", rule="too_early")
        _close(appointment, AppointmentState.NO_SHOW, by, at)
    return appointment
