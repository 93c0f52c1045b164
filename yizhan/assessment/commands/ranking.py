from django.utils.translation import gettext_lazy as _l

from yizhan.assessment import scoring
from yizhan.assessment.commands._common import round_of

help = _l("一个考核轮次的排名（卫生院、卫生站分别排名）")


def add_arguments(parser) -> None:
    parser.add_argument("round", metavar="ROUND", help=_l("考核轮次编码"))
    parser.add_argument("--kind", choices=("township", "village"), help=_l("只列出一类单位"))


def run(options: dict, stdout) -> None:
    for place in scoring.ranking(round_of(options["round"]), kind=options["kind"]):
        a = place.assessment
        mark = {True: "✓", False: "✗", None: "…"}[a.passed]
        stdout.write(f"{a.unit.kind:<9} {place.rank:>3}  {a.total:>6}  {place.below_pass:>2}  {mark}  {a.unit.code} "
                     f"{a.unit.name}")
