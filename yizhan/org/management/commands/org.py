"""`yizhan org SUB-COMMAND ...`: the organisation tree's command line."""

from django.utils.translation import gettext_lazy as _

from yizhan.org import commands as commands_package
from yizhan.subcommands import SubcommandCommand


class Command(SubcommandCommand):
    help = _("组织机构：从 CSV 导入机构树。用 yizhan org 子命令 --help 查看各子命令。")
    package = commands_package
