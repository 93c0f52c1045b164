"""Scores from CSV (every broken row named by line and field, nothing written), through the API
(a score above the maximum refused naming the field) and on the assessor's sheet screen (checked as
typed, saved in one go), the round page's ranking export and the scope of each."""

import csv
import io

import pytest
from django.test import Client

from tests.factories import only_error, password
from yizhan.assessment import scores_csv
from yizhan.assessment.models import Score
from yizhan.errors import ImportFailed

GOOD = "unit_code,indicator_code,score,evidence_note,evidence_ref\nT1,P03-1,10,,接种证\nT1,P03-2,12,2 名儿童漏种,登记本\n"


def test_a_csv_of_scores_is_imported_and_the_export_reads_back(grassroots):
    result = scores_csv.import_scores(grassroots.round, io.StringIO(GOOD), actor=grassroots.assessor)
    assert (result.created, result.updated) == (2, 0)
    sheet = grassroots.sheet(grassroots.t1)
    assert sheet.scored == 2 and not sheet.complete
    exported = scores_csv.export_csv(grassroots.round, grassroots.round.assessments.filter(unit=grassroots.t1))
    rows = list(csv.DictReader(io.StringIO(exported)))
    assert len(rows) == 6 and rows[1]["score"] == "12.0" and rows[1]["evidence_note"] == "2 名儿童漏种"
    # The exported file, corrected, imports again (its extra columns are ignored).
    rows[1]["score"] = "13"
    out = io.StringIO()
    writer = csv.DictWriter(out, scores_csv.EXPORT)
    writer.writeheader()
    writer.writerows(r for r in rows if r["score"])
    again = scores_csv.import_scores(grassroots.round, io.StringIO(out.getvalue()), actor=grassroots.assessor)
    assert (again.created, again.updated) == (0, 2)
    assert Score.objects.get(indicator__code="P03-2").score == 13


def test_every_broken_row_is_reported_and_nothing_is_written(grassroots):
    text = ("unit_code,indicator_code,score,evidence_note\n"
            "T1,P03-1,11,超了\n"          # line 2: above the maximum of 10
            "T9,P03-1,5,x\n"              # line 3: unit not in the round
            "T1,P01-1,5,x\n"              # line 4: indicator not in the round
            "T1,P03-2,abc,x\n"            # line 5: not a number
            "T1,P03-3,8,\n"               # line 6: a deduction without a note
            "T2,P03-1,10,\n"              # line 7: fine
            "T2,P03-1,10,\n")             # line 8: the same unit and indicator twice
    with pytest.raises(ImportFailed) as failed:
        scores_csv.import_scores(grassroots.round, io.StringIO(text), actor=grassroots.assessor)
    assert [(e.line, e.field) for e in failed.value.errors] == [
        (2, "score"), (3, "unit_code"), (4, "indicator_code"), (5, "score"), (6, "evidence_note"), (8, "unit_code")]
    assert "超过满分" in str(failed.value.errors[0].message)
    assert Score.objects.count() == 0


def test_an_assessor_of_another_subtree_cannot_import_for_units_outside_it(grassroots):
    with pytest.raises(ImportFailed) as failed:
        scores_csv.import_scores(grassroots.round, io.StringIO(GOOD), actor=grassroots.other_assessor)
    assert {(e.line, e.field) for e in failed.value.errors} == {(2, "unit_code"), (3, "unit_code")}


def test_the_api_refuses_a_score_above_the_maximum_naming_the_field(grassroots):
    api = grassroots.api(grassroots.assessor)
    path = "/api/assessment/rounds/R2010/sheets/T1/scores"
    error = only_error(api.post(path, {"scores": [{"indicator": "P03-1", "score": 10},
                                                  {"indicator": "P03-2", "score": 15.5, "evidence_note": "x"}]}), 422)
    assert (error["field"], error["rule"]) == ("score", "above_maximum")
    assert Score.objects.count() == 0
    ok = api.post(path, {"scores": [{"indicator": "P03-1", "score": 9, "evidence_note": "1 本接种证缺失"}]})
    assert ok.status_code == 200 and ok.json()["scores"][0]["score"] == "9.0"
    assert api.get("/api/assessment/rounds/R2010/ranking", kind="township").json()[0]["unit"] in ("T1", "T2")
    programmes = api.get("/api/assessment/programmes").json()
    assert len(programmes) == 9 and sum(p["managed_by_cdc"] for p in programmes) == 6
    imported = api.post("/api/assessment/rounds/R2010/scores.csv", {"csv": "unit_code,indicator_code,score\nT2,P03-1,99\n"})
    assert only_error(imported, 422)["line"] == 2
    assert api.get("/api/assessment/rounds/R2010/scores.csv").content.decode("utf-8-sig").startswith("unit_code,")
    closed = only_error(api.post("/api/assessment/rounds/R2010/close"), 409)
    assert closed["field"] == "assessments"


