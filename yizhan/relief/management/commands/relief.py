"""`yizhan relief SUB-COMMAND ...`: the fund's rules, contributions, ledger and report; one module per
sub-command in `yizhan/relief/commands/` (see `yizhan.subcommands`)."""

from django.utils.translation import gettext_lazy as _

from yizhan.subcommands import SubcommandCommand


class Command(SubcommandCommand):
    help = _("特困救助基金：载入管理办法、导入捐款、导出台账、收支报告。用 yizhan relief 子命令 --help 查看各子命令。")
