"""`yizhan quality SUB-COMMAND ...`: the quality system's command line; one module per sub-command in
`yizhan/quality/commands/` (see `yizhan.subcommands`)."""

from django.utils.translation import gettext_lazy as _

from yizhan.subcommands import SubcommandCommand


class Command(SubcommandCommand):
    help = _("质量管理：导入审核发现、统计。用 yizhan quality 子命令 --help 查看各子命令。")
