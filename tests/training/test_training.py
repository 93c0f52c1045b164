"""Sessions with topics, attendance and assessment, a person's hours per year against the post's
requirement, reminders to those short of hours, and the online platform's completions."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command

from tests.factories import only_error, password
from yizhan.errors import ImportFailed, InvalidInput, NotPermitted
from yizhan.jobs.models import Notification
from yizhan.training import records, sessions
from yizhan.training.models import Completion, Course, Requirement
from yizhan.training.online_csv import import_completions
from yizhan.training.reminders import send_reminders


def hold(cdc, hours="2", topics=("内部审核", "管理评审"), day=None, **kwargs):
    return sessions.hold_session(course=cdc.course, day=day or cdc.day, title="质量体系", trainer="陈志强",
                                 hours=hours, topics=topics, actor=cdc.officer, **kwargs)


def test_a_session_covers_several_topics_named_once_per_unit(cdc):
    first = hold(cdc)
    second = hold(cdc, topics=("管理评审", "能力验证"))
    assert sorted(t.name for t in first.topics.all()) == ["内部审核", "管理评审"]
    assert first.topics.get(name="管理评审") == second.topics.get(name="管理评审")


def test_bad_sessions_are_refused_naming_the_field(cdc):
    for hours in ("0", "25", "1.25", "abc"):
        with pytest.raises(InvalidInput) as exc:
            hold(cdc, hours=hours)
        assert exc.value.field == "hours"
    with pytest.raises(InvalidInput) as exc:
        sessions.hold_session(course=cdc.course, day=cdc.day, title=" ", trainer="陈", hours=1, actor=cdc.officer)
    assert exc.value.field == "title"
    with pytest.raises(NotPermitted):
        sessions.hold_session(course=cdc.course, day=cdc.day, title="内审", trainer="陈", hours=1, actor=cdc.other)
    assert cdc.course.sessions.count() == 0


def test_hours_count_attended_and_passed_sessions_and_online_learning(cdc):
    session = hold(cdc, hours="3")
    assessed = hold(cdc, hours="2")
    sessions.record_attendance(session, cdc.p1, actor=cdc.officer)
    sessions.record_attendance(assessed, cdc.p1, score=55, actor=cdc.officer)  # below the pass mark
    sessions.record_attendance(assessed, cdc.p2, score=80, actor=cdc.officer)
    sessions.record_attendance(session, cdc.p2, attended=False, actor=cdc.officer)
    with pytest.raises(InvalidInput) as exc:
        sessions.record_attendance(session, cdc.p3, attended=False, score=70, actor=cdc.officer)
    assert exc.value.field == "score"
    assert records.hours_in(cdc.p1, 2010) == Decimal("3")
    assert records.hours_in(cdc.p2, 2010) == Decimal("2")
    Completion.objects.create(trainee=cdc.p1, course=Course.objects.create(code="ON1", name="网课", unit=cdc.cdc),
                              completed_on=date(2011, 3, 1), hours=Decimal("4"))
    assert records.hours_per_year(cdc.p1) == {2010: Decimal("3"), 2011: Decimal("4")}


def test_the_nearest_requirement_wins_and_shortfalls_list_who_is_short(cdc):
    assert records.required_hours(cdc.p1) == 24
    Requirement.objects.create(unit=cdc.lab, post="检验技师", hours_per_year=30)
    assert records.required_hours(cdc.p1) == 30
    assert records.required_hours(cdc.p3) is None
    session = hold(cdc, hours="20")
    sessions.record_attendance(session, cdc.p1, actor=cdc.officer)
    short = {s.trainee.code: s.missing for s in records.shortfalls(2010)}
    assert short == {"P1": Decimal("10"), "P2": Decimal("30")}


def test_reminders_go_once_a_month_by_sms_or_mail(cdc):
    result = send_reminders(date(2010, 11, 15))
    assert (result.short, result.sent, result.unreachable) == (2, 2, 0)
    sms = Notification.objects.get(channel="sms")
    assert sms.recipient == "13800000001" and "尚差 24.0 学时" in sms.body
    assert [m.to for m in mail.outbox] == [["li@cdc.example"]]
    assert send_reminders(date(2010, 11, 30)).sent == 0  # same month: already reminded
    out = io.StringIO()
    call_command("training", "remind", "--date", "2010-12-01", stdout=out)
    assert "学时不足 2 人，本次发送提醒 2 条" in out.getvalue()


def test_the_reminder_is_a_scheduled_job(cdc):
    from yizhan.jobs.registry import get

    job = get("training.remind")
    assert job.every is not None


def csv(text: str) -> io.BytesIO:
    return io.BytesIO(text.encode("utf-8"))


HEADER = "teacher_id,course_code,course_name,completed_on,hours,score\n"


def test_online_completions_are_imported_and_reimported(cdc):
    result = import_completions(csv(HEADER + "P1,WS-01,信息技术应用能力提升,2010-05-04,6,92\n"
                                             "P2,WS-01,信息技术应用能力提升,2010-05-06,6,\n"), unit=cdc.cdc,
                                actor=cdc.officer)
    assert (result.created, result.updated) == (2, 0)
    assert Course.objects.get(code="WS-01").kind == "online"
    again = import_completions(csv(HEADER + "P1,WS-01,,2010-05-04,8,95\n"), unit=cdc.cdc, actor=cdc.officer)
    assert (again.created, again.updated) == (0, 1)
    assert records.hours_in(cdc.p1, 2010) == Decimal("8")


def test_a_broken_platform_file_names_each_line_and_field_and_writes_nothing(cdc):
    with pytest.raises(ImportFailed) as exc:
        import_completions(csv(HEADER +
                               "T404,WS-01,课程,2010-05-04,6,90\n"  # unknown teacher
                               "P1,WS-02,,2010-05-04,6,90\n"  # a new course without a name
                               "P1,WS-01,课程,2010-13-01,0,101\n"  # bad date, hours, score
                               "P2,WS-01,课程,2010-05-04,6,\n"
                               "P2,WS-01,课程,2010-05-05,6,\n"),  # twice
                           unit=cdc.cdc, actor=cdc.officer)
    found = {(e.line, e.field) for e in exc.value.errors}
    assert found == {(2, "teacher_id"), (3, "course_name"), (4, "completed_on"), (4, "hours"), (4, "score"),
                     (6, "course_code")}
    assert "T404" in str(exc.value.errors[0].message)
    assert not Completion.objects.exists() and not Course.objects.filter(code="WS-01").exists()
    with pytest.raises(ImportFailed) as exc:
        import_completions(csv("teacher,course\nP1,X\n"), unit=cdc.cdc)
    assert {e.field for e in exc.value.errors} >= {"teacher_id", "teacher"}


def test_the_api_holds_sessions_records_attendance_and_shows_a_record(cdc):
    client = cdc.api(cdc.officer)
    created = client.post("/api/training/sessions", {"course": "C1", "date": "2010-07-06", "title": "内审", "trainer": "陈",
                                                     "hours": "2.5", "topics": ["内部审核"]})
    assert created.status_code == 201, created.content
    session = created.json()["id"]
    line = client.post(f"/api/training/sessions/{session}/attendance", {"trainee": "P1", "score": 75})
    assert line.status_code == 200 and line.json()["passed"] is True
    assert only_error(client.post(f"/api/training/sessions/{session}/attendance", {"trainee": "NOPE"}),
                      422)["field"] == "trainee"
    record = client.get("/api/training/people/P1").json()
    assert record["years"] == [{"year": 2010, "hours": "2.5"}] and record["required_hours"] == "24.0"
    short = client.get("/api/training/shortfalls", year=2010).json()
    assert {s["code"] for s in short} == {"P1", "P2"}
    other = cdc.api(cdc.other)
    assert other.get("/api/training/people/P1").status_code == 404
    assert only_error(other.post("/api/training/sessions", {"course": "C1", "date": "2010-07-06", "title": "内审",
                                                            "trainer": "陈", "hours": 2}), 422)["field"] == "course"


def test_the_attendance_screen_records_a_session_and_the_record_screen_shows_hours(cdc, client):
    session = hold(cdc, hours="2")
    client.login(username="officer", password=password("officer"))
    assert "质量体系" in client.get("/training/").content.decode()
    bad = client.post(f"/training/sessions/{session.pk}/", {f"attended-{cdc.p1.pk}": "on", f"score-{cdc.p1.pk}": "150"})
    assert bad.status_code == 422 and not session.attendances.exists()
    ok = client.post(f"/training/sessions/{session.pk}/", {f"attended-{cdc.p1.pk}": "on", f"score-{cdc.p1.pk}": "88",
                                                           f"attended-{cdc.p2.pk}": "on"})
    assert ok.status_code == 302 and session.attendances.filter(attended=True).count() == 2
    page = client.get("/training/person/", {"code": "P1"}).content.decode()
    assert "张检验" in page and "岗位要求每年 24.0 学时" in page and "<td>2010</td><td>2.0</td>" in page
    client.login(username="other", password=password("other"))
    assert client.get("/training/person/", {"code": "P1"}).status_code == 404
