from django.utils import timezone
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from yizhan.calendar.workdays import local_date
from yizhan.subcommands import day
from yizhan.visits.festivals import send_reminders

help = _("发送节前走访提醒（默认今天；已发送的不重复发送）")
description = _("对走访期内、已到提醒日的每个节日，向各单位的工会福利干事发送尚未走访的困难家庭名单。"
                "每个节日、年份和单位只发送一次；`yizhan worker` 每天 08:00 自动运行。")


def add_arguments(parser) -> None:
    parser.add_argument("--date", metavar="YYYY-MM-DD", help=str(_("提醒日期（默认今天）")))


def run(options: dict, stdout) -> None:
    target = day(options.get("date"), "--date") or local_date(timezone.now())
    sent = send_reminders(target)
    stdout.write(_g("%(d)s：发送提醒 %(n)d 条。") % {"d": target, "n": len(sent)})
    for reminder in sent:
        stdout.write(_g("%(unit)s %(f)s（%(on)s）：尚未走访 %(k)d 户") % {
            "unit": reminder.unit.code, "f": reminder.festival.name, "on": reminder.festival_on, "k": reminder.families})
