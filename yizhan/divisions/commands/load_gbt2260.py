from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from yizhan.divisions.loader import load_gbt2260

help = _("载入 GB/T 2260 行政区划代码（省、市、县），默认最新版本")


def add_arguments(parser) -> None:
    parser.add_argument("--revision", metavar="YYYYMM", help=str(_("GB/T 2260 的版本，如 201904")))


def run(options: dict, stdout) -> None:
    created, updated = load_gbt2260(options.get("revision"))
    stdout.write(_g("新增 %(c)d 个，更新 %(u)d 个行政区划。") % {"c": created, "u": updated})
