from django.core.management.base import CommandError
from django.utils.translation import gettext_lazy as _

from yizhan.calendar.workdays import local_tz
from yizhan.clock.warnings import Level
from yizhan.hall.commands._options import moment
from yizhan.hall.early_warnings import open_warnings
from yizhan.hall.labels import purpose_label
from yizhan.org.models import OrgUnit

help = _("超时预警：列出黄色、红色预警和已超时的办件")
description = _(
    "列出在办办件中处于黄色预警、红色预警或已超时的计时（承诺时限、法定时限、一次性告知），"
    "绿色通道办件排在最前，其余按到期时间。--unit 只看某部门或窗口，--level 只看某一级别。"
)

HEADER = (_("办件编号"), _("事项"), _("窗口"), _("经办人"), _("时限"), _("到期时间"), _("级别"))


def add_arguments(parser) -> None:
    parser.add_argument("--at", metavar="DATETIME", help=_("按此时刻计算（本地时间），默认现在"))
    parser.add_argument("--unit", metavar="CODE", help=_("机构编码：只列出该部门或窗口的办件"))
    parser.add_argument("--level", choices=["yellow", "red", "overdue"], action="append",
                        help=_("只列出该级别（可重复）"))


def run(options: dict, stdout) -> None:
    unit = None
    if options.get("unit"):
        unit = OrgUnit.objects.filter(code=options["unit"]).first()
        if unit is None:
            raise CommandError(_("--unit: 机构编码不存在：%(v)s") % {"v": options["unit"]})
    levels = tuple(options.get("level") or ("yellow", "red", "overdue"))
    rows = open_warnings(moment(options.get("at")), unit=unit, levels=levels)
    stdout.write("\t".join(str(h) for h in HEADER))
    for r in rows:
        green = f" [{_('绿色通道')}·{r.green_project}]" if r.green_channel else ""
        stdout.write(
            f"{r.case_no}{green}\t{r.matter}\t{r.window}\t{r.handler or '-'}\t{purpose_label(r.purpose)}"
            f"\t{r.deadline.astimezone(local_tz()):%Y-%m-%d %H:%M}\t{Level(r.level).label}"
        )
    stdout.write(_("共 %(n)d 条") % {"n": len(rows)})
