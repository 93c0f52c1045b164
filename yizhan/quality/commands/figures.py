import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.translation import gettext_lazy as _l

from yizhan.quality.commands._common import plan_of
from yizhan.quality.figures import plan_figures

help = _l("审核发现按条款和部门统计，纠正措施按时办结情况（JSON）")


def add_arguments(parser) -> None:
    parser.add_argument("plan", metavar="PLAN", help=_l("审核计划编码"))


def run(options: dict, stdout) -> None:
    stdout.write(json.dumps(plan_figures(plan_of(options["plan"])), ensure_ascii=False, indent=1, cls=DjangoJSONEncoder))
