from django.utils.translation import gettext_lazy as _

from yizhan.anniversaries.members import COLUMNS, OPTIONAL, import_members
from yizhan.subcommands import FILE_ARGUMENT_HELP, import_file

help = _("从 CSV 导入党员名册")
description = _("必需列：%(r)s；可选列：%(o)s。先检查全部行，任何一行有错则列出所有出错的行号和字段，不写入任何数据。") % {
    "r": ",".join(COLUMNS), "o": ",".join(OPTIONAL)}


def add_arguments(parser) -> None:
    parser.add_argument("file", metavar="FILE.csv", help=FILE_ARGUMENT_HELP)


def run(options: dict, stdout) -> None:
    stdout.write(str(import_file(options["file"], import_members)))
