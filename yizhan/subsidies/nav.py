from django.utils.translation import gettext_lazy as _

from yizhan.org.models import Role
from yizhan.ui.nav import NavItem

NAV_ITEMS = [
    NavItem("subsidies:school", _("资助申报"), (Role.SCHOOL_CLERK,), _("按名单为本校学生申报资助，查看审批进度")),
    NavItem("subsidies:queue", _("资助审批"), (Role.SUBSIDY_OFFICER, Role.DEPARTMENT_HEAD),
            _("待审批批次按期限排列：批准拨付、不予批准")),
    NavItem("subsidies:pupil", _("学生资助记录"), (Role.SCHOOL_CLERK, Role.SUBSIDY_OFFICER), _("按身份证号查询学生所获资助")),
    NavItem("subsidies:figures", _("资助统计"), (Role.SCHOOL_CLERK, Role.SUBSIDY_OFFICER),
            _("按乡镇、学校统计资助人数、金额和住宿生比例")),
]
