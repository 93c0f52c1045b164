"""Materials and the one-time notice (一次性告知): what is missing is computed by the hall from the
matter's checklist; the notice lists all of it and has a printable view."""

from datetime import datetime
from typing import Annotated

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from ninja import Field, Router, Schema, Status

from yizhan.api.common import Code, Seq, Text, max_length_of, user
from yizhan.api.errors import ERROR_RESPONSES, ApiError, not_found
from yizhan.hall import notices as notice_service
from yizhan.hall.api.cases import CaseDetail, detail, find_case, print_url
from yizhan.hall.models import Case, Material, Notice

router = Router(tags=["notices"])


class MaterialRow(Schema):
    name: str
    form: str
    copies: int
    requirement: str
    condition: str


class MissingOut(Schema):
    case_no: str
    missing: list[MaterialRow]


class NoticeItemOut(Schema):
    name: str
    form: str
    copies: int
    condition: str


class NoticeOut(Schema):
    case_no: str
    seq: int
    state: str
    issued_at: datetime
    issued_by: str | None
    override_reason: str
    override_by: str | None
    items: list[NoticeItemOut]
    print_url: str


def _materials(case: Case, names: list[str], field: str) -> list[Material]:
    found = {m.name: m for m in Material.objects.filter(matter=case.matter_id, name__in=names)}
    unknown = [n for n in names if n not in found]
    if unknown:
        raise ApiError(422, _("事项 %(matter)s 的清单中没有这些材料：%(names)s") % {
            "matter": case.matter.code, "names": "、".join(unknown)}, field=field, rule="unknown_material")
    return [found[n] for n in names]


def _row(m: Material) -> dict:
    return {"name": m.name, "form": m.form, "copies": m.copies, "requirement": m.requirement,
            "condition": m.condition}


def _notice_out(notice: Notice) -> dict:
    return {
        "case_no": notice.case.case_no, "seq": notice.seq, "state": notice.state, "issued_at": notice.issued_at,
        "issued_by": notice.issued_by.get_username() if notice.issued_by else None,
        "override_reason": notice.override_reason,
        "override_by": notice.override_by.get_username() if notice.override_by else None,
        "items": [{"name": i.name, "form": i.form, "copies": i.copies, "condition": i.condition}
                  for i in notice.items.all()],
        "print_url": print_url(notice.case.case_no, notice.seq),
    }


def _find_notice(request: HttpRequest, case_no: Code, seq: Seq) -> Notice:
    case = find_case(request, case_no)
    notice = (Notice.objects.select_related("case", "issued_by", "override_by").prefetch_related("items")
              .filter(case=case, seq=seq).first())
    if notice is None:
        raise not_found(_("一次性告知书"), field="seq")
    return notice


@router.get("/cases/{case_no}/missing-materials", response={200: MissingOut, **ERROR_RESPONSES},
            summary="计算缺少的材料")
def missing(request: HttpRequest, case_no: Code):
    """The matter's checklist (mandatory materials and the conditional ones marked applicable) minus
    what was received."""
    case = find_case(request, case_no)
    return {"case_no": case.case_no, "missing": [_row(m) for m in notice_service.missing_materials(case)]}


class MaterialsIn(Schema):
    materials: list[Annotated[Text, max_length_of(Material, "name")]] = Field(..., max_length=200,
                                                       description="names of the matter's materials handed in")


@router.post("/cases/{case_no}/materials", response={200: CaseDetail, **ERROR_RESPONSES}, summary="收取材料")
def receive_materials(request: HttpRequest, case_no: Code, payload: MaterialsIn):
    """Record materials handed in; when everything a notice listed has arrived the notice is
    satisfied and a supplement pause ends."""
    case = find_case(request, case_no)
    materials = _materials(case, payload.materials, "materials")
    return detail(notice_service.receive_materials(case, materials, actor=user(request)))


class ApplicableIn(Schema):
    material: Annotated[Text, max_length_of(Material, "name")]
    applicable: bool = True


@router.post("/cases/{case_no}/materials/applicable", response={200: MissingOut, **ERROR_RESPONSES},
             summary="标记视情形材料是否适用")
def mark_applicable(request: HttpRequest, case_no: Code, payload: ApplicableIn):
    """A conditional material applies (or not) to this case; returns what is now missing."""
    case = find_case(request, case_no)
    [material] = _materials(case, [payload.material], "material")
    notice_service.mark_applicable(case, material, applicable=payload.applicable, actor=user(request))
    return {"case_no": case.case_no, "missing": [_row(m) for m in notice_service.missing_materials(case)]}


class NoticeIn(Schema):
    override_reason: Text = Field("", description="a later notice asking for a material the first did not "
                                                  "list: the hall supervisor's reason")


@router.post("/cases/{case_no}/notices", response={201: NoticeOut, **ERROR_RESPONSES}, summary="出具一次性告知书")
def issue(request: HttpRequest, case_no: Code, payload: NoticeIn):
    """Issue the notice listing every missing material at once. A later notice that asks for a
    material the first did not list needs a hall supervisor as caller and `override_reason`."""
    case = find_case(request, case_no)
    notice = notice_service.issue_notice(case, actor=user(request), override_reason=payload.override_reason)
    return Status(201, _notice_out(_find_notice(request, case_no, notice.seq)))


@router.get("/cases/{case_no}/notices", response={200: list[NoticeOut], **ERROR_RESPONSES}, summary="告知书列表")
def list_notices(request: HttpRequest, case_no: Code):
    case = find_case(request, case_no)
    qs = (Notice.objects.select_related("case", "issued_by", "override_by").prefetch_related("items")
          .filter(case=case).order_by("seq"))
    return [_notice_out(n) for n in qs]


@router.get("/cases/{case_no}/notices/{seq}", response={200: NoticeOut, **ERROR_RESPONSES}, summary="告知书")
def get_notice(request: HttpRequest, case_no: Code, seq: Seq):
    return _notice_out(_find_notice(request, case_no, seq))


@router.get("/cases/{case_no}/notices/{seq}/print", response={200: None, **ERROR_RESPONSES},
            url_name="notice_print", summary="告知书打印页（HTML）")
def print_notice(request: HttpRequest, case_no: Code, seq: Seq):
    """The printable notice handed to the applicant, as an HTML page."""
    return HttpResponse(notice_service.render_notice(_find_notice(request, case_no, seq)),
                        content_type="text/html; charset=utf-8")
