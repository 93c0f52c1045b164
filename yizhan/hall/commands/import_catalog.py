from django.utils.translation import gettext_lazy as _

from yizhan.hall.catalog_csv import import_catalog
from yizhan.hall.commands import FILE_ARGUMENT_HELP, import_file

help = _("从 CSV 导入事项目录")
description = _(
    "从 CSV 文件导入事项目录。必需列：code,name,department_code,kind,statutory_days,promised_days"
    "（kind 为 on_the_spot 即办件或 promised 承诺件，时限为工作日）；可选列：green_channel_days（绿色通道时限）、"
    "materials（材料名称，用分号分隔）、fee（收费，元）、legal_basis（设定依据）、window_codes（受理窗口编码，用分号分隔）。"
    "按事项编码新增或更新。任何一行有错时列出所有出错的行号和字段，不写入任何数据。"
)


def add_arguments(parser) -> None:
    parser.add_argument("file", metavar="FILE.csv", help=FILE_ARGUMENT_HELP)


def run(options: dict, stdout) -> None:
    stdout.write(str(import_file(options["file"], import_catalog)))
