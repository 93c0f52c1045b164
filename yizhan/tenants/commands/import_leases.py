from django.utils.translation import gettext_lazy as _

from yizhan.subcommands import FILE_ARGUMENT_HELP, import_file
from yizhan.tenants.csv_io import import_leases

help = _("从 CSV 导入租户与租赁合同")
description = _("表头：role,contract_no,name,id_number[,room,phone,start,end,rent_yuan,deposit_yuan,moved_in,registered_on]；"
                "role 为 lessee（承租人，一行一份合同）或 occupant（同住人，按合同编号入住）。与登记表单同样的规则："
                "到期早于起租、同一房间租期重叠、超过核定人数、同一人同时住两处均被拒绝；"
                "任何一行有错时列出所有出错的行号和字段，不写入任何数据。")


def add_arguments(parser) -> None:
    parser.add_argument("file", metavar="FILE.csv", help=FILE_ARGUMENT_HELP)


def run(options: dict, stdout) -> None:
    stdout.write(str(import_file(options["file"], import_leases)))
