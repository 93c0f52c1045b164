"""`yizhan visits SUB-COMMAND ...`: hardship visits; one module per sub-command in yizhan/visits/commands/."""

from django.utils.translation import gettext_lazy as _

from yizhan.subcommands import SubcommandCommand


class Command(SubcommandCommand):
    help = _("帮困送温暖：导入困难家庭、导出走访记录、节前走访提醒、统计。用 yizhan visits 子命令 --help 查看各子命令。")
