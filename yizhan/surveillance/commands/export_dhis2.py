from django.utils.translation import gettext_lazy as _

from yizhan.subcommands import day, write_json
from yizhan.surveillance.dhis2 import export_data_value_set
from yizhan.surveillance.models import PeriodType

help = _("按 DHIS2 dataValueSets JSON 导出病例数（审核后的报告卡按终审日期，另加导入的汇总数）")


def add_arguments(parser) -> None:
    parser.add_argument("--from", dest="first", required=True, metavar="YYYY-MM-DD")
    parser.add_argument("--to", dest="last", required=True, metavar="YYYY-MM-DD")
    parser.add_argument("--period", default=PeriodType.WEEK, choices=PeriodType.values)


def run(options: dict, stdout) -> None:
    write_json(stdout, export_data_value_set(day(options["first"], "--from"), day(options["last"], "--to"),
                                             period_type=options["period"]))
