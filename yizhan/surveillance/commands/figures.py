from django.utils.translation import gettext_lazy as _

from yizhan.subcommands import day, write_json
from yizhan.surveillance.figures import signal_figures

help = _("预警信号指标（按 CIDARS 口径）")


def add_arguments(parser) -> None:
    parser.add_argument("--from", dest="first", required=True, metavar="YYYY-MM-DD")
    parser.add_argument("--to", dest="last", required=True, metavar="YYYY-MM-DD")
    parser.add_argument("--json", action="store_true", help=str(_("输出 JSON")))


def run(options: dict, stdout) -> None:
    figures = signal_figures(day(options["first"], "--from"), day(options["last"], "--to"))
    if options["json"]:
        write_json(stdout, figures)
        return
    for key, value in figures.items():
        stdout.write(f"{key}: {value}")
