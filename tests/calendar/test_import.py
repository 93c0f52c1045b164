from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from yizhan.audit.models import AuditEvent
from yizhan.calendar.checks import MISSING_YEAR, check_calendar_years, missing_years
from yizhan.calendar.models import CalendarYear, DayOverride
from yizhan.calendar.workdays import current_calendar

TZ = ZoneInfo("Asia/Shanghai")

SCHEDULE_2027 = """date,kind,name
2027-01-01,holiday,元旦
2027-02-05,holiday,春节
2027-02-08,holiday,春节
2027-02-09,holiday,春节
2027-02-10,holiday,春节
2027-02-11,holiday,春节
2027-02-12,holiday,春节
2027-02-13,workday,春节调休
2027-02-20,workday,春节调休
"""


@pytest.fixture
def schedule(tmp_path):
    path = tmp_path / "2027.csv"
    path.write_text(SCHEDULE_2027, encoding="utf-8")
    return path


@pytest.mark.django_db
def test_missing_next_year_is_reported_before_deadlines_reach_it():
    assert missing_years(today=date(2026, 11, 24)) == [2027]
    assert missing_years(today=date(2026, 6, 1)) == []  # 120 days ahead is still 2026
    assert 2027 in missing_years(today=date(2026, 11, 24), horizon_days=400)


@pytest.mark.django_db
def test_system_check_names_the_missing_year(monkeypatch):
    monkeypatch.setattr("yizhan.calendar.checks.missing_years", lambda: [2027])
    (warning,) = check_calendar_years()
    assert warning.id == MISSING_YEAR and "2027" in warning.msg and "yizhan calendar import" in warning.hint


@pytest.mark.django_db
def test_importing_a_year_makes_it_official_and_audited(schedule):
    call_command("calendar", "import", str(schedule), "--note", "国办发明电〔2026〕号")
    cal = current_calendar()
    assert CalendarYear.objects.filter(year=2027).exists()
    assert not cal.is_provisional(date(2027, 3, 1))
    assert not cal.is_workday(date(2027, 2, 8))
    assert cal.is_workday(date(2027, 2, 13))  # a Saturday made a working day
    assert AuditEvent.objects.filter(action="calendar.year_imported", object_id="2027").count() == 1


@pytest.mark.django_db
def test_import_moves_open_provisional_deadlines(schedule):
    from yizhan.clock.limits import Limit
    from yizhan.clock.timers import start_timer
    from yizhan.org.models import OrgUnit

    subject = OrgUnit.objects.create(code="C", name="中心", kind="center")
    # Thursday 4 Feb 2027, 2 working days: Monday–Friday guess is Mon 8 Feb (provisional).
    timer = start_timer(subject, "promised", Limit.days(2), at=datetime(2027, 2, 4, 10, tzinfo=TZ))
    assert timer.provisional and timer.deadline.astimezone(TZ).date() == date(2027, 2, 8)
    call_command("calendar", "import", str(schedule))
    timer.refresh_from_db()
    assert not timer.provisional
    # Fri 5 Feb off, Sat 13 Feb is the first working day, then Mon 15 Feb.
    assert timer.deadline.astimezone(TZ).date() == date(2027, 2, 15)


@pytest.mark.django_db
def test_a_broken_file_names_line_and_field_and_writes_nothing(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("date,kind,name\n2027-01-01,holiday,元旦\n2027-13-01,holiday,x\n2027-02-01,rest,y\n", encoding="utf-8")
    with pytest.raises(CommandError) as err:
        call_command("calendar", "import", str(bad))
    assert "第 3 行 date" in str(err.value) and "第 4 行 kind" in str(err.value)
    assert not DayOverride.objects.exists() and not CalendarYear.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="calendar.").exists()


@pytest.mark.django_db
def test_an_official_year_cannot_be_overwritten(tmp_path):
    path = tmp_path / "2010.csv"
    path.write_text("date,kind,name\n2010-03-01,holiday,x\n", encoding="utf-8")
    with pytest.raises(CommandError, match="--local"):
        call_command("calendar", "import", str(path))


