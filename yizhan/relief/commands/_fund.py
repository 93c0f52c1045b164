"""The `--fund CODE` option every sub-command shares."""

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from yizhan.relief.models import Fund


def add_fund_argument(parser) -> None:
    parser.add_argument("--fund", required=True, metavar="CODE")


def fund_of(options: dict) -> Fund:
    fund = Fund.objects.select_related("account", "company", "matter").filter(code=options["fund"]).first()
    if fund is None:
        raise CommandError(_("%(o)s：不存在：%(v)s") % {"o": "--fund", "v": options["fund"]})
    return fund
