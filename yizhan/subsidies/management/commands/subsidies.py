"""`yizhan subsidies SUB-COMMAND ...`: pupils, batches and figures; one module per sub-command in
`yizhan/subsidies/commands/` (see `yizhan.subcommands`)."""

from django.utils.translation import gettext_lazy as _

from yizhan.subcommands import SubcommandCommand


class Command(SubcommandCommand):
    help = _("学生资助：导入学生、按名单申报、统计。用 yizhan subsidies 子命令 --help 查看各子命令。")
