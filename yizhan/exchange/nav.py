from django.utils.translation import gettext_lazy as _

from yizhan.exchange.models import EXCHANGE_ROLES
from yizhan.ui.nav import NavItem

NAV_ITEMS = [NavItem("exchange:report", _("城乡教师交流"), EXCHANGE_ROLES, _("交流安排与交流前后的师资结构"))]
