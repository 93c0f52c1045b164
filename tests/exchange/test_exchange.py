"""Teacher exchange: teachers registered with a checked ID, assignments between town and country
for a period (start ≤ end, never two at once), the staff balance before and after a date, imports
that write nothing when a row is broken."""

import io
from datetime import date

import pytest

from tests.factories import VALID_ID, at, only_error
from yizhan.errors import ImportFailed, InvalidInput, NotPermitted
from yizhan.exchange import assignments, balance, teachers
from yizhan.exchange.imports import import_assignments, import_teachers
from yizhan.exchange.models import Assignment, Teacher


def teacher(schools, code="T1", school=None, **kwargs):
    kwargs = {"name": "张老师", "sex": "F", "birth_year": 1975, "subject": "语文", **kwargs}
    return teachers.register(code=code, school=school or schools.town, **kwargs)


def test_a_resident_id_is_checked_when_given(schools):
    with pytest.raises(InvalidInput) as bad:
        teacher(schools, resident_id=VALID_ID[:-1] + ("0" if VALID_ID[-1] != "0" else "1"))
    assert (bad.value.field, bad.value.rule) == ("resident_id", "resident_id_check_digit")
    with pytest.raises(InvalidInput) as mismatch:
        teacher(schools, resident_id=VALID_ID)  # born 1949
    assert mismatch.value.field == "birth_year"
    assert not Teacher.objects.exists()
    # In 2009 a teacher born in 1949 is 60, within the working ages.
    assert teacher(schools, resident_id=VALID_ID, birth_year=1949, at=at("2009-09-01 09:00")).resident_id == VALID_ID


def test_assignments_are_between_town_and_country_and_never_overlap(schools):
    t = teacher(schools)
    with pytest.raises(InvalidInput) as order:
        assignments.assign(t, to_school=schools.vil1, start=date(2009, 9, 1), end=date(2009, 8, 1))
    assert order.value.field == "end"
    other = teacher(schools, code="T2", school=schools.vil1)
    with pytest.raises(InvalidInput) as same_area:
        assignments.assign(other, to_school=schools.vil2, start=date(2009, 9, 1), end=date(2010, 1, 31))
    assert (same_area.value.field, same_area.value.rule) == ("to_school", "same_area")
    assignments.assign(t, to_school=schools.vil1, start=date(2009, 9, 1), end=date(2010, 1, 31))
    with pytest.raises(InvalidInput) as twice:
        assignments.assign(t, to_school=schools.vil2, start=date(2010, 1, 31), end=date(2010, 7, 15))
    assert (twice.value.field, twice.value.rule) == ("start", "overlap")
    assert assignments.assign(t, to_school=schools.vil2, start=date(2010, 2, 1), end=date(2010, 7, 15)).pk


def test_the_balance_before_and_after_moves_the_assigned_teachers(schools):
    t = teacher(schools, birth_year=1982, subject="英语")
    teacher(schools, code="T2", sex="M", birth_year=1960, subject="数学")
    teacher(schools, code="T3", school=schools.vil1, sex="M", birth_year=1970, subject="数学")
    assignments.assign(t, to_school=schools.vil1, start=date(2009, 9, 1), end=date(2010, 1, 31))
    rows = {r["school"].code: r for r in balance.before_and_after(Teacher.objects.all(),
                                                                     [schools.town, schools.vil1], date(2009, 9, 1))}
    town, village = rows["TOWN"], rows["VIL1"]
    assert (town["before"].total, town["after"].total, village["before"].total, village["after"].total) == (2, 1, 1, 2)
    assert village["after"].subject == {"数学": 1, "英语": 1}
    assert village["after"].sex == {"M": 1, "F": 1}
    assert village["after"].age["30岁以下"] == 1  # 27 in 2009


