
from django.utils.translation import gettext_lazy as _

from yizhan import csvrows
from yizhan.ledger.money import yuan
from yizhan.subsidies.figures import figures
from yizhan.subsidies.models import Grant

help = _("按乡镇或学校统计资助人数、金额、住宿生比例（CSV 输出）")


def add_arguments(parser) -> None:
    parser.add_argument("--by", choices=("township", "school"), default="township")
    parser.add_argument("--term", metavar="CODE", help=str(_("只统计该学期")))


def run(options: dict, stdout) -> None:
    grants = Grant.objects.all()
    if options.get("term"):
        grants = grants.filter(term__code=options["term"])
    writer = csvrows.writer(stdout)
    writer.writerow(["code", "name", "pupils", "boarders", "boarder_share", "grants", "amount_yuan"])
    for row in figures(grants, by=options["by"]):
        writer.writerow([row.code or "total", row.name, row.pupils, row.boarders,
                         "" if row.boarder_share is None else f"{row.boarder_share:.4f}", row.grants,
                         yuan(row.amount_fen).replace(",", "")])
