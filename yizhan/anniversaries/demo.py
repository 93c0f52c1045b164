"""Party-membership anniversaries of the Jinshan construction company (入党纪念日): 213 members in three
branches, imported through the members' CSV import, and every day of 2009 run through the daily card
generation — one card and one message for each member who joined before 2009."""

import io
import random
from collections.abc import Callable
from datetime import date, datetime, timedelta

from django.db import transaction

from yizhan.anniversaries.cards import send_day
from yizhan.anniversaries.members import import_members
from yizhan.anniversaries.models import Card, PartyMember
from yizhan.calendar.workdays import local_tz
from yizhan.demo import fake
from yizhan.demo.places import BRANCHES, COMPANY, branches
from yizhan.jobs.models import Notification
from yizhan.org.models import Role

ORDER = 61
ACCOUNTS = [("jspc_party", Role.COMMITTEE_MEMBER, COMPANY, "金山石化建筑 党委组织委员")]
MEMBERS = 213
YEAR = 2009


def _members_csv() -> str:
    rng = random.Random(YEAR)
    lines = ["member_no,name,unit_code,joined_on,phone"]
    for i in range(MEMBERS):
        joined = date(1965, 1, 1) + timedelta(days=rng.randrange((date(2008, 12, 31) - date(1965, 1, 1)).days))
        name = fake.person_name(rng)
        phone = fake.mobile(rng) if i % 10 else ""  # one in ten has no mobile: card only
        lines.append(f"DY{i + 1:04d},{name},{BRANCHES[i % len(BRANCHES)][0]},{joined.isoformat()},{phone}")
    return "\n".join(lines) + "\n"


def build(progress: Callable[[str], None]) -> None:
    branches()
    with transaction.atomic():
        if not PartyMember.objects.filter(unit__code__in=[code for code, _name in BRANCHES]).exists():
            import_members(io.StringIO(_members_csv()), actor_label="demo")
        day, made = date(YEAR, 1, 1), 0
        while day.year == YEAR:
            made += len(send_day(day))
            day += timedelta(days=1)
    progress(f"anniversaries: {made} cards made")


def report(write: Callable[[str], None]) -> None:
    members = PartyMember.objects.filter(unit__code__in=[code for code, _name in BRANCHES])
    cards = Card.objects.filter(member__in=members, year=YEAR)
    messages = Notification.objects.filter(key__startswith="anniversaries.card:", key__endswith=f":{YEAR}").count()
    write(f"入党纪念日（金山石化建筑）：在册党员 {members.count()} 名；{YEAR} 年发送贺卡 {cards.count()} 张，"
          f"短信祝福 {messages} 条")


def build_present(now: datetime, progress: Callable[[str], None] = lambda _line: None) -> None:
    """This month's cards up to today, as the daily job would have sent them (a day already sent sends
    nothing again)."""
    today = now.astimezone(local_tz()).date()
    day, made = today.replace(day=1), 0
    with transaction.atomic():
        while day <= today:
            made += len(send_day(day))
            day += timedelta(days=1)
    progress(f"anniversaries: {made} cards this month")
