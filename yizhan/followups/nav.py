from django.utils.translation import gettext_lazy as _

from yizhan.followups.models import FOLLOW_UP_ROLES
from yizhan.ui.nav import NavItem

NAV_ITEMS = [NavItem("followups:list", _("督办事项"), FOLLOW_UP_ROLES, _("交办、办结与效果验证，按期限排列"))]
