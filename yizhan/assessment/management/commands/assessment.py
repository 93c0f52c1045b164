"""`yizhan assessment SUB-COMMAND ...`: the assessment's command line; one module per sub-command in
`yizhan/assessment/commands/` (see `yizhan.subcommands`)."""

from django.utils.translation import gettext_lazy as _

from yizhan.subcommands import SubcommandCommand


class Command(SubcommandCommand):
    help = _("基本公共卫生服务考核：载入项目与评分表、导入得分、排名。用 yizhan assessment 子命令 --help 查看各子命令。")
