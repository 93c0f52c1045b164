"""Navigation by role: each entry names a URL and the roles that may open it. Entries whose URL is
not installed are left out, so a screen appears in the nav as soon as its app routes it."""

from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from yizhan.org.models import Role
from yizhan.org.scope import HALL_STAFF, HALL_SUPERVISION, roles_held
from yizhan.plugins import app_modules
from yizhan.ui.access import allows

PUBLIC: tuple[str, ...] = ()


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str | Promise
    roles: tuple[str, ...] | None  # None: public (kiosk, board, lookup); () never means "nobody"
    description: str | Promise = ""


NAV: list[NavItem] = [
    NavItem("hall:workbench", _("窗口工作台"), (Role.CLERK,), _("本窗口的排队、办件、咨询登记")),
    NavItem("hall:supervisor", _("督查视图"), HALL_SUPERVISION, _("预警与超期、否办确认、问责、排名与统计")),
    NavItem("hall:rectifications", _("差评整改"), HALL_SUPERVISION, _("不满意评价的核实、整改与回复")),
    NavItem("hall:complaints", _("投诉处理"), HALL_STAFF, _("投诉登记、调查与答复")),
    NavItem("hall:appointments", _("预约与延时服务"), HALL_STAFF, _("当天预约与延时服务")),
    NavItem("hall:queue-ticket", _("取号机"), None, _("按事项分组取号（自助终端）")),
    NavItem("hall:board", _("大厅显示屏"), None, _("今日数据、叫号、示范窗口、公开承诺")),
    NavItem("hall:lookup", _("办件查询"), None, _("凭办件编号和手机号或证件号后四位查询")),
    NavItem("admin:index", _("管理后台"), (Role.ADMINISTRATOR,), _("事项目录、机构、日历、人员与角色")),
]


def all_items() -> list[NavItem]:
    """The hall's entries, then every other app's (`<app>.nav.NAV_ITEMS`), the admin last."""
    contributed = [item for _config, module in app_modules("nav") for item in getattr(module, "NAV_ITEMS", ())]
    return NAV[:-1] + contributed + NAV[-1:]


def items_for(user: Any) -> list[dict[str, Any]]:
    """The nav entries `user` may open, with their resolved URLs."""
    out = []
    held = roles_held(user)
    for item in all_items():
        if item.roles is not None and not allows(held, item.roles):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        out.append({"url": url, "label": item.label, "description": item.description, "public": item.roles is None,
                    "name": item.url_name})
    return out


def context(request: Any) -> dict[str, Any]:
    """Template context processor: the nav of the signed-in person (public entries for everyone else)."""
    user = getattr(request, "user", None)
    return {"nav_items": items_for(user) if user is not None else []}
