"""The one endpoint open without signing in: the applicant's case lookup (办件查询)."""

from datetime import datetime

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Router, Schema

from yizhan.api.errors import ERROR_RESPONSES, not_found
from yizhan.api.throttling import AddressThrottle
from yizhan.hall.case_detail import public_status
from yizhan.hall.models import Case, CaseState

router = Router(tags=["public"])
# Per client address (X-Forwarded-For believed from YIZHAN_TRUSTED_PROXIES only), counted in the
# shared cache, so that neither a forged header nor a second server process resets it.
LOOKUP_RATE = "60/m"


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


@router.get("/cases/{case_no}", auth=None, throttle=[AddressThrottle("public-case-lookup", LOOKUP_RATE)],
            response={200: PublicCase, **ERROR_RESPONSES}, summary="办件查询（公开）")
def lookup(request: HttpRequest, case_no: str):
    """No authentication. Given the number printed on the receipt, returns the case's state, the
    matter's name, its dates and promised deadline, and the materials a one-time notice asked for —
    never the applicant's name, identity number or phone, nor the staff handling it, nor a refusal
    that a second person has not yet confirmed. Limited to 60 lookups a minute per client address (429 with Retry-After beyond)."""
    case = Case.objects.select_related("matter", "promised_timer").filter(case_no=case_no.strip()).first()
    if case is None:
        raise not_found(_("办件"), field="case_no")
    return public_status(case)