def test_a_broken_import_writes_nothing_and_names_line_and_field(schools):
    data = ("code,name,school,sex,birth_year,subject,resident_id\n"
            "T1,张老师,TOWN,F,1975,语文,\n"
            "T2,李老师,NOPE,F,1975,语文,\n"
            "T3,王老师,VIL1,X,19x5,数学,\n"
            "T4,赵老师,VIL1,M,1975,数学,110105194912310021\n")
    with pytest.raises(ImportFailed) as error:
        import_teachers(io.StringIO(data))
    assert [(e.line, e.field) for e in error.value.errors] == [(4, "birth_year"), (3, "school")]
    assert not Teacher.objects.exists()
    ok = "code,name,school,sex,birth_year,subject\nT1,张老师,TOWN,F,1975,语文\nT2,李老师,TOWN,M,1980,数学\n"
    assert import_teachers(io.StringIO(ok)).created == 2
    overlapping = ("teacher,to_school,start,end\n"
                   "T1,VIL1,2009-09-01,2010-01-31\n"
                   "T1,VIL2,2009-12-01,2010-06-30\n"
                   "T2,VIL2,2010-02-30,2010-06-30\n")
    with pytest.raises(ImportFailed) as clash:
        import_assignments(io.StringIO(overlapping))
    assert [(e.line, e.field) for e in clash.value.errors] == [(4, "start")]
    with pytest.raises(ImportFailed) as clash:
        import_assignments(io.StringIO(overlapping.replace("2010-02-30", "2010-02-28")))
    assert [(e.line, e.field) for e in clash.value.errors] == [(3, "start")]
    assert not Assignment.objects.exists()


def test_the_report_screen_exports_csv_and_the_api_keeps_to_scope(schools, client):
    t = teacher(schools)
    client.force_login(schools.officer)
    api = schools.api(schools.officer)
    made = api.post("/api/exchange/assignments", {"teacher": "T1", "to_school": "VIL1", "start": "2009-09-01",
                                                   "end": "2010-01-31"})
    assert made.status_code == 200, made.content
    again = api.post("/api/exchange/assignments", {"teacher": "T1", "to_school": "VIL2", "start": "2009-10-01",
                                                    "end": "2009-12-31"})
    assert only_error(again, 422)["field"] == "start"
    page = client.get("/exchange/", {"date": "2009-09-01"})
    assert page.status_code == 200 and "红坪村小" in page.content.decode()
    csv = client.get("/exchange/", {"date": "2009-09-01", "export": "csv", "table": "staff-balance-2009-09-01"})
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("学校,时点,合计") and any(line.startswith("红坪村小,交流后,1") for line in lines)
    rows = api.get("/api/exchange/balance", date="2009-09-01").json()
    assert {r["school"]: r["after"]["total"] for r in rows} == {"TOWN": 0, "VIL1": 1, "VIL2": 0}
    assert schools.api(schools.village_clerk).get("/api/exchange/teachers").json() == []
    assert t.pk


def test_the_officer_records_an_assignment_on_the_screen(schools, client):
    teacher(schools)
    client.force_login(schools.officer)
    bad = client.post("/exchange/assign/", {"teacher": "T1", "to_school": schools.vil1.pk, "start": "2009-09-01",
                                            "end": "2009-08-01"})
    assert bad.status_code == 422 and "结束日期不能早于开始日期" in bad.content.decode()
    ok = client.post("/exchange/assign/", {"teacher": "T1", "to_school": schools.vil1.pk, "start": "2009-09-01",
                                           "end": "2010-01-31"})
    assert ok.status_code == 302 and Assignment.objects.get().to_school == schools.vil1
    broken = client.post("/exchange/import/teachers/", {
        "file": io.BytesIO("code,name,school,sex,birth_year,subject\nT9,周老师,VIL1,M,1880,数学\n".encode("gbk"))})
    assert broken.status_code == 422 and "第 2 行" in broken.content.decode() and Teacher.objects.count() == 1


def test_an_officer_moves_only_teachers_between_their_own_schools_on_every_path(schools):
    t = teacher(schools)
    with pytest.raises(NotPermitted) as not_theirs:
        assignments.assign(t, to_school=schools.vil2, start=date(2009, 9, 1), end=date(2010, 1, 31),
                           actor=schools.village_clerk)
    assert not_theirs.value.field == "teacher"
    with pytest.raises(NotPermitted):
        teacher(schools, code="T2", school=schools.town, actor=schools.village_clerk)
    rows = "teacher,to_school,start,end\nT1,VIL2,2009-09-01,2010-01-31\n"
    with pytest.raises(ImportFailed) as imported:
        import_assignments(io.StringIO(rows), actor=schools.village_clerk)
    assert imported.value.errors[0].field == "teacher"
    refused = schools.api(schools.village_clerk).post("/api/exchange/assignments", {
        "teacher": "T1", "to_school": "VIL2", "start": "2009-09-01", "end": "2010-01-31"})
    assert only_error(refused, 404)["field"] == "teacher"
    assert not Assignment.objects.exists()
    assert teacher(schools, code="T3", school=schools.vil2, actor=schools.village_clerk).school == schools.vil2
