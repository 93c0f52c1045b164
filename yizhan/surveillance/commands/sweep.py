from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from yizhan.surveillance.accountability import sweep

help = _("问责扫描：为超过审核、信号核实、事件报告与响应时限的事项建立问责记录（可重复运行）")

LABELS = {"review": _("报告卡审核"), "verification": _("信号核实"), "incident_notify": _("事件报告"),
          "incident_response": _("事件响应"), "resubmit": _("退卡修改")}


def add_arguments(parser) -> None:
    """The sweep takes no options: it always covers every surveillance clock up to now."""


def run(options: dict, stdout) -> None:
    created = sweep()
    for purpose, n in created.items():
        stdout.write(gettext("%(what)s：新建问责记录 %(n)d 条") % {"what": LABELS[purpose], "n": n})
