"""`yizhan tenants SUB-COMMAND ...`: the rental-tenant registry's command line."""

from django.utils.translation import gettext_lazy as _

from yizhan.subcommands import SubcommandCommand


class Command(SubcommandCommand):
    help = _("出租房屋与租户：导入房间、导入租户与合同、统计。用 yizhan tenants 子命令 --help 查看各子命令。")
