"""`yizhan training SUB-COMMAND ...`: reminders and the online platform's import; one module per
sub-command in `yizhan/training/commands/` (see `yizhan.subcommands`)."""

from django.utils.translation import gettext_lazy as _

from yizhan.subcommands import SubcommandCommand


class Command(SubcommandCommand):
    help = _("培训记录：学时提醒、导入网上学习记录。用 yizhan training 子命令 --help 查看各子命令。")
