from django.utils.translation import gettext_lazy as _

from yizhan.subcommands import FILE_ARGUMENT_HELP, import_file
from yizhan.surveillance.his import COLUMNS, OPTIONAL, import_his

help = _("导入医院 HIS 导出的法定传染病诊断病例（用于计算漏报率）")
description = _("必需列：%(r)s；可选列：%(o)s。unit 为诊断单位编码，disease 为疾病编码，diagnosed_on 为诊断日期。"
                "同一单位同一就诊号同一疾病再次导入时更新。先检查全部行，任何一行有错则不写入任何数据。") % {
    "r": ",".join(COLUMNS), "o": ",".join(OPTIONAL)}


def add_arguments(parser) -> None:
    parser.add_argument("file", metavar="FILE.csv", help=FILE_ARGUMENT_HELP)


def run(options: dict, stdout) -> None:
    stdout.write(str(import_file(options["file"], import_his)))