@pytest.mark.django_db
def test_local_closure_is_applied_and_pushes_open_deadlines(tmp_path):
    from yizhan.clock.limits import Limit
    from yizhan.clock.timers import start_timer
    from yizhan.org.models import OrgUnit

    subject = OrgUnit.objects.create(code="C", name="中心", kind="center")
    timer = start_timer(subject, "promised", Limit.days(1), at=datetime(2010, 3, 1, 9, tzinfo=TZ))
    assert timer.deadline.astimezone(TZ).date() == date(2010, 3, 2)
    path = tmp_path / "typhoon.csv"
    path.write_text("date,kind,name\n2010-03-02,holiday,台风停工\n", encoding="utf-8")
    call_command("calendar", "import", str(path), "--local")
    timer.refresh_from_db()
    assert timer.deadline.astimezone(TZ).date() == date(2010, 3, 3)
    assert AuditEvent.objects.filter(action="calendar.local_imported").count() == 1


@pytest.mark.django_db
def test_status_lists_official_imported_and_missing_years(schedule, capsys):
    from io import StringIO

    out = StringIO()
    call_command("calendar", "status", "--from", "2026", "--to", "2028", stdout=out)
    assert "2026: official" in out.getvalue() and "2027: MISSING" in out.getvalue()
    call_command("calendar", "import", str(schedule), "--note", "国办通知")
    out = StringIO()
    call_command("calendar", "status", "--from", "2026", "--to", "2028", stdout=out)
    assert "2027: imported (国办通知)" in out.getvalue() and "2028: MISSING" in out.getvalue()


@pytest.mark.django_db
def test_the_import_event_names_the_year_and_the_deadlines_it_moved(schedule):
    from yizhan.clock.limits import Limit
    from yizhan.clock.timers import start_timer
    from yizhan.org.models import OrgUnit

    subject = OrgUnit.objects.create(code="C", name="中心", kind="center")
    moved = start_timer(subject, "promised", Limit.days(2), at=datetime(2027, 2, 4, 10, tzinfo=TZ))
    start_timer(subject, "statutory", Limit.days(2), at=datetime(2027, 3, 1, 10, tzinfo=TZ))  # not moved
    call_command("calendar", "import", str(schedule), "--note", "国办通知")
    [event] = AuditEvent.objects.filter(action="calendar.year_imported")
    assert (event.changes["year"], event.changes["days"], event.changes["moved_count"]) == (2027, 9, 1)
    [move] = event.changes["moved"]
    assert (move["timer"], move["purpose"]) == (moved.pk, "promised")
    assert move["old"].startswith("2027-02-08") and move["new"].startswith("2027-02-15")
    # Importing the same file again moves nothing: the event says so.
    call_command("calendar", "import", str(schedule), "--note", "国办通知")
    again = AuditEvent.objects.filter(action="calendar.year_imported").latest("id")
    assert (again.changes["moved_count"], again.changes["moved"]) == (0, [])


@pytest.mark.django_db
def test_a_local_import_event_lists_the_deadlines_it_moved(tmp_path):
    from yizhan.clock.limits import Limit
    from yizhan.clock.timers import start_timer
    from yizhan.org.models import OrgUnit

    subject = OrgUnit.objects.create(code="C", name="中心", kind="center")
    timer = start_timer(subject, "promised", Limit.days(1), at=datetime(2010, 3, 1, 9, tzinfo=TZ))
    path = tmp_path / "typhoon.csv"
    path.write_text("date,kind,name\n2010-03-02,holiday,台风停工\n", encoding="utf-8")
    call_command("calendar", "import", str(path), "--local")
    [event] = AuditEvent.objects.filter(action="calendar.local_imported")
    assert event.changes["moved_count"] == 1 and [m["timer"] for m in event.changes["moved"]] == [timer.pk]


@pytest.mark.django_db
def test_the_moves_and_their_event_are_one_transaction(schedule, monkeypatch):
    from yizhan.clock.limits import Limit
    from yizhan.clock.timers import start_timer
    from yizhan.org.models import OrgUnit

    subject = OrgUnit.objects.create(code="C", name="中心", kind="center")
    timer = start_timer(subject, "promised", Limit.days(2), at=datetime(2027, 2, 4, 10, tzinfo=TZ))

    def broken(*args, **kwargs):
        raise RuntimeError("the audit log is unavailable")

    monkeypatch.setattr("yizhan.calendar.management.commands.calendar.record", broken)
    with pytest.raises(RuntimeError):
        call_command("calendar", "import", str(schedule))
    timer.refresh_from_db()
    assert timer.provisional and timer.deadline.astimezone(TZ).date() == date(2027, 2, 8)
    assert not CalendarYear.objects.exists()
