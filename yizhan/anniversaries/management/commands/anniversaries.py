"""`yizhan anniversaries SUB-COMMAND ...`: party-membership anniversaries; one module per sub-command
in yizhan/anniversaries/commands/."""

from django.utils.translation import gettext_lazy as _

from yizhan.subcommands import SubcommandCommand


class Command(SubcommandCommand):
    help = _("入党纪念日：导入党员、发送当天的纪念贺卡、查看下月的纪念日。用 yizhan anniversaries 子命令 --help 查看各子命令。")
