
from django.utils.translation import gettext_lazy as _

from yizhan import csvrows
from yizhan.visits.export import visit_rows
from yizhan.visits.models import Visit

help = _("导出走访记录（CSV，写到标准输出）")


def add_arguments(parser) -> None:
    parser.add_argument("--year", type=int, help=str(_("只导出该年的走访")))


def run(options: dict, stdout) -> None:
    visits = Visit.objects.all()
    if options.get("year"):
        visits = visits.filter(visited_on__year=options["year"])
    table = visit_rows(visits)
    writer = csvrows.writer(stdout, lineterminator="\n")
    writer.writerow([str(h) for h in table.headers])
    writer.writerows(table.rows)
