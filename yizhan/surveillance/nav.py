from django.utils.translation import gettext_lazy as _

from yizhan.org.models import Role
from yizhan.ui.nav import NavItem

NAV_ITEMS = [
    NavItem("surveillance:dashboard", _("疫情监测"), (Role.EPIDEMIOLOGIST,),
            _("预警信号与核实、流行曲线、突发事件、报告质量")),
    NavItem("surveillance:review", _("报告卡审核"), (Role.EPIDEMIOLOGIST,), _("按审核时限排列的报告卡与疑似重复卡")),
    NavItem("surveillance:report", _("传染病报告"), (Role.REPORTER,), _("填报传染病报告卡（含乡镇代报）")),
    NavItem("surveillance:township", _("辖区报告卡"), (Role.REPORTER,), _("各卫生站报告卡的状态、退回待改的卡和代报的卡")),
]
