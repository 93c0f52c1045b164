from django.utils.translation import gettext_lazy as _

from yizhan.training.models import TRAINING_ROLES
from yizhan.ui.nav import NavItem

NAV_ITEMS = [
    NavItem("training:sessions", _("培训场次"), TRAINING_ROLES, _("登记培训、出勤与考核，导入网上学习记录")),
    NavItem("training:person", _("个人培训档案"), TRAINING_ROLES, _("按人员查询培训记录与每年学时")),
]
