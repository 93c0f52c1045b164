from django.utils.translation import gettext_lazy as _

from yizhan.relief.models import RELIEF_ROLES
from yizhan.ui.nav import NavItem

NAV_ITEMS = [
    NavItem("relief:index", _("特困救助基金"), RELIEF_ROLES,
            _("基金余额与台账、捐款登记、救助申请的审议与拨付、收支报告")),
]
