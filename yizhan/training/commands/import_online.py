from django.core.management.base import CommandError
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from yizhan.org.models import OrgUnit
from yizhan.subcommands import FILE_ARGUMENT_HELP, import_file
from yizhan.training.online_csv import import_completions

help = _("导入网上神农架教育的课程完成记录（CSV）")
description = _("列：teacher_id,course_code,course_name,completed_on,hours,score（见 docs/training.md）；"
                "有任何错误行则全部不写入。")


def add_arguments(parser) -> None:
    parser.add_argument("file", metavar="FILE", help=str(FILE_ARGUMENT_HELP))
    parser.add_argument("--unit", required=True, metavar="CODE", help=str(_("平台所属单位（新课程归入此单位）")))


def run(options: dict, stdout) -> None:
    unit = OrgUnit.objects.filter(code=options["unit"]).first()
    if unit is None:
        raise CommandError(_g("--unit：没有编码为 %(c)s 的单位") % {"c": options["unit"]})
    result = import_file(options["file"], lambda s: import_completions(s, unit=unit))
    stdout.write(str(result))
