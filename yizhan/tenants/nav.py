from django.utils.translation import gettext_lazy as _

from yizhan.tenants.models import MANAGERS, READERS
from yizhan.ui.nav import NavItem

NAV_ITEMS = [
    NavItem("tenants:board", _("出租房屋"), READERS, _("房间入住情况、租户籍贯、导出")),
    NavItem("tenants:register", _("租赁登记"), MANAGERS, _("登记租赁合同与承租人入住")),
    NavItem("tenants:obligations", _("租户待办"), READERS, _("来沪登记、安保承诺书、隐患整改，超期在前")),
    NavItem("tenants:patrol", _("巡查值班"), READERS, _("当日值班表与巡查记录")),
]
