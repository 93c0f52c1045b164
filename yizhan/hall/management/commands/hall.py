"""`yizhan hall SUB-COMMAND ...`: the service hall's command line; one module per sub-command in
`yizhan/hall/commands/` (see `yizhan.subcommands`)."""

from django.utils.translation import gettext_lazy as _

from yizhan.subcommands import SubcommandCommand


class Command(SubcommandCommand):
    help = _("行政服务大厅：导入机构和事项目录、导出目录、超时预警、问责扫描等。用 yizhan hall 子命令 --help 查看各子命令。")
