"""The applicant's case lookup (办件查询) by GET: the case number and the last four digits of the
applicant's phone or ID number, checked by the same service as POST /api/public/lookup."""

from datetime import datetime

from django.conf import settings
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from yizhan.api.common import Code
from yizhan.api.errors import ERROR_RESPONSES, ErrorEnvelope
from yizhan.api.throttling import AddressThrottle
from yizhan.hall import lookup as lookup_service
from yizhan.hall.case_detail import public_status
from yizhan.hall.models import CaseState

router = Router(tags=["public"])
# Per client address (X-Forwarded-For believed from YIZHAN_TRUSTED_PROXIES only), counted in the
# shared cache, so that neither a forged header nor a second server process resets it.


class NoticeMaterials(Schema):
    seq: int
    materials: list[str]


class PublicCase(Schema):
    case_no: str
    matter: str
    state: CaseState
    state_label: str
    outcome: str
    received_at: datetime
    accepted_at: datetime | None
    completed_at: datetime | None
    promised_deadline: datetime | None
    paused: bool
    awaiting_supplement: bool
    notices: list[NoticeMaterials]


class SuffixQuery(Schema):
    last4: str = Field(..., description="last four digits of the applicant's phone, or of the ID number (X allowed)")


@router.get("/cases/{case_no}", auth=None,
            throttle=[AddressThrottle("public-case-lookup", lambda: settings.YIZHAN_PUBLIC_LOOKUP_RATE)],
            response={200: PublicCase, 429: ErrorEnvelope, **ERROR_RESPONSES}, summary="办件查询（公开）")
def lookup(request: HttpRequest, case_no: Code, q: Query[SuffixQuery]):
    """No authentication. Given the number printed on the receipt and the last four digits of the
    applicant's phone or ID number (`?last4=`), returns the case's state, the matter's name, its dates
    and promised deadline, and the materials a one-time notice asked for — never the applicant's name,
    identity number or phone, nor the staff handling it, nor a refusal that a second person has not yet
    confirmed. An unknown number and a wrong suffix both answer 404; after three wrong guesses each
    further one must wait, twice as long each time (429 with Retry-After), counted per address and per
    case number, as for POST /api/public/lookup. Besides, 60 lookups a minute per client address
    (YIZHAN_PUBLIC_LOOKUP_RATE; 429 with Retry-After beyond)."""
    return public_status(lookup_service.find_case(case_no, q.last4, client=lookup_service.client_address(request)))
