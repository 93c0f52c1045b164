from datetime import timedelta

from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from yizhan.calendar.workdays import local_date
from yizhan.clock.moments import resolve_at
from yizhan.subcommands import day
from yizhan.surveillance.detection import run_detection

help = _("运行一天的自动预警（默认昨天；已运行过的日期不重复运行）")
description = _(
    "对在管理后台设置了预警方法的每个病种和层级，按发病日期统计到 --date 当天的病例数并运行预警；"
    "每个报警生成或并入一个预警信号，通知值班流调人员并开始核实计时。同一天重复运行不会产生新的信号。"
    "定时运行：cron 每天 00:30 执行 `yizhan surveillance detect`，或 systemd 定时器 OnCalendar=*-*-* 00:30。"
)


def add_arguments(parser) -> None:
    parser.add_argument("--date", metavar="YYYY-MM-DD", help=str(_("预警日期（默认昨天）")))


def run(options: dict, stdout) -> None:
    target = day(options.get("date"), "--date") or local_date(resolve_at(None)) - timedelta(days=1)
    run_, ran, opened = run_detection(target)
    if not ran:
        stdout.write(_g("%(d)s 已于 %(t)s 运行过，未重复运行。") % {"d": target, "t": run_.ran_at})
        return
    stdout.write(_g("%(d)s：运行 %(s)d 个序列，报警 %(a)d 个，新信号 %(n)d 个。") % {
        "d": target, "s": run_.series, "a": run_.alarms, "n": len(opened)})
