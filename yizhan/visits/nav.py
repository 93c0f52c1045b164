from django.utils.translation import gettext_lazy as _

from yizhan.ui.nav import NavItem
from yizhan.visits.models import VISIT_ROLES

NAV_ITEMS = [
    NavItem("visits:register", _("帮困送温暖"), VISIT_ROLES, _("困难家庭名册、走访登记与慰问金发放")),
    NavItem("visits:reminders", _("节前走访提醒"), VISIT_ROLES, _("春节、中秋前尚未走访的困难家庭")),
]
