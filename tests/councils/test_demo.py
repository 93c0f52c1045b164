"""The council demo: a year of quarterly meetings, built once, its figures printed from the rows."""

from yizhan.councils import demo as councils
from yizhan.councils.models import Meeting, Proposal


def test_the_demo_builds_a_year_of_councils_once_and_reports_it(db):
    councils.build(lambda line: None)
    councils.build(lambda line: None)
    assert Meeting.objects.count() == 12 and not Meeting.objects.filter(published_at=None).exists()
    lines: list[str] = []
    councils.report(lines.append)
    total = Proposal.objects.count()
    assert any(f"全年：提案 {total} 件" in line for line in lines)
    assert sum("季度：提案" in line for line in lines) == 4
    assert "按时办结" in lines[-1]
