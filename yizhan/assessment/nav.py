from django.utils.translation import gettext_lazy as _

from yizhan.assessment.models import ASSESSORS
from yizhan.ui.nav import NavItem

NAV_ITEMS = [NavItem("assessment:rounds", _("公卫考核"), ASSESSORS, _("基本公共卫生服务考核评分、排名与整改"))]
