from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yizhan.anniversaries.cards import month_ahead
from yizhan.calendar.workdays import local_date
from yizhan.subcommands import day

help = _("列出今后 30 天的入党纪念日")


def add_arguments(parser) -> None:
    parser.add_argument("--date", metavar="YYYY-MM-DD", help=str(_("起始日期（默认今天）")))


def run(options: dict, stdout) -> None:
    start = day(options.get("date"), "--date") or local_date(timezone.now())
    for when, member in month_ahead(start):
        stdout.write(f"{when} {member.member_no} {member.name} {when.year - member.joined_on.year}")
