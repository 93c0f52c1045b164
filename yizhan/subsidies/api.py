"""Student subsidies (学生资助): programmes, a school's batch applications for its pupils, the
bureau's decisions on the clock, a pupil's record and the figures per school or township."""

from datetime import datetime
from typing import Annotated, Literal

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema

from yizhan.api.common import Code, Id, Limit, Offset, Text, UnitRef, max_length_of, unit_ref, user
from yizhan.api.errors import ERROR_RESPONSES, ApiError
from yizhan.api.scope import get_visible, unit_by_code, visible
from yizhan.identifiers import validate_resident_id
from yizhan.org.models import UnitKind
from yizhan.subsidies import applications, pupils
from yizhan.subsidies.figures import figures
from yizhan.subsidies.models import Batch, BatchState, Grant, Programme, Pupil, Term, Township

PREFIX = "/subsidies"
router = Router(tags=["subsidies"])


class ProgrammeOut(Schema):
    code: str
    name: str
    bureau: str
    eligibility: str
    amount_fen: int
    matter: str
    promised_days: int
    account: str


@router.get("/programmes", response={200: list[ProgrammeOut], **ERROR_RESPONSES}, summary="资助项目")
def list_programmes(request: HttpRequest):
    return [{"code": p.code, "name": p.name, "bureau": p.bureau.code, "eligibility": p.eligibility,
             "amount_fen": p.amount_fen, "matter": p.matter.code, "promised_days": p.matter.promised_days,
             "account": p.account.code} for p in applications.programmes_for(user(request))]


class BatchOut(Schema):
    id: int
    case_no: str
    programme: str
    term: str
    school: UnitRef
    state: BatchState
    pupils: int
    amount_fen: int
    submitted_at: datetime
    deadline: datetime
    level: str
    decided_at: datetime | None
    entry: int | None
    resident_ids: list[str]


def out(batch: Batch) -> dict:
    timer = batch.case.promised_timer
    return {"id": batch.pk, "case_no": batch.case.case_no, "programme": batch.programme.code,
            "term": batch.term.code, "school": unit_ref(batch.school), "state": batch.state,
            "pupils": batch.pupils, "amount_fen": batch.amount_fen, "submitted_at": batch.submitted_at,
            "deadline": timer.deadline, "level": str(timer.level()), "decided_at": batch.decided_at,
            "entry": batch.entry_id,
            "resident_ids": list(batch.grants.order_by("id").values_list("pupil__resident_id", flat=True))}


def _batches():
    return Batch.objects.select_related("programme", "term", "school", "case", "case__promised_timer")


def _find(request: HttpRequest, batch_id: int) -> Batch:
    return get_visible(_batches(), user(request), _("资助申请批次"), field="batch_id", pk=batch_id)


def _programme(code: str) -> Programme:
    found = Programme.objects.select_related("bureau", "matter", "account").filter(code=code).first()
    if found is None:
        raise ApiError(422, _("资助项目 %(c)s 不存在") % {"c": code}, field="programme", rule="unknown_programme")
    return found


def _term(code: str) -> Term:
    found = Term.objects.filter(code=code).first()
    if found is None:
        raise ApiError(422, _("学期 %(c)s 不存在") % {"c": code}, field="term", rule="unknown_term")
    return found


class ApplyIn(Schema):
    programme: Code
    term: Code
    school: Code
    resident_ids: list[Code] = Field(..., min_length=1, max_length=applications.MAX_PUPILS)


@router.post("/batches", response={201: BatchOut, **ERROR_RESPONSES}, summary="学校按名单申报资助")
def apply(request: HttpRequest, payload: ApplyIn):
    """Every pupil is checked before anything is written: an unknown, foreign, ineligible or already
    counted pupil is refused with the list's line and the field `resident_id`."""
    batch = applications.apply(programme=_programme(payload.programme), term=_term(payload.term),
                               school=unit_by_code(payload.school, field="school", kind=UnitKind.SCHOOL),
                               resident_ids=payload.resident_ids, actor=user(request))
    return 201, out(batch)


class BatchFilter(Schema):
    state: BatchState | None = None
    school: Code | None = None
    programme: Code | None = None
    term: Code | None = None
    limit: Limit = 100
    offset: Offset = 0


@router.get("/batches", response={200: list[BatchOut], **ERROR_RESPONSES}, summary="资助申请批次")
def list_batches(request: HttpRequest, q: Query[BatchFilter]):
    qs = visible(_batches(), user(request))
    for name, lookup in (("state", "state"), ("school", "school__code"), ("programme", "programme__code"),
                         ("term", "term__code")):
        if getattr(q, name):
            qs = qs.filter(**{lookup: getattr(q, name)})
    return [out(b) for b in qs[q.offset:q.offset + q.limit]]


@router.get("/batches/{batch_id}", response={200: BatchOut, **ERROR_RESPONSES}, summary="批次详情")
def get_batch(request: HttpRequest, batch_id: Id):
    return out(_find(request, batch_id))


