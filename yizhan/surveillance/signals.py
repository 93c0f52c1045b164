"""Signals (预警信号): an alarm for a disease and unit opens a signal, notifies the duty
epidemiologist (mail and SMS) and opens a verification item on the clock — 24 hours, 2 hours for a
single-case alert. A repeat alarm while the signal is open, or within 7 days of one excluded,
attaches to it instead. The responder records the outcome: excluded (with a reason), suspected
event, or confirmed outbreak, which opens an incident."""

from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from yizhan.audit.log import record
from yizhan.clock.limits import Limit
from yizhan.clock.moments import resolve_at
from yizhan.clock.timers import start_timer, stop_timer
from yizhan.errors import IllegalTransition, InvalidInput
from yizhan.jobs import sms
from yizhan.org.models import OrgUnit, Role, StaffRole
from yizhan.surveillance.incidents import open_incident
from yizhan.surveillance.models import Alarm, CardState, CaseCard, Disease, Duty, Method, Signal, SignalState
from yizhan.surveillance.review import require_epidemiologist
from yizhan.surveillance.units import responsible_cdc

EXCLUDED_GRACE = timedelta(days=7)
VERIFY_HOURS = 24
SINGLE_CASE_HOURS = 2


def duty_epidemiologists(unit: OrgUnit, day: date) -> list[tuple[Any, str]]:
    """(user, phone) of the duty epidemiologists nearest the unit: those on duty at the unit or the
    closest unit above it; failing any roster, the epidemiologists holding the role there."""
    for ancestor in reversed(list(unit.ancestors())):
        duties = Duty.objects.filter(unit=ancestor, first_day__lte=day, last_day__gte=day).select_related("user")
        if duties:
            return [(d.user, d.phone) for d in duties]
    for ancestor in reversed(list(unit.ancestors())):
        roles = StaffRole.objects.filter(unit=ancestor, role=Role.EPIDEMIOLOGIST).select_related("user")
        if roles:
            return [(r.user, "") for r in roles]
    return []


def notify(signal: Signal, alarm: Alarm) -> int:
    people = duty_epidemiologists(signal.unit, signal.opened_on)
    text = _g("【预警信号】%(d)s · %(u)s · %(day)s：观察数 %(o)d，阈值 %(t)s（%(m)s），请于 %(h)d 小时内核实。") % {
        "d": signal.disease.name, "u": signal.unit.name, "day": alarm.day, "o": alarm.observed,
        "t": f"{alarm.threshold:g}", "m": Method(signal.method).label, "h": signal.timer.limit_amount}
    emails = [u.email for u, _phone in people if u.email]
    if emails:
        send_mail(_g("预警信号：%(d)s（%(u)s）") % {"d": signal.disease.name, "u": signal.unit.name}, text,
                  getattr(settings, "DEFAULT_FROM_EMAIL", None), emails)
    sender = sms.sender()
    for _user, phone in people:
        if phone:
            sender.send(phone, text)
    return len(people)


def raise_alarm(disease: Disease, unit: OrgUnit, method: str, day: date, observed: int, expected: float | None,
                threshold: float, *, at: datetime) -> tuple[Signal, bool]:
    """Attach the alarm to the signal it repeats, or open a new one. Call inside a transaction.
    Returns (signal, opened now)."""
    recent = Q(state=SignalState.OPEN) | Q(state=SignalState.EXCLUDED, responded_at__date__gte=day - EXCLUDED_GRACE)
    signal = Signal.objects.filter(recent, disease=disease, unit=unit).order_by("-opened_on").first()
    created = signal is None
    if created:
        hours = SINGLE_CASE_HOURS if method == Method.FIXED else VERIFY_HOURS
        signal = Signal.objects.create(disease=disease, unit=unit, method=method, opened_on=day, opened_at=at)
        people = duty_epidemiologists(unit, day)
        signal.timer = start_timer(signal, "verification", Limit.hours(hours), at=at,
                                   responsible_user=people[0][0] if people else None,
                                   responsible_unit=responsible_cdc(unit), accountable=True)
        signal.save(update_fields=["timer"])
    alarm, new_alarm = Alarm.objects.get_or_create(signal=signal, day=day, defaults={
        "observed": observed, "expected": expected, "threshold": threshold})
    if created:
        notify(signal, alarm)
        record("surveillance.signal.opened", signal, at=at, actor_label="detect", disease=disease.code,
               unit=unit.code, method=method, day=day, observed=observed, expected=expected, threshold=threshold)
    elif new_alarm:
        record("surveillance.signal.repeated", signal, at=at, actor_label="detect", day=day, observed=observed,
               threshold=threshold)
    return signal, created


