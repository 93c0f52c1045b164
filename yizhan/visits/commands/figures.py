from django.utils.translation import gettext_lazy as _

from yizhan.subcommands import write_json
from yizhan.visits.figures import figures
from yizhan.visits.models import Visit

help = _("走访统计：按年、按经费来源、按类别的走访次数和金额（JSON，金额以分计）")


def add_arguments(parser) -> None:
    pass


def run(options: dict, stdout) -> None:
    write_json(stdout, figures(Visit.objects.all()))
