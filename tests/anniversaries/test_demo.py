"""The demo's anniversaries: 213 members imported, every day of 2009 run through the daily generation —
one card each, a message for each member with a mobile number; a second build adds nothing."""

from yizhan.anniversaries import demo as demo
from yizhan.anniversaries.models import Card, PartyMember


def test_the_demo_sends_a_year_of_cards_once(db):
    demo.build(lambda _line: None)
    demo.build(lambda _line: None)
    lines: list[str] = []
    demo.report(lines.append)
    assert PartyMember.objects.count() == 213 and Card.objects.filter(year=2009).count() == 213
    assert "在册党员 213 名" in lines[0] and "2009 年发送贺卡 213 张" in lines[0]
