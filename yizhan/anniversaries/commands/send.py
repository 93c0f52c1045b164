from django.utils import timezone
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from yizhan.anniversaries.cards import send_day
from yizhan.calendar.workdays import local_date
from yizhan.subcommands import day

help = _("生成并发送当天的入党纪念日贺卡（默认今天；每人每年只发一次）")
description = _("为入党纪念日在当天的每位在册党员生成贺卡（可打印 A5）并通过短信或邮件发送祝福；"
                "重复运行或同时运行都不会重复发送。`yizhan worker` 每天 07:00 自动运行。")


def add_arguments(parser) -> None:
    parser.add_argument("--date", metavar="YYYY-MM-DD", help=str(_("日期（默认今天）")))


def run(options: dict, stdout) -> None:
    target = day(options.get("date"), "--date") or local_date(timezone.now())
    cards = send_day(target)
    stdout.write(_g("%(d)s：新发送贺卡 %(n)d 张。") % {"d": target, "n": len(cards)})
    for card in cards:
        stdout.write(f"{card.member.member_no} {card.member.name} {card.years}")
