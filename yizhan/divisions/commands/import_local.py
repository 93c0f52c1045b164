from django.utils.translation import gettext_lazy as _

from yizhan.divisions.loader import import_local
from yizhan.subcommands import FILE_ARGUMENT_HELP, import_file

help = _("从 CSV 导入本地乡镇（街道）和村（居委会）")
description = _("列：code,name,parent_code,level。level 为 township（9 位统计用区划代码，上级为县）或 village"
                "（12 位，上级为乡镇）。先检查全部行，任何一行有错则列出所有出错的行，不写入任何数据。")


def add_arguments(parser) -> None:
    parser.add_argument("file", metavar="FILE.csv", help=FILE_ARGUMENT_HELP)


def run(options: dict, stdout) -> None:
    stdout.write(str(import_file(options["file"], import_local)))
