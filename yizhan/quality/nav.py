from django.utils.translation import gettext_lazy as _

from yizhan.quality.models import QUALITY_MANAGERS
from yizhan.ui.nav import NavItem

NAV_ITEMS = [NavItem("quality:overview", _("质量管理"), QUALITY_MANAGERS, _("内部审核计划、审核发现与纠正措施"))]
