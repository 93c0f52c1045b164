from django.utils.translation import gettext_lazy as _

from yizhan.liaison.models import LIAISON_ROLES
from yizhan.ui.nav import NavItem

NAV_ITEMS = [
    NavItem("liaison:index", _("我的联系点"), LIAISON_ROLES, _("联系学校、登记走访与反映问题")),
    NavItem("liaison:briefs", _("工作简报"), LIAISON_ROLES, _("按期编发联系点工作简报")),
]
