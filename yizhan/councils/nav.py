from django.utils.translation import gettext_lazy as _

from yizhan.councils.models import COUNCIL_ROLES
from yizhan.ui.nav import NavItem

NAV_ITEMS = [NavItem("councils:index", _("议事会"), COUNCIL_ROLES, _("季度会议、提案、议定与公布"))]
