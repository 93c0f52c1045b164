from django.utils.translation import gettext_lazy as _

from yizhan.relief.commands._fund import add_fund_argument, fund_of
from yizhan.relief.contributions import export_ledger

help = _("导出基金台账（CSV 输出，含冲销分录）")


def add_arguments(parser) -> None:
    add_fund_argument(parser)


def run(options: dict, stdout) -> None:
    export_ledger(fund_of(options), stdout)
