from django.utils.translation import gettext_lazy as _

from yizhan.ledger.money import yuan
from yizhan.relief.commands._fund import add_fund_argument, fund_of
from yizhan.relief.contributions import import_contributions
from yizhan.subcommands import FILE_ARGUMENT_HELP, import_file

help = _("导入捐款（CSV：kind,contributor,amount[,staff_no,contributors,received_on,note]），逐笔记入基金台账")


def add_arguments(parser) -> None:
    parser.add_argument("file", metavar="FILE", help=str(FILE_ARGUMENT_HELP))
    add_fund_argument(parser)


def run(options: dict, stdout) -> None:
    fund = fund_of(options)
    n = import_file(options["file"], lambda stream: import_contributions(
        fund, stream, actor_label="relief import-contributions"))
    fund.account.refresh_from_db()
    stdout.write(_("已记账 %(n)d 笔，余额 ¥%(b)s") % {"n": n, "b": yuan(fund.account.balance_fen)})
