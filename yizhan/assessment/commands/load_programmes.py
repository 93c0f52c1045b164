from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from yizhan.assessment.catalogue import load_programmes
from yizhan.org.models import OrgUnit

help = _l("载入基本公共卫生服务项目与评分表（yizhan/assessment/data/programmes.json），按编码新增或更新")


def add_arguments(parser) -> None:
    parser.add_argument("cdc", metavar="CDC", help=_l("疾控中心的机构编码"))


def run(options: dict, stdout) -> None:
    cdc = OrgUnit.objects.filter(code=options["cdc"]).first()
    if cdc is None:
        raise CommandError(_("CDC：机构 %(c)s 不存在") % {"c": options["cdc"]})
    made = load_programmes(cdc, actor_label="load-programmes")
    stdout.write(_("已载入 %(n)d 个项目") % {"n": len(made)})
