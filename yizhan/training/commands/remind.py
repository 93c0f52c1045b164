from django.utils import timezone
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from yizhan.calendar.workdays import local_date
from yizhan.subcommands import day
from yizhan.training.reminders import send_reminders

help = _("提醒本年度学时不足的人员（每人每月一条）")
description = _("按 --date 所在年度统计每人学时，与岗位要求比较，向不足者发短信（无手机号则发邮件）。"
                "同一人同一月只发一次；定时任务 training.remind 在每年 10–12 月每天 09:00 运行。")


def add_arguments(parser) -> None:
    parser.add_argument("--date", metavar="YYYY-MM-DD", help=str(_("统计日期（默认今天）")))


def run(options: dict, stdout) -> None:
    target = day(options.get("date"), "--date") or local_date(timezone.now())
    result = send_reminders(target)
    stdout.write(_g("%(y)d 年学时不足 %(s)d 人，本次发送提醒 %(n)d 条，无联系方式 %(u)d 人。") % {
        "y": target.year, "s": result.short, "n": result.sent, "u": result.unreachable})
