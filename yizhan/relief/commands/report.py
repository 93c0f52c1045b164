from django.utils.translation import gettext_lazy as _

from yizhan.relief.commands._fund import add_fund_argument, fund_of
from yizhan.relief.report import fund_report, write_report

help = _("基金收支报告：捐款人数与金额、企业拨款、救助人数与金额、余额")


def add_arguments(parser) -> None:
    add_fund_argument(parser)


def run(options: dict, stdout) -> None:
    fund = fund_of(options)
    write_report(fund, fund_report(fund), lambda line: stdout.write(line))
