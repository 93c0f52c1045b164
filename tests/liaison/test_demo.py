"""The bureau's demo: five liaison points, ten brief issues, a term of exchange — built once."""

from yizhan.exchange import demo as exchange
from yizhan.exchange.models import Assignment
from yizhan.liaison import demo as liaison
from yizhan.liaison.models import BriefIssue, LiaisonPoint


def test_the_bureau_demo_builds_once_and_reports_ten_brief_issues(db, settings, tmp_path):
    settings.DATA_DIR = tmp_path  # the demo account's password is kept there
    for _twice in (1, 2):
        liaison.build(lambda line: None)
        exchange.build(lambda line: None)
    assert (LiaisonPoint.objects.count(), BriefIssue.objects.count()) == (5, 10)
    assert Assignment.objects.count() == 20
    lines: list[str] = []
    liaison.report(lines.append)
    exchange.report(lines.append)
    assert "简报 10 期" in lines[0] and lines[10].startswith("  第 10 期")
    assert any(line.startswith("  城镇学校：交流前") for line in lines)
