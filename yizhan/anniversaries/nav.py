from django.utils.translation import gettext_lazy as _

from yizhan.anniversaries.models import ANNIVERSARY_ROLES
from yizhan.ui.nav import NavItem

NAV_ITEMS = [NavItem("anniversaries:month", _("入党纪念日"), ANNIVERSARY_ROLES, _("今后一个月的入党纪念日与贺卡打印"))]
