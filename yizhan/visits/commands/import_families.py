from django.core.management.base import CommandError
from django.utils.translation import gettext_lazy as _

from yizhan.org.models import OrgUnit
from yizhan.subcommands import FILE_ARGUMENT_HELP, import_file
from yizhan.visits.families import COLUMNS, OPTIONAL, import_families

help = _("从 CSV 导入困难家庭名册")
description = _("必需列：%(r)s；可选列：%(o)s。先检查全部行，任何一行有错则列出所有出错的行号和字段，不写入任何数据。") % {
    "r": ",".join(COLUMNS), "o": ",".join(OPTIONAL)}


def add_arguments(parser) -> None:
    parser.add_argument("file", metavar="FILE.csv", help=FILE_ARGUMENT_HELP)
    parser.add_argument("--unit", required=True, metavar="CODE", help=str(_("家庭所属单位的编码")))


def run(options: dict, stdout) -> None:
    unit = OrgUnit.objects.filter(code=options["unit"]).first()
    if unit is None:
        raise CommandError(_("--unit：单位不存在：%(c)s") % {"c": options["unit"]})
    stdout.write(str(import_file(options["file"], lambda stream: import_families(stream, unit))))
