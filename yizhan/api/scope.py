"""What a caller may see and act on: staff of the hall see the cases, consultations, notices and
refusals of the windows in their subtree (yizhan.org.scope); anything else is answered as not found,
so a clerk cannot even learn that another window's case exists. Finer rules (who may confirm a
refusal, who may override a notice) are checked by the hall's service functions themselves."""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from yizhan.api.errors import ApiError, not_found
from yizhan.org.models import OrgUnit, Role, UnitKind
from yizhan.org.scope import VIEW, covers, restrict, units

HALL_ROLES = (Role.CLERK, Role.DEPARTMENT_HEAD, Role.HALL_SUPERVISOR)


def hall_units(user: Any) -> QuerySet[OrgUnit]:
    return units(user, HALL_ROLES)


def visible(qs: QuerySet, user: Any) -> QuerySet:
    """Rows of `qs` in the user's scope (`yizhan.org.scope`, the rule the admin and screens use too)."""
    return restrict(qs, user, VIEW)


def get_visible(qs: QuerySet, user: Any, what: Any, *, field: str = "", **lookup: Any):
    obj = visible(qs, user).filter(**lookup).first()
    if obj is None:
        raise not_found(what, field=field)
    return obj


def unit_by_code(code: str, *, field: str, kind: str | None = None) -> OrgUnit:
    unit = OrgUnit.objects.filter(code=code).first()
    if unit is None:
        raise ApiError(422, _("机构编码 %(code)s 不存在") % {"code": code}, field=field, rule="unknown_unit")
    if kind is not None and unit.kind != kind:
        raise ApiError(422, _("%(code)s 不是%(kind)s") % {"code": code, "kind": UnitKind(kind).label},
                       field=field, rule=f"not_a_{kind}")
    return unit


def window_in_scope(user: Any, code: str, *, field: str) -> OrgUnit:
    """A window the caller works at (or supervises), for creating things there."""
    window = unit_by_code(code, field=field, kind=UnitKind.WINDOW)
    if not covers(user, HALL_ROLES, window):
        raise ApiError(403, _("您无权在窗口 %(code)s 办理业务") % {"code": code}, field=field, rule="out_of_scope")
    return window


def unit_in_hall_scope(user: Any, code: str, *, field: str) -> OrgUnit:
    """A unit whose figures the caller may ask for: one in their hall subtrees, or one above them
    (a clerk's own department), but never a sibling's (another department's are its own)."""
    unit = unit_by_code(code, field=field)
    if not covers(user, HALL_ROLES, unit) and not hall_units(user).filter(path__startswith=unit.path).exists():
        raise ApiError(403, _("机构 %(code)s 不在您的管辖范围内") % {"code": code}, field=field, rule="out_of_scope")
    return unit


def require_hall_staff(user: Any) -> None:
    """Screens of supervision (accountability, rankings) need some hall role; a token or session alone is not enough."""
    if not user.is_superuser and not hall_units(user).exists():
        raise ApiError(403, _("此功能仅限大厅工作人员使用"), rule="hall_staff_only")
