from django.utils.translation import gettext_lazy as _

from yizhan.org.units_csv import import_units
from yizhan.subcommands import FILE_ARGUMENT_HELP, import_file

help = _("从 CSV 导入机构树（行政服务中心各级机构，疾控中心、乡镇卫生院、村卫生站）")
description = _(
    "从 CSV 文件导入机构。表头：code,name,parent_code,kind；kind 为 center、department、window、cdc、"
    "township 或 village，根机构的 parent_code 留空。按编码新增或更新。任何一行有错时列出所有出错的行号和字段，"
    "不写入任何数据。"
)


def add_arguments(parser) -> None:
    parser.add_argument("file", metavar="FILE.csv", help=FILE_ARGUMENT_HELP)


def run(options: dict, stdout) -> None:
    stdout.write(str(import_file(options["file"], import_units)))