def test_the_api_shows_nothing_outside_the_scope(grassroots):
    assert grassroots.api(grassroots.outsider).get("/api/assessment/rounds").json() == []
    response = grassroots.api(grassroots.other_assessor).get("/api/assessment/rounds/R2010/sheets/T1")
    assert response.status_code == 404


def _client(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=password(user.username))
    return client


def test_the_sheet_screen_checks_as_typed_and_saves_everything_or_nothing(grassroots):
    client = _client(grassroots.assessor)
    sheet = grassroots.sheet(grassroots.t1)
    url = f"/assessment/sheets/{sheet.pk}/"
    page = client.get(url)
    assert page.status_code == 200 and "P03-2" in page.content.decode()
    check = client.post(url + "check/", {"indicator": "P03-2", "score-P03-2": "16"}, headers={"HX-Request": "true"})
    assert "超过满分" in check.content.decode()
    check = client.post(url + "check/", {"indicator": "P03-2", "score-P03-2": "12", "note-P03-2": "漏种"})
    assert "80%" in check.content.decode()
    refused = client.post(url, {"score-P03-1": "10", "score-P03-2": "16", "note-P03-2": "x"})
    assert refused.status_code == 422 and "超过满分" in refused.content.decode()
    assert Score.objects.count() == 0
    saved = client.post(url, {"score-P03-1": "10", "score-P03-2": "12", "note-P03-2": "漏种", "ref-P03-2": "登记本"})
    assert saved.status_code == 200 and Score.objects.count() == 2
    assert _client(grassroots.outsider).get(url).status_code == 403


def test_the_round_page_ranks_exports_imports_and_closes(grassroots):
    client = _client(grassroots.assessor)
    url = f"/assessment/rounds/{grassroots.round.pk}/"
    for unit in (grassroots.t2, grassroots.v11, grassroots.v12, grassroots.v21, grassroots.v22):
        grassroots.full_marks(unit)
    upload = io.BytesIO(b"unit_code,indicator_code,score\nT1,P03-1,12\n")
    upload.name = "scores.csv"
    refused = client.post(url + "import/", {"file": upload})
    assert refused.status_code == 422 and "超过满分" in refused.content.decode()
    assert Score.objects.filter(assessment__unit=grassroots.t1).count() == 0
    grassroots.full_marks(grassroots.t1, P03_2="6")
    exported = client.get(url, {"export": "csv", "table": "ranking"})
    assert exported.status_code == 200 and "三埠镇卫生院" in exported.content.decode("utf-8-sig")
    assert client.post(url + "close/").status_code == 302
    page = client.get(url).content.decode()
    assert "不合格" in page and "已结束" in page


def test_the_command_line_imports_scores_and_prints_the_ranking(grassroots, tmp_path):
    from django.core.management import CommandError, call_command

    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_text(GOOD, encoding="gbk")
    bad.write_text("unit_code,indicator_code,score\nT1,P03-1,10.55\n", encoding="utf-8")
    out = io.StringIO()
    call_command("assessment", "import-scores", "R2010", str(good), stdout=out)
    assert "2" in out.getvalue() and Score.objects.count() == 2
    with pytest.raises(CommandError) as refused:
        call_command("assessment", "import-scores", "R2010", str(bad))
    assert "score" in str(refused.value)
    out = io.StringIO()
    call_command("assessment", "ranking", "R2010", "--kind", "township", stdout=out)
    assert "三埠镇卫生院" in out.getvalue()
