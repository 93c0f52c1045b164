"""`yizhan surveillance SUB-COMMAND ...`: the surveillance system's command line; one module per
sub-command in `yizhan/surveillance/commands/` (see `yizhan.subcommands`)."""

from django.utils.translation import gettext_lazy as _

from yizhan.subcommands import SubcommandCommand


class Command(SubcommandCommand):
    help = _("疫情监测预警：病种目录、导入报告卡和 DHIS2 汇总数据、预警运行、信号和指标。"
             "用 yizhan surveillance 子命令 --help 查看各子命令。")