class ApproveIn(Schema):
    note: Text = ""


@router.post("/batches/{batch_id}/approve", response={200: BatchOut, **ERROR_RESPONSES}, summary="批准并拨付")
def approve(request: HttpRequest, batch_id: Id, payload: ApproveIn):
    """One ledger posting from the programme's budget; refused (nothing changed) over the balance."""
    return out(applications.approve(_find(request, batch_id), note=payload.note, actor=user(request)))


class RefuseIn(Schema):
    reason: Text
    legal_basis: Text


@router.post("/batches/{batch_id}/refuse", response={200: BatchOut, **ERROR_RESPONSES}, summary="拟不予批准")
def refuse(request: HttpRequest, batch_id: Id, payload: RefuseIn):
    return out(applications.propose_refusal(_find(request, batch_id), reason=payload.reason,
                                            legal_basis=payload.legal_basis, by=user(request)))


class SubsidyReviewIn(Schema):
    confirm: bool
    note: Text = ""


@router.post("/batches/{batch_id}/refusal", response={200: BatchOut, **ERROR_RESPONSES}, summary="把关否办意见")
def review_refusal(request: HttpRequest, batch_id: Id, payload: SubsidyReviewIn):
    """The head of the subsidy office confirms the proposed refusal or sends it back (note required)."""
    batch = _find(request, batch_id)
    if payload.confirm:
        return out(applications.confirm_refusal(batch, by=user(request), note=payload.note))
    return out(applications.reject_refusal(batch, by=user(request), note=payload.note))


class PupilIn(Schema):
    resident_id: Code
    name: Annotated[Text, max_length_of(Pupil, "name")]
    school: Code
    township: Code
    boarder: bool = False
    grade: Annotated[Text, max_length_of(Pupil, "grade")] = ""


class GrantOut(Schema):
    programme: str
    term: str
    amount_fen: int
    state: BatchState
    case_no: str
    school: str


class PupilOut(Schema):
    resident_id: str
    name: str
    school: UnitRef
    township: str
    boarder: bool
    grade: str
    received_fen: int
    grants: list[GrantOut]


def pupil_out(pupil: Pupil) -> dict:
    lines = pupils.record_of(pupil)
    return {"resident_id": pupil.resident_id, "name": pupil.name, "school": unit_ref(pupil.school),
            "township": pupil.township.code, "boarder": pupil.boarder, "grade": pupil.grade,
            "received_fen": sum(g.amount_fen for g in lines if g.counted and g.batch.state == BatchState.PAID),
            "grants": [{"programme": g.programme.code, "term": g.term.code, "amount_fen": g.amount_fen,
                        "state": g.batch.state, "case_no": g.batch.case.case_no, "school": g.batch.school.code}
                       for g in lines]}


@router.post("/pupils", response={200: PupilOut, **ERROR_RESPONSES}, summary="登记学生")
def register_pupil(request: HttpRequest, payload: PupilIn):
    validate_resident_id(payload.resident_id, field="resident_id")  # before any lookup
    township = Township.objects.filter(code=payload.township).first()
    if township is None:
        raise ApiError(422, _("乡镇 %(c)s 不存在") % {"c": payload.township}, field="township", rule="unknown_township")
    pupil = pupils.register(resident_id=payload.resident_id, name=payload.name,
                            school=unit_by_code(payload.school, field="school", kind=UnitKind.SCHOOL),
                            township=township, boarder=payload.boarder, grade=payload.grade, actor=user(request))
    return pupil_out(pupil)


@router.get("/pupils/{resident_id}", response={200: PupilOut, **ERROR_RESPONSES}, summary="学生资助记录")
def get_pupil(request: HttpRequest, resident_id: Code):
    """Every subsidy the pupil received, waits for or was refused, in every school the pupil attended."""
    pupil = get_visible(Pupil.objects.select_related("school", "township"), user(request), _("学生"),
                        field="resident_id", resident_id=resident_id)
    return pupil_out(pupil)


class FigureOut(Schema):
    code: str
    name: str
    pupils: int
    boarders: int
    boarder_share: float | None
    grants: int
    amount_fen: int


class SubsidyFiguresFilter(Schema):
    by: Literal["township", "school"] = "township"
    term: Code | None = None
    programme: Code | None = None


@router.get("/figures", response={200: list[FigureOut], **ERROR_RESPONSES}, summary="资助统计")
def get_figures(request: HttpRequest, q: Query[SubsidyFiguresFilter]):
    """Paid subsidies of the caller's scope per township or school; the last row (code "") is the total."""
    grants = visible(Grant.objects.all(), user(request))
    if q.term:
        grants = grants.filter(term__code=q.term)
    if q.programme:
        grants = grants.filter(programme__code=q.programme)
    return [row.as_dict() for row in figures(grants, by=q.by)]
