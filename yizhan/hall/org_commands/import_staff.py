from django.utils.translation import gettext_lazy as _

from yizhan.hall.staff_csv import import_staff
from yizhan.subcommands import FILE_ARGUMENT_HELP, import_file

help = _("从 CSV 导入工作人员、工号及其角色")
description = _(
    "从 CSV 导入工作人员及其角色。表头：username,name,role,unit_code,badge_no,phone,email；同一人有多个角色时"
    "写多行。按用户名新增或更新，角色只增不减。任何一行有错时列出所有出错的行号和字段，不写入任何数据。"
)


def add_arguments(parser) -> None:
    parser.add_argument("file", metavar="FILE.csv", help=FILE_ARGUMENT_HELP)


def run(options: dict, stdout) -> None:
    stdout.write(str(import_file(options["file"], import_staff)))
