"""CSV imports of pupils and of a batch (every broken line named, nothing written), the figures per
school and township with the share of boarders, their CSV export, and a pupil's record."""

import io

import pytest

from tests.factories import at, password
from tests.subsidies.conftest import rid
from yizhan.errors import ImportFailed
from yizhan.subsidies import applications, pupils
from yizhan.subsidies.figures import figures
from yizhan.subsidies.models import Batch, Grant, Pupil

SUBMIT, DECIDE = at("2010-11-01 09:00"), at("2010-11-02 10:00")


def csv(text: str) -> io.BytesIO:
    return io.BytesIO(text.encode("utf-8"))


def test_pupils_import_creates_and_updates_by_resident_id(bureau):
    result = pupils.import_pupils(csv(
        "resident_id,name,school_code,township_code,boarder,grade\n"
        f"{rid(21)},新生甲,S1,T1,是,一年级\n"
        f"{rid(1)},学生1,S1,T1,住宿,二年级\n"), actor=bureau.clerk1)
    assert (result.created, result.updated) == (1, 1)
    assert Pupil.objects.get(resident_id=rid(1)).boarder is True


def test_a_broken_pupils_file_names_every_line_and_field_and_writes_nothing(bureau):
    before = Pupil.objects.count()
    with pytest.raises(ImportFailed) as exc:
        pupils.import_pupils(csv(
            "resident_id,name,school_code,township_code,boarder\n"
            "42902120000101001X,甲,S1,T1,是\n"  # bad check digit
            f"{rid(30)},,S9,T1,否\n"  # no name, unknown school
            f"{rid(31)},丙,S2,T1,也许\n"  # another school's pupil for clerk1, bad flag
            f"{rid(32)},丁,S1,T7,否\n"
            f"{rid(32)},丁,S1,T1,否\n"), actor=bureau.clerk1)
    found = {(e.line, e.field) for e in exc.value.errors}
    assert found == {(2, "resident_id"), (3, "name"), (3, "school_code"), (4, "school_code"), (4, "boarder"),
                     (5, "township_code"), (6, "resident_id")}
    assert Pupil.objects.count() == before


def test_a_batch_from_a_file_reports_the_files_lines(bureau):
    lines = pupils.batch_lines(csv(f"resident_id,name\n{rid(2)},学生2\n{rid(1)},学生1\n{rid(4)},学生4\n"))
    with pytest.raises(ImportFailed) as exc:
        applications.apply(programme=bureau.boarding, term=bureau.term, school=bureau.s1, lines=lines, at=SUBMIT,
                           actor=bureau.clerk1)
    [error] = exc.value.errors
    assert (error.line, error.field) == (3, "resident_id") and rid(1) in str(error.message)
    assert not Batch.objects.exists()
    with pytest.raises(ImportFailed) as exc:
        pupils.batch_lines(csv("身份证号\n1\n"))
    assert exc.value.errors[0].field == "resident_id"


def paid_world(bureau):
    for programme, school, clerk, numbers in ((bureau.free, bureau.s1, bureau.clerk1, (1, 2, 3, 4)),
                                              (bureau.boarding, bureau.s1, bureau.clerk1, (2, 4)),
                                              (bureau.free, bureau.s2, bureau.clerk2, (11, 12)),
                                              (bureau.transport, bureau.s2, bureau.clerk2, (11, 12, 13))):
        batch = applications.apply(programme=programme, term=bureau.term, school=school,
                                   resident_ids=[rid(n) for n in numbers], at=SUBMIT, actor=clerk)
        applications.approve(batch, at=DECIDE, actor=bureau.officer)
    # A batch still waiting does not count in the figures.
    applications.apply(programme=bureau.heating, term=bureau.term, school=bureau.s2, resident_ids=[rid(13)],
                       at=SUBMIT, actor=bureau.clerk2)


def test_figures_per_school_and_township(bureau):
    paid_world(bureau)
    by_school = {r.code: r for r in figures(Grant.objects.all(), by="school")}
    assert (by_school["S1"].pupils, by_school["S1"].boarders, by_school["S1"].amount_fen) == (4, 2, 200_000)
    assert by_school["S1"].boarder_share == 0.5
    # S2: three pupils (11 boards), ¥500 两免一补 + ¥300 交通
    assert (by_school["S2"].pupils, by_school["S2"].boarders, by_school["S2"].amount_fen) == (3, 1, 80_000)
    total = by_school[""]
    assert (total.pupils, total.grants, total.amount_fen) == (7, 11, 280_000)
    by_township = {r.name: r for r in figures(Grant.objects.all(), by="township")}
    assert by_township["下谷乡"].pupils == 3 and by_township["松柏镇"].pupils == 4


def test_the_figures_screen_exports_csv_and_the_officer_sees_the_pupils_record(bureau, client):
    paid_world(bureau)
    client.login(username="officer", password=password("officer"))
    response = client.get("/subsidies/figures/?by=school&export=csv&table=subsidies-school")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    assert "S1,松柏镇中心小学,4,2,50.0%,6,\"2,000.00\"" in text
    page = client.get("/subsidies/pupil/", {"resident_id": rid(11)})
    assert page.status_code == 200
    html = page.content.decode()
    assert "两免一补" in html and "交通补助" in html and "¥350.00" in html  # paid
    waiting = client.get("/subsidies/pupil/", {"resident_id": rid(13)}).content.decode()
    assert "冬季取暖补助" in waiting and "待审批" in waiting
    # A school's clerk sees only the school's pupils.
    client.login(username="clerk1", password=password("clerk1"))
    assert client.get("/subsidies/pupil/", {"resident_id": rid(11)}).status_code == 404
