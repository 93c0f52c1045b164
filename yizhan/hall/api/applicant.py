"""What an applicant does without signing in: look a case up (case number plus the last four digits
of the phone or ID number), rate a completed case, complain online, book an extended-hours
appointment; and the staff's public commitments. Each operation calls the hall's service function."""

from datetime import date, datetime

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema, Status
from ninja.throttling import AnonRateThrottle

from yizhan.api.common import DAY_RANGE, Day
from yizhan.api.errors import PUBLIC_ERROR_RESPONSES, ApiError
from yizhan.api.scope import unit_by_code
from yizhan.hall import appointments, complaints, lookup, ratings
from yizhan.hall.api.public import PublicCase
from yizhan.hall.catalog import check_window_accepts
from yizhan.hall.commitments import public_commitments
from yizhan.hall.models import Case, Matter, Score, Slot
from yizhan.org.models import UnitKind

router = Router(tags=["applicant"])
def _open(out: type[Schema] | type, status: int = 200) -> dict:
    return {"auth": None, "throttle": [AnonRateThrottle("60/m")], "response": {status: out, **PUBLIC_ERROR_RESPONSES}}


class LookupIn(Schema):
    case_no: str = Field(..., description="the number printed on the receipt")
    last4: str = Field(..., description="last four digits of the applicant's phone, or of the ID number (X allowed)")


class Step(Schema):
    at: datetime
    step: str
    label: str
    note: str


class LookupOut(PublicCase):
    timeline: list[Step]
    can_rate: bool


@router.post("/lookup", summary="办件查询（办件编号＋后四位）", **_open(LookupOut))
def lookup_case(request: HttpRequest, payload: LookupIn):
    """State, timeline and promised deadline — nothing about the applicant or the staff. A wrong
    number or suffix answers 404 either way; after three wrong guesses each further one must wait,
    twice as long each time (429 with Retry-After), counted per address and per case number."""
    return lookup.lookup_case(payload.case_no, payload.last4, client=lookup.client_address(request))


class RatingIn(Schema):
    score: Score = Field(..., description="5 非常满意, 4 满意, 3 基本满意, 2 不满意, 1 非常不满意")
    comment: str = ""
    case_no: str = Field("", description="with last4, as for the lookup")
    last4: str = ""
    token: str = Field("", description="instead of case_no and last4: the token of the completion notice's QR code")


class ApplicantRatingOut(Schema):
    case_no: str
    score: int
    score_label: str
    rated_at: datetime
    rectification: bool = Field(..., description="a bad rating opened a rectification item for the department")


@router.post("/ratings", summary="好差评", **_open(ApplicantRatingOut, 201))
def rate(request: HttpRequest, payload: RatingIn):
    """Once per completed case (409 if already rated or not completed)."""
    if payload.token:
        rating = ratings.rate_by_token(payload.token, score=payload.score, comment=payload.comment)
    else:
        rating = lookup.rate_by_lookup(payload.case_no, payload.last4, score=payload.score, comment=payload.comment,
                                       client=lookup.client_address(request))
    return Status(201, {"case_no": rating.case.case_no, "score": rating.score,
                        "score_label": str(rating.get_score_display()), "rated_at": rating.rated_at,
                        "rectification": rating.is_bad})


class ComplaintIn(Schema):
    complainant: str
    phone: str = ""
    content: str
    case_no: str = Field("", description="the case complained about, if any")
    window: str = Field("", description="window code, if no case")
    badge_no: str = Field("", description="the staff member's badge number, if known")


class ComplaintReceipt(Schema):
    id: int
    received_at: datetime
    deadline: datetime = Field(..., description="the reply is due by then")


def complaint_target(case_no: str, window: str) -> dict:
    target: dict = {}
    if case_no:
        case = Case.objects.filter(case_no=case_no.strip()).first()
        if case is None:
            raise ApiError(422, _("办件编号不存在"), field="case_no", rule="unknown_case")
        target["case"] = case
    if window:
        target["window"] = unit_by_code(window, field="window", kind=UnitKind.WINDOW)
    return target


@router.post("/complaints", summary="网上投诉", **_open(ComplaintReceipt, 201))
def complain(request: HttpRequest, payload: ComplaintIn):
    complaint = complaints.file_complaint(
        content=payload.content, complainant=payload.complainant, phone=payload.phone, badge_no=payload.badge_no,
        **complaint_target(payload.case_no, payload.window), actor_label="online")
    return Status(201, {"id": complaint.pk, "received_at": complaint.received_at, "deadline": complaint.timer.deadline})


class SlotQuery(Schema):
    matter: str
    window: str
    day: Day = Field(..., alias="date", description=DAY_RANGE)


class SlotOut(Schema):
    starts_at: datetime
    slot: Slot
    free: int


def _matter(code: str) -> Matter:
    matter = Matter.objects.filter(code=code).first()
    if matter is None:
        raise ApiError(422, _("事项编码 %(code)s 不存在") % {"code": code}, field="matter", rule="unknown_matter")
    return matter


@router.get("/appointments/slots", summary="延时服务可预约时段", **_open(list[SlotOut]))
def slots(request: HttpRequest, q: Query[SlotQuery]):
    window = unit_by_code(q.window, field="window", kind=UnitKind.WINDOW)
    check_window_accepts(_matter(q.matter), window)
    return [s.__dict__ for s in appointments.free_slots(window, q.day)]


class AppointmentIn(Schema):
    matter: str
    window: str
    applicant_name: str
    applicant_phone: str
    starts_at: datetime
    note: str = ""


class AppointmentReceipt(Schema):
    booking_no: str
    starts_at: datetime
    slot: Slot


@router.post("/appointments", summary="预约延时服务", **_open(AppointmentReceipt, 201))
def book(request: HttpRequest, payload: AppointmentIn):
    """A half hour at lunch time, in the evening or on a weekend or holiday (422 naming starts_at otherwise)."""
    appointment = appointments.book_appointment(
        matter=_matter(payload.matter), window=unit_by_code(payload.window, field="window", kind=UnitKind.WINDOW),
        applicant_name=payload.applicant_name, applicant_phone=payload.applicant_phone,
        starts_at=payload.starts_at, note=payload.note)
    return Status(201, {"booking_no": appointment.booking_no, "starts_at": appointment.starts_at,
                        "slot": appointment.slot})


class CommitmentOut(Schema):
    badge_no: str
    name: str
    unit: str
    text: str
    posted_on: date


@router.get("/commitments", summary="公开承诺", **_open(list[CommitmentOut]))
def commitments(request: HttpRequest):
    return public_commitments()
