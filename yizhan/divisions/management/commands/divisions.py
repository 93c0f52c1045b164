"""`yizhan divisions SUB-COMMAND ...`: the division table's command line (see `yizhan.subcommands`)."""

from django.utils.translation import gettext_lazy as _

from yizhan.divisions import commands as commands_package
from yizhan.subcommands import SubcommandCommand


class Command(SubcommandCommand):
    help = _("行政区划：载入 GB/T 2260 代码，导入本地乡镇和村。用 yizhan divisions 子命令 --help 查看各子命令。")
    package = commands_package
