"""What people read for the codes the hall stores: a timer's purpose and an audit event's kind. Codes
without a label here are shown as they are."""

from django.utils.translation import gettext_lazy as _

TIMER_PURPOSES = {"promised": _("承诺时限"), "statutory": _("法定时限"), "notice": _("一次性告知")}

# The audit events written on a case (yizhan.hall.*), and the look at its personal data (yizhan.audit.privacy).
EVENT_KINDS = {
    "hall.case.received": _("收件"),
    "hall.case.accepted": _("受理"),
    "hall.case.materials_received": _("接收材料"),
    "hall.case.material_applicable": _("确认适用材料"),
    "hall.case.green_channel": _("纳入绿色通道"),
    "hall.case.handler_changed": _("变更经办人"),
    "hall.case.paused": _("暂停计时"),
    "hall.case.resumed": _("恢复计时"),
    "hall.case.under_review": _("开始审查"),
    "hall.case.decided": _("作出决定"),
    "hall.case.completed": _("办结"),
    "hall.case.completed_on_the_spot": _("当场办结"),
    "hall.case.withdrawn": _("撤回"),
    "hall.case.refused_to_accept": _("不予受理"),
    "hall.case.accountability": _("超期问责"),
    "hall.notice.issued": _("出具一次性告知书"),
    "hall.refusal.requested": _("提请否办"),
    "hall.refusal.rejected": _("否办未获确认"),
    "privacy.revealed": _("查看完整个人信息"),
}


def purpose_label(code: str) -> str:
    """The label of a timer purpose; the code itself when it has none."""
    return str(TIMER_PURPOSES.get(code, code))


def event_label(code: str) -> str:
    """The label of an audit event kind; the code itself when it has none."""
    return str(EVENT_KINDS.get(code, code))
