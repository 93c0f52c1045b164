"""Consultations under first-inquiry responsibility (首问负责制).

Whoever a citizen asks first (the first officer, 首问负责人) owns the question until someone answers
it. Referring it to another window or officer adds to an ordered chain of referrals but does not
move that responsibility; answering closes the consultation."""

from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from yizhan.clock.rows import insert, new, write
from yizhan.errors import IllegalTransition, InvalidInput
from yizhan.hall.models import Consultation, ConsultationState, Referral
from yizhan.hall.service import audit, locked, require_text, resolve_at
from yizhan.identifiers import validate_phone
from yizhan.org.models import OrgUnit, UnitKind
from yizhan.org.scope import HALL_STAFF, require_covers, require_permits


def _window(unit: OrgUnit, field: str) -> OrgUnit:
    if unit is None or unit.kind != UnitKind.WINDOW:
        raise InvalidInput(_("须选择一个窗口"), field=field, rule="not_a_window")
    return unit


def _user(user: Any) -> Any:
    return user if getattr(user, "is_authenticated", False) else None


def open_consultation(
    *, window: OrgUnit, question: str, asker_name: str, asker_phone: str = "", officer: Any = None,
    answer: str = "", at: datetime | None = None, actor: Any = None, actor_label: str = "",
) -> Consultation:
    """Record a question asked at `window`. `officer` (default: `actor`) becomes the first officer.
    Most questions are answered on the spot: pass `answer` to record it closed in the same step."""
    at = resolve_at(at)
    require_covers(actor, HALL_STAFF, _window(window, "window"), field="window", rule="not_window_staff")
    question = require_text(question, "question", _("须填写咨询内容"))
    asker_name = require_text(asker_name, "asker_name", _("须填写咨询人"))
    asker_phone = validate_phone(asker_phone, field="asker_phone")
    officer = _user(officer) or _user(actor)
    answer = answer.strip()
    with transaction.atomic():
        consultation = insert(new(
            Consultation,
            asker_name=asker_name, asker_phone=asker_phone, question=question, window=window,
            department_id=window.parent_id, first_officer=officer, current_window=window, current_officer=officer,
            asked_at=at,
            state=ConsultationState.ANSWERED if answer else ConsultationState.OPEN,
            answer=answer, answered_at=at if answer else None, answered_by=officer if answer else None,
        ))
        audit("hall.consultation.opened", consultation, actor=actor, actor_label=actor_label, at=at,
              window=window.code, first_officer=officer.pk if officer else None, answered=bool(answer))
    return consultation


def _require_open(consultation: Consultation) -> None:
    if consultation.state != ConsultationState.OPEN:
        raise IllegalTransition(_("该咨询已答复，不能再转办或答复"), field="state", rule="consultation_closed")


def refer_consultation(
    consultation: Consultation, *, to_window: OrgUnit, to_officer: Any = None, note: str = "",
    at: datetime | None = None, actor: Any = None, actor_label: str = "",
) -> Referral:
    """Hand an open consultation to another window (and officer), by staff of the window it was asked
    at or is now with. The first officer stays responsible."""
    require_permits(actor, consultation, field="consultation", rule="not_window_staff")
    at = resolve_at(at)
    _window(to_window, "to_window")
    with transaction.atomic():
        consultation = locked(consultation)
        _require_open(consultation)
        if at < consultation.asked_at:
            raise InvalidInput(_("转办时间不能早于咨询时间"), field="at", rule="time_goes_back")
        last = consultation.referrals.aggregate(m=Max("seq"))["m"] or 0
        referral = Referral.objects.create(
            consultation=consultation, seq=last + 1, from_window_id=consultation.current_window_id,
            from_officer_id=consultation.current_officer_id, to_window=to_window, to_officer=_user(to_officer),
            note=note.strip(), referred_at=at,
        )
        consultation.current_window, consultation.current_officer = to_window, _user(to_officer)
        write(consultation, "current_window", "current_officer")
        audit("hall.consultation.referred", consultation, actor=actor, actor_label=actor_label, at=at,
              seq=referral.seq, to_window=to_window.code, to_officer=referral.to_officer_id, note=referral.note)
    return referral


def answer_consultation(
    consultation: Consultation, *, answer: str, by: Any = None, at: datetime | None = None, actor: Any = None,
    actor_label: str = "",
) -> Consultation:
    """Answer and close. `by` (default: `actor`) is whoever answered — the first officer or anyone the
    question was referred to (staff of the window it was asked at or is now with)."""
    require_permits(actor, consultation, field="consultation", rule="not_window_staff")
    at = resolve_at(at)
    answer = require_text(answer, "answer", _("须填写答复内容"))
    by = _user(by) or _user(actor)
    with transaction.atomic():
        consultation = locked(consultation)
        _require_open(consultation)
        if at < consultation.asked_at:
            raise InvalidInput(_("答复时间不能早于咨询时间"), field="at", rule="time_goes_back")
        consultation.state, consultation.answer = ConsultationState.ANSWERED, answer
        consultation.answered_at, consultation.answered_by = at, by
        write(consultation, "state", "answer", "answered_at", "answered_by")
        audit("hall.consultation.answered", consultation, actor=actor, actor_label=actor_label, at=at,
              answered_by=by.pk if by else None, state=[ConsultationState.OPEN, ConsultationState.ANSWERED])
    return consultation
