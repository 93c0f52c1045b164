from django.utils.translation import gettext_lazy as _

from yizhan.hall.accountability import sweep
from yizhan.hall.commands._options import moment

help = _("问责扫描：为超过法定时限的办件建立问责记录（可重复运行，不会重复记录）")
description = _(
    "找出超过法定时限仍未办结或超时办结的办件，为每件建立一条问责记录（经办人、窗口、部门、超期工作日数）。"
    "已有记录的不再重复。--at 指定扫描时刻（默认现在）。"
)


def add_arguments(parser) -> None:
    parser.add_argument("--at", metavar="DATETIME", help=_("扫描时刻，如 2010-10-31T18:00（本地时间），默认现在"))


def run(options: dict, stdout) -> None:
    records = sweep(moment(options.get("at")))
    stdout.write(_("新建问责记录 %(n)d 条") % {"n": len(records)})
    for record in records:
        stdout.write(_("  办件 %(id)s\t超期 %(d)d 个工作日") % {"id": record.subject_id, "d": record.days_overdue})
