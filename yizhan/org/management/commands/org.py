"""`yizhan org SUB-COMMAND ...`: the organisation tree's command line.

Apps above `org` add sub-commands about the organisation (the hall's `import-staff`, which also keeps
badge numbers) as modules of a package `<app>.org_commands` (see `yizhan.subcommands.subcommands_of`),
so `org` imports none of them."""

from django.utils.translation import gettext_lazy as _

from yizhan.subcommands import SubcommandCommand


class Command(SubcommandCommand):
    help = _("组织机构：从 CSV 导入机构树。用 yizhan org 子命令 --help 查看各子命令。")
