import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.translation import gettext_lazy as _

from yizhan.tenants.figures import figures

help = _("出租房屋统计：入住率、租户籍贯、超期未登记与未签承诺书、未销号隐患")


def add_arguments(parser) -> None:
    parser.add_argument("--json", action="store_true", help=_("以 JSON 输出"))


def run(options: dict, stdout) -> None:
    row = figures(None)
    if options["json"]:
        stdout.write(json.dumps(row, ensure_ascii=False, cls=DjangoJSONEncoder))
        return
    for key, value in row.items():
        if key == "by_province":
            value = "，".join(f"{p['name']} {p['tenants']}" for p in value)
        stdout.write(f"{key}: {value}")
