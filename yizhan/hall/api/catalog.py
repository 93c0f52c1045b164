"""The matter catalog (事项目录): list with filters, detail, CSV export."""

import io
from decimal import Decimal

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema

from yizhan.api.common import Code, Text, UnitRef, unit_ref
from yizhan.api.errors import ERROR_RESPONSES, not_found
from yizhan.api.scope import unit_by_code
from yizhan.errors import InvalidInput
from yizhan.hall.catalog import check_window_accepts
from yizhan.hall.catalog_csv import export_catalog
from yizhan.hall.models import Matter, MatterKind
from yizhan.org.models import UnitKind

router = Router(tags=["catalog"])


class MaterialOut(Schema):
    name: str
    form: str
    copies: int
    requirement: str
    condition: str


class MatterOut(Schema):
    code: str
    name: str
    department: UnitRef
    kind: str
    kind_label: str
    statutory_days: int
    promised_days: int
    green_channel: bool
    green_channel_days: int | None
    fee: Decimal
    active: bool


class MatterDetail(MatterOut):
    windows: list[UnitRef]
    # True when no window is listed: every window of the department accepts the matter.
    any_window_of_department: bool
    legal_basis: str
    materials: list[MaterialOut]


class MatterFilter(Schema):
    q: Text | None = None
    department: Code | None = None
    window: Code | None = None
    kind: MatterKind | None = None
    green_channel: bool | None = None
    active: bool | None = True


def _out(m: Matter) -> dict:
    return {
        "code": m.code, "name": m.name, "department": unit_ref(m.department), "kind": m.kind,
        "kind_label": str(m.get_kind_display()), "statutory_days": m.statutory_days,
        "promised_days": m.promised_days, "green_channel": m.green_channel,
        "green_channel_days": m.green_channel_days, "fee": m.fee, "active": m.active,
    }


def _filtered(filters: MatterFilter) -> list[Matter]:
    qs = Matter.objects.select_related("department").prefetch_related("windows", "materials").order_by("code")
    if filters.q:
        qs = qs.filter(Q(code__icontains=filters.q) | Q(name__icontains=filters.q))
    if filters.department:
        qs = qs.filter(department=unit_by_code(filters.department, field="department", kind=UnitKind.DEPARTMENT))
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.green_channel is not None:
        qs = qs.filter(green_channel=filters.green_channel)
    if filters.active is not None:
        qs = qs.filter(active=filters.active)
    matters = list(qs)
    if filters.window:
        window = unit_by_code(filters.window, field="window", kind=UnitKind.WINDOW)
        matters = [m for m in matters if _accepts(m, window)]
    return matters


def _accepts(matter: Matter, window) -> bool:
    # The catalog's own rule decides which windows accept a matter.
    try:
        check_window_accepts(matter, window, accepting_ids=[w.pk for w in matter.windows.all()])
    except InvalidInput:
        return False
    return True


@router.get("/matters", response={200: list[MatterOut], **ERROR_RESPONSES}, summary="事项目录")
def list_matters(request: HttpRequest, filters: Query[MatterFilter]):
    """Matters of the catalog, by code. `window` keeps those the window accepts; `active` defaults to
    true (pass `active=false` for retired matters)."""
    return [_out(m) for m in _filtered(filters)]


@router.get("/matters.csv", response={200: None, **ERROR_RESPONSES}, summary="导出事项目录（CSV）")
def export_matters(request: HttpRequest, filters: Query[MatterFilter]):
    """The (filtered) catalog as CSV in the columns `yizhan hall import-catalog` reads, UTF-8 with a
    byte-order mark so spreadsheets open it right."""
    buffer = io.StringIO()
    export_catalog(buffer, _filtered(filters))
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="matters.csv"'
    return response


@router.get("/matters/{code}", response={200: MatterDetail, **ERROR_RESPONSES}, summary="事项详情")
def get_matter(request: HttpRequest, code: Code):
    m = Matter.objects.select_related("department").prefetch_related("windows", "materials").filter(code=code).first()
    if m is None:
        raise not_found(Matter._meta.verbose_name, field="code")
    windows = list(m.windows.all())
    return {
        **_out(m),
        "windows": [unit_ref(w) for w in windows],
        "any_window_of_department": not windows,
        "legal_basis": m.legal_basis,
        "materials": [
            {"name": x.name, "form": x.form, "copies": x.copies, "requirement": x.requirement, "condition": x.condition}
            for x in m.materials.all()
        ],
    }
