import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.factories import at
from yizhan.surveillance.cards import report_card
from yizhan.surveillance.dhis2 import export_data_value_set, import_data_value_set
from yizhan.surveillance.models import AggregateCount, CaseCard
from yizhan.surveillance.review import review_card

from .conftest import card, resident_id

HEADER = "name,sex,id_number,birth_date,residence,address,occupation,classification,disease,subtype,onset_date," \
         "diagnosed_at,reported_at,doctor,reporting_unit,entered_by_unit\n"


def test_import_cases_command_reports_the_cards(network, tmp_path):
    path = tmp_path / "cases.csv"
    path.write_text(HEADER + f"张三,M,{resident_id(date(1980, 5, 1))},1980-05-01,county,红星村1号,farmer,confirmed,"
                    "A03,细菌性痢疾,2024-03-01,2024-03-02T10:00,2024-03-02T15:00,李医生,V0101,T01\n", encoding="utf-8")
    out = StringIO()
    call_command("surveillance", "import-cases", str(path), stdout=out)
    c = CaseCard.objects.get()
    assert c.entered_by_unit.code == "T01" and c.review_timer is not None


def test_import_cases_lists_every_broken_row_and_writes_nothing(network, tmp_path):
    bad_id = resident_id(date(1980, 5, 1))[:-1] + "0"
    path = tmp_path / "cases.csv"
    path.write_text(HEADER
                    + "张三,M,,1980-05-01,county,红星村1号,farmer,confirmed,A03,细菌性痢疾,2024-03-01,"
                      "2024-03-02T10:00,2024-03-02T15:00,李医生,V0101,\n"
                    + "李四,M,,1980-05-01,county,红星村2号,farmer,confirmed,A03,细菌性痢疾,2024-03-05,"
                      "2024-03-02T10:00,2024-03-02T15:00,李医生,V0101,\n"
                    + f"王五,M,{bad_id},1980-05-01,county,红星村3号,farmer,confirmed,Z99,,2024-03-01,"
                      "2024-03-02T10:00,2024-03-02T15:00,李医生,NOPE,\n", encoding="utf-8")
    with pytest.raises(CommandError) as err:
        call_command("surveillance", "import-cases", str(path))
    text = str(err.value)
    assert "第 3 行，字段 onset_date" in text
    assert "第 4 行，字段 id_number" in text and "第 4 行，字段 disease" in text
    assert "第 4 行，字段 reporting_unit" in text
    assert not CaseCard.objects.exists()


def payload(*values):
    return {"dataValues": [{"dataElement": d, "period": p, "orgUnit": u, "value": v} for d, p, u, v in values]}


def test_dhis2_import_answers_the_import_summary(network):
    result = import_data_value_set(payload(("A03", "20240115", "V0101", "3"), ("A03", "2024W03", "T01", "7"),
                                           ("J11", "202401", "CDC", "40")))
    assert result["status"] == "SUCCESS" and result["conflicts"] == []
    assert result["importCount"] == {"imported": 3, "updated": 0, "ignored": 0, "deleted": 0}
    week = AggregateCount.objects.get(period="2024W03")
    assert week.period_type == "week" and week.start == date(2024, 1, 15)
    again = import_data_value_set(payload(("A03", "20240115", "V0101", "4"), ("A03", "2024W03", "T01", "7")))
    assert again["importCount"] == {"imported": 0, "updated": 1, "ignored": 1, "deleted": 0}
    gone = import_data_value_set(payload(("A03", "20240115", "V0101", "")), strategy="DELETE")
    assert gone["importCount"]["deleted"] == 1


def test_dhis2_bad_values_are_named_and_nothing_is_written(network):
    result = import_data_value_set(payload(("A03", "20240115", "V0101", "3"), ("A03", "20240115", "XX9", "2"),
                                           ("A03", "20240116", "V0101", "-2"), ("Z99", "20240115", "V0101", "1"),
                                           ("A03", "2024Q1", "V0101", "1")))
    assert result["status"] == "ERROR"
    assert result["importCount"] == {"imported": 0, "updated": 0, "ignored": 5, "deleted": 0}
    assert [c["object"] for c in result["conflicts"]] == ["XX9", "A03/V0101/20240116", "Z99", "2024Q1"]
    assert "Organisation unit" in result["conflicts"][0]["value"]
    assert "positive integer" in result["conflicts"][1]["value"]
    assert not AggregateCount.objects.exists()
    partial = import_data_value_set(payload(("A03", "20240115", "V0101", "3"), ("A03", "20240115", "XX9", "2")),
                                    atomic_mode="NONE")
    assert partial["status"] == "WARNING" and partial["importCount"]["imported"] == 1
    assert partial["importCount"]["ignored"] == 1


def test_dhis2_command_dry_run_counts_without_writing(network, tmp_path):
    path = tmp_path / "values.json"
    path.write_text(json.dumps(payload(("A03", "20240115", "V0101", "3"))), encoding="utf-8")
    out = StringIO()
    call_command("surveillance", "import-dhis2", str(path), "--dry-run", stdout=out)
    summary = json.loads(out.getvalue())
    assert summary["importCount"]["imported"] == 1 and summary["importOptions"]["dryRun"] is True
    assert not AggregateCount.objects.exists()


def test_export_gives_official_counts_as_data_values(network, people):
    c = report_card(card(), unit=network["V0101"])
    review_card(c, actor=people["epi"], at=at("2024-03-03 09:00"))
    import_data_value_set(payload(("J11", "2024W09", "T02", "5")))
    out = export_data_value_set(date(2024, 2, 26), date(2024, 3, 10), period_type="week")
    assert out["dataValues"] == [
        {"dataElement": "A03", "period": "2024W09", "orgUnit": "V0101", "value": "1"},
        {"dataElement": "J11", "period": "2024W09", "orgUnit": "T02", "value": "5"},
    ]
