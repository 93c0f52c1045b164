from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from yizhan.surveillance.review import sweep_reviews

help = _("问责扫描：为超过审核时限的报告卡建立问责记录（可重复运行）")


def add_arguments(parser) -> None:
    pass


def run(options: dict, stdout) -> None:
    stdout.write(_g("新建问责记录 %(n)d 条") % {"n": sweep_reviews()})