OUTCOMES = (SignalState.EXCLUDED, SignalState.SUSPECTED, SignalState.CONFIRMED)


def respond(signal: Signal, outcome: str, *, actor: Any, reason: str = "", at: datetime | None = None,
            incident: dict[str, Any] | None = None):
    """Record the verification outcome; a confirmed outbreak opens an incident (returned with the
    signal). The first response stops the verification clock; a suspected event may later be
    confirmed or excluded."""
    at = resolve_at(at)
    if outcome not in OUTCOMES:
        raise InvalidInput(_("核实结论须为以下之一：%(c)s") % {"c": "、".join(OUTCOMES)}, field="outcome",
                           rule="choice")
    if outcome == SignalState.EXCLUDED and not reason.strip():
        raise InvalidInput(_("排除信号须说明理由"), field="reason", rule="required")
    require_epidemiologist(actor, responsible_cdc(signal.unit))
    with transaction.atomic():
        signal = Signal.objects.select_for_update().get(pk=signal.pk)
        if signal.state not in (SignalState.OPEN, SignalState.SUSPECTED):
            raise IllegalTransition(_("信号已核实为%(s)s") % {"s": SignalState(signal.state).label})
        previous = signal.state
        signal.state, signal.reason, signal.responded_by = outcome, reason.strip(), actor
        if signal.responded_at is None:
            signal.responded_at = at
        signal.save(update_fields=["state", "reason", "responded_by", "responded_at"])
        if signal.timer.stopped_at is None:
            stop_timer(signal.timer, at=at)
        record("surveillance.signal.responded", signal, actor=actor, at=at, previous=previous, outcome=outcome,
               reason=signal.reason)
        opened = None
        if outcome == SignalState.CONFIRMED:
            details = {"title": _g("%(d)s暴发（%(u)s）") % {"d": signal.disease.name, "u": signal.unit.name},
                       "kind": "outbreak", "place": signal.unit.name, "started_at": signal.opened_at,
                       **(incident or {})}
            opened = open_incident(**details, unit=signal.unit, detected_at=signal.opened_at, signal=signal,
                                   actor=actor, at=at)
            behind = list(cards_behind(signal)[0])
            opened.cases.add(*behind)
            opened.cases_count = len(behind)
            opened.save(update_fields=["cases_count"])
    return signal, opened


def cards_behind(signal: Signal, cards=None):
    """The cards behind a signal: its disease, the patient living in the signal's unit, onset in the 7 days
    up to each alarm (the block the detectors compare), not deleted. `cards`: a queryset already
    restricted to a person's scope (default all)."""
    days = [a.day for a in signal.alarms.all()] or [signal.opened_on]
    first, last = min(days) - timedelta(days=6), max(days)
    qs = (cards if cards is not None else CaseCard.objects.all()).filter(
        disease=signal.disease, residence_unit__path__startswith=signal.unit.path, onset_date__gte=first,
        onset_date__lte=last).exclude(state=CardState.DELETED)
    return qs, first, last


def verification_level(signal: Signal, now: datetime | None = None) -> str:
    return signal.timer.level(now) if signal.timer else ""


def signal_rows(qs) -> list[dict[str, Any]]:
    rows = []
    for s in qs.select_related("disease", "unit", "timer").prefetch_related("alarms"):
        alarms = list(s.alarms.all())
        first = alarms[0] if alarms else None
        rows.append({
            "id": s.pk, "disease": s.disease.code, "disease_name": s.disease.name, "unit": s.unit.code,
            "unit_name": s.unit.name, "method": s.method, "opened_on": s.opened_on.isoformat(), "state": s.state,
            "observed": first.observed if first else None, "expected": first.expected if first else None,
            "threshold": first.threshold if first else None, "alarms": len(alarms),
            "deadline": s.timer.deadline.isoformat() if s.timer else None, "level": verification_level(s),
            "responded_at": s.responded_at.isoformat() if s.responded_at else None, "reason": s.reason,
        })
    return rows
