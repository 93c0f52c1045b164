from django.core.management.base import CommandError
from django.utils.translation import gettext_lazy as _

from yizhan.org.models import OrgUnit, UnitKind
from yizhan.subcommands import FILE_ARGUMENT_HELP, import_file
from yizhan.tenants.csv_io import import_rooms

help = _("从 CSV 导入房间（按楼栋和房号新增或更新）")
description = _("表头：building,number,kind[,building_name,address,capacity,area_m2]；kind 为 flat（住房）或 shop（商铺）。"
                "任何一行有错时列出所有出错的行号和字段，不写入任何数据。")


def add_arguments(parser) -> None:
    parser.add_argument("file", metavar="FILE.csv", help=FILE_ARGUMENT_HELP)
    parser.add_argument("--unit", required=True, help=_("管理单位（物业公司）编码"))


def run(options: dict, stdout) -> None:
    unit = OrgUnit.objects.filter(code=options["unit"], kind=UnitKind.OFFICE).first()
    if unit is None:
        raise CommandError(_("--unit：没有编码为 %(c)s 的科室/部门") % {"c": options["unit"]})
    stdout.write(str(import_file(options["file"], lambda stream: import_rooms(stream, unit=unit))))
