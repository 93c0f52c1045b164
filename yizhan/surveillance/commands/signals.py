from django.utils.translation import gettext_lazy as _

from yizhan.subcommands import write_json
from yizhan.surveillance.models import Signal, SignalState
from yizhan.surveillance.signals import signal_rows

help = _("列出预警信号")


def add_arguments(parser) -> None:
    parser.add_argument("--json", action="store_true", help=str(_("输出 JSON")))
    parser.add_argument("--state", choices=SignalState.values)


def run(options: dict, stdout) -> None:
    qs = Signal.objects.all()
    if options.get("state"):
        qs = qs.filter(state=options["state"])
    rows = signal_rows(qs)
    if options["json"]:
        write_json(stdout, rows)
        return
    for r in rows:
        stdout.write(f"{r['id']:>5} {r['opened_on']} {r['disease']:<8} {r['unit']:<12} {r['method']:<10} "
                     f"{r['observed']}/{r['threshold']:g} {r['state']:<10} {r['level']}")
