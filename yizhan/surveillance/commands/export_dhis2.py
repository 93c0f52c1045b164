from django.utils.translation import gettext_lazy as _

from yizhan.subcommands import day, write_json
from yizhan.surveillance.dhis2 import export_csv, export_data_value_set
from yizhan.surveillance.dhis2.periods import EXPORT_TYPES

help = _("按 DHIS2 dataValueSets 导出病例数（审核后的报告卡按审核日期和现住址，另加导入的汇总数）")


def add_arguments(parser) -> None:
    parser.add_argument("--from", dest="first", required=True, metavar="YYYY-MM-DD")
    parser.add_argument("--to", dest="last", required=True, metavar="YYYY-MM-DD")
    parser.add_argument("--period", default="Weekly", choices=EXPORT_TYPES,
                        help=str(_("DHIS2 的期间类型（默认 Weekly）")))
    parser.add_argument("--csv", action="store_true", help=str(_("按 DHIS2 的 CSV 列顺序输出")))


def run(options: dict, stdout) -> None:
    data = export_data_value_set(day(options["first"], "--from"), day(options["last"], "--to"),
                                 period_type=options["period"])
    if options["csv"]:
        stdout.write(export_csv(data), ending="")
    else:
        write_json(stdout, data)
