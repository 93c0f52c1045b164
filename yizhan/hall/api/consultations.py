"""Consultations (咨询) under first-inquiry responsibility (首问负责制): create, refer, answer, list."""

from datetime import datetime
from typing import Annotated

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema, Status

from yizhan.api.common import Code, Id, Limit, Offset, Text, UnitRef, max_length_of, unit_ref, user
from yizhan.api.errors import ERROR_RESPONSES, ApiError
from yizhan.api.scope import get_visible, unit_by_code, visible, window_in_scope
from yizhan.audit.privacy import masked_value
from yizhan.hall import consultations as service
from yizhan.hall.models import Consultation, ConsultationState, Referral
from yizhan.org.models import UnitKind

router = Router(tags=["consultations"])

# A consultation shows to the staff of the window first asked and of the window it was referred to.


class ReferralOut(Schema):
    seq: int
    from_window: UnitRef
    from_officer: str | None
    to_window: UnitRef
    to_officer: str | None
    note: str
    referred_at: datetime


class ConsultationOut(Schema):
    id: int
    asker_name: str
    asker_phone: str
    question: str
    window: UnitRef
    first_officer: str | None
    responsible_officer: str | None = Field(None, description="the first officer while the question is open")
    current_window: UnitRef
    current_officer: str | None
    asked_at: datetime
    state: ConsultationState
    answer: str
    answered_at: datetime | None
    answered_by: str | None
    referrals: list[ReferralOut]


def _name(u) -> str | None:
    return u.get_username() if u is not None else None


def _qs():
    return Consultation.objects.select_related(
        "window", "current_window", "first_officer", "current_officer", "answered_by"
    ).prefetch_related("referrals__from_window", "referrals__to_window", "referrals__from_officer",
                       "referrals__to_officer")


def _out(c: Consultation) -> dict:
    return {
        "id": c.pk, "asker_name": c.asker_name, "asker_phone": masked_value(c, "asker_phone"), "question": c.question,
        "window": unit_ref(c.window), "first_officer": _name(c.first_officer),
        "responsible_officer": _name(c.responsible_officer), "current_window": unit_ref(c.current_window),
        "current_officer": _name(c.current_officer), "asked_at": c.asked_at, "state": c.state, "answer": c.answer,
        "answered_at": c.answered_at, "answered_by": _name(c.answered_by),
        "referrals": [
            {"seq": r.seq, "from_window": unit_ref(r.from_window), "from_officer": _name(r.from_officer),
             "to_window": unit_ref(r.to_window), "to_officer": _name(r.to_officer), "note": r.note,
             "referred_at": r.referred_at}
            for r in c.referrals.all()
        ],
    }


def _reload(c: Consultation) -> dict:
    return _out(_qs().get(pk=c.pk))


def _find(request: HttpRequest, consultation_id: Id) -> Consultation:
    return get_visible(_qs(), user(request), _("咨询"), field="id", pk=consultation_id)


def _officer(username: str | None, field: str):
    if not username:
        return None
    officer = get_user_model().objects.filter(username=username, is_active=True).first()
    if officer is None:
        raise ApiError(422, _("用户 %(name)s 不存在或已停用") % {"name": username}, field=field, rule="unknown_user")
    return officer


class ConsultationIn(Schema):
    window: Code = Field(..., description="window code where the question was asked")
    asker_name: Annotated[Text, max_length_of(Consultation, "asker_name")]
    asker_phone: Code = Field("", description="mobile (13812345678) or landline with area code (0750-2221234)")
    question: Text
    answer: Text = Field("", description="answered on the spot: closes the consultation at once")


@router.post("/consultations", response={201: ConsultationOut, **ERROR_RESPONSES}, summary="登记咨询")
def create(request: HttpRequest, payload: ConsultationIn):
    """The caller becomes the first-inquiry officer (首问负责人)."""
    window = window_in_scope(user(request), payload.window, field="window")
    consultation = service.open_consultation(window=window, question=payload.question, asker_name=payload.asker_name,
                                             asker_phone=payload.asker_phone, answer=payload.answer,
                                             actor=user(request))
    return Status(201, _reload(consultation))


class ConsultationFilter(Schema):
    state: ConsultationState | None = None
    window: Code | None = Field(None, description="first or current window code")
    limit: Limit = 50
    offset: Offset = 0


@router.get("/consultations", response={200: list[ConsultationOut], **ERROR_RESPONSES}, summary="咨询列表")
def list_consultations(request: HttpRequest, filters: Query[ConsultationFilter]):
    """Consultations asked at, or referred to, the caller's windows; newest first."""
    qs = visible(_qs(), user(request))
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.window:
        window = unit_by_code(filters.window, field="window", kind=UnitKind.WINDOW)
        qs = qs.filter(Q(window=window) | Q(current_window=window))
    qs = qs.order_by("-asked_at", "-id")
    return [_out(c) for c in qs[filters.offset:filters.offset + filters.limit]]


@router.get("/consultations/{consultation_id}", response={200: ConsultationOut, **ERROR_RESPONSES},
            summary="咨询详情")
def get_consultation(request: HttpRequest, consultation_id: Id):
    return _out(_find(request, consultation_id))


class ReferIn(Schema):
    to_window: Code = Field(..., description="window code")
    to_officer: Code | None = Field(None, description="username")
    note: Annotated[Text, max_length_of(Referral, "note")] = ""


@router.post("/consultations/{consultation_id}/refer", response={200: ConsultationOut, **ERROR_RESPONSES},
             summary="转办咨询")
def refer(request: HttpRequest, consultation_id: Id, payload: ReferIn):
    """Hand the question to another window; the first officer stays responsible until it is answered."""
    consultation = _find(request, consultation_id)
    to_window = unit_by_code(payload.to_window, field="to_window", kind=UnitKind.WINDOW)
    service.refer_consultation(consultation, to_window=to_window, to_officer=_officer(payload.to_officer, "to_officer"),
                               note=payload.note, actor=user(request))
    return _reload(consultation)


class AnswerIn(Schema):
    answer: Text


@router.post("/consultations/{consultation_id}/answer", response={200: ConsultationOut, **ERROR_RESPONSES},
             summary="答复咨询")
def answer(request: HttpRequest, consultation_id: Id, payload: AnswerIn):
    consultation = _find(request, consultation_id)
    service.answer_consultation(consultation, answer=payload.answer, actor=user(request))
    return _reload(consultation)
