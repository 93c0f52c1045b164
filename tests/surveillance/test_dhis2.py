"""DHIS2 dataValueSets as a DHIS2 server would take and give them: periods of every type in one
canonical form, option combos mapped to the card's disaggregations, CSV, and the WebMessage."""

import json
from datetime import date
from pathlib import Path

import pytest

from tests.factories import at
from yizhan.org.models import OrgUnit, UnitKind
from yizhan.surveillance.dhis2 import export_csv, export_data_value_set, import_data_value_set, read_csv
from yizhan.surveillance.dhis2.periods import PeriodError, parse_period
from yizhan.surveillance.dhis2.webmessage import web_message
from yizhan.surveillance.models import AggregateCount, ComboKind, Disease, OptionCombo
from yizhan.surveillance.review import review_card

from .conftest import LONGTANG, card, report, resident_id

EXAMPLES = Path(__file__).parent / "dhis2_examples"


def values(*rows, **extra):
    return {"dataValues": [{"dataElement": d, "period": p, "orgUnit": u, "value": v, **extra}
                           for d, p, u, v in rows]}


def test_the_week_written_two_ways_is_one_week_stored_as_dhis2_writes_it(network):
    first = import_data_value_set(values(("A03", "2024W05", "T01", "7")))
    assert first["importCount"]["imported"] == 1
    again = import_data_value_set(values(("A03", "2024W5", "T01", "9")))
    assert again["importCount"] == {"imported": 0, "updated": 1, "ignored": 0, "deleted": 0}
    week = AggregateCount.objects.get()
    assert (week.period, week.period_type, week.start, week.end, week.value) == (
        "2024W5", "Weekly", date(2024, 1, 29), date(2024, 2, 4), 9)


@pytest.mark.parametrize(("text", "kind", "start", "end", "canonical"), [
    ("20240115", "Daily", date(2024, 1, 15), date(2024, 1, 15), "20240115"),
    ("2020W53", "Weekly", date(2020, 12, 28), date(2021, 1, 3), "2020W53"),
    ("2015WedW5", "WeeklyWednesday", date(2015, 1, 28), date(2015, 2, 3), "2015WedW5"),
    ("2015ThuW06", "WeeklyThursday", date(2015, 2, 5), date(2015, 2, 11), "2015ThuW6"),
    ("2015SatW7", "WeeklySaturday", date(2015, 2, 14), date(2015, 2, 20), "2015SatW7"),
    ("2015SunW8", "WeeklySunday", date(2015, 2, 22), date(2015, 2, 28), "2015SunW8"),
    ("2015BiW1", "BiWeekly", date(2014, 12, 29), date(2015, 1, 11), "2015BiW1"),
    ("200403", "Monthly", date(2004, 3, 1), date(2004, 3, 31), "200403"),
    ("200401B", "BiMonthly", date(2004, 1, 1), date(2004, 2, 29), "200401B"),
    ("2004Q1", "Quarterly", date(2004, 1, 1), date(2004, 3, 31), "2004Q1"),
    ("2025NovQ1", "QuarterlyNov", date(2024, 11, 1), date(2025, 1, 31), "2025NovQ1"),
    ("2004S1", "SixMonthly", date(2004, 1, 1), date(2004, 6, 30), "2004S1"),
    ("2004AprilS1", "SixMonthlyApril", date(2004, 4, 1), date(2004, 9, 30), "2004AprilS1"),
    ("2025NovS1", "SixMonthlyNov", date(2024, 11, 1), date(2025, 4, 30), "2025NovS1"),
    ("2004", "Yearly", date(2004, 1, 1), date(2004, 12, 31), "2004"),
    ("2004April", "FinancialApril", date(2004, 4, 1), date(2005, 3, 31), "2004April"),
    ("2004July", "FinancialJuly", date(2004, 7, 1), date(2005, 6, 30), "2004July"),
    ("2004Oct", "FinancialOct", date(2004, 10, 1), date(2005, 9, 30), "2004Oct"),
    ("2004Nov", "FinancialNov", date(2003, 11, 1), date(2004, 10, 31), "2004Nov"),
])
def test_every_dhis2_period_type_is_read_to_its_days_and_canonical_string(text, kind, start, end, canonical):
    period = parse_period(text)
    assert (period.type, period.start, period.end, period.canonical) == (kind, start, end, canonical)


@pytest.mark.parametrize("text", ["2021W53", "2024W0", "202413", "2024Q5", "2024S3", "200407B", "2024BiW27",
                                  "20240230", "2024-W05", "W05", "2024Jan"])
def test_a_period_dhis2_has_not_is_refused(text):
    with pytest.raises(PeriodError):
        parse_period(text)


def test_conflicts_name_the_value_its_error_code_property_and_indexes_and_nothing_is_written(network):
    result = import_data_value_set({"dataValues": [
        {"dataElement": "A03", "period": "20240115", "orgUnit": "V0101", "value": "3"},
        {"dataElement": "A03", "period": "20240115", "orgUnit": "XX9", "value": "2"},
        {"dataElement": "A03", "period": "20240116", "orgUnit": "V0101", "value": "-2"},
        {"dataElement": "Z99", "period": "20240115", "orgUnit": "V0101", "value": "1"},
        {"dataElement": "A03", "period": "2021W53", "orgUnit": "V0101", "value": "1"},
        {"dataElement": "A03", "period": "20240117", "orgUnit": "V0101", "value": "1", "categoryOptionCombo": "F_99"},
        {"dataElement": "A03", "period": "20240118", "orgUnit": "XX9", "value": "4"},
    ]})
    message = web_message(result)
    assert (message["httpStatus"], message["httpStatusCode"], message["status"]) == ("Conflict", 409, "ERROR")
    summary = message["response"]
    assert summary["responseType"] == "ImportSummary" and summary["status"] == "ERROR"
    assert summary["importCount"] == {"imported": 0, "updated": 0, "ignored": 7, "deleted": 0}
    by_code = {c["errorCode"]: c for c in summary["conflicts"]}
    assert by_code["E7612"] == {"object": "XX9", "objects": {"orgUnit": "XX9"}, "errorCode": "E7612",
                                "property": "orgUnit", "indexes": [1, 6],
                                "value": "Organisation unit not found or not accessible: `XX9`"}
    assert (by_code["E7619"]["object"], by_code["E7619"]["indexes"]) == ("-2", [2])
    assert (by_code["E7610"]["object"], by_code["E7611"]["object"]) == ("Z99", "2021W53")
    assert (by_code["E7613"]["object"], by_code["E7613"]["property"]) == ("F_99", "categoryOptionCombo")
    assert summary["rejectedIndexes"] == [1, 2, 3, 4, 5, 6]
    assert not AggregateCount.objects.exists()
    partial = web_message(import_data_value_set(values(("A03", "20240115", "V0101", "3"),
                                                       ("A03", "20240115", "XX9", "2")), atomic_mode="NONE"))
    assert (partial["httpStatusCode"], partial["status"]) == (409, "WARNING")
    assert partial["response"]["importCount"]["imported"] == 1


def test_two_disaggregated_values_of_one_disease_are_two_values_not_duplicates(network):
    OptionCombo.objects.create(code="M", kind=ComboKind.CATEGORY, name="男", sex="M")
    OptionCombo.objects.create(code="F", kind=ComboKind.CATEGORY, name="女", sex="F")
    result = import_data_value_set({"dataValues": [
        {"dataElement": "A03", "period": "2024W5", "orgUnit": "T01", "categoryOptionCombo": "M", "value": "3"},
        {"dataElement": "A03", "period": "2024W5", "orgUnit": "T01", "categoryOptionCombo": "F", "value": "4"}]})
    assert result["status"] == "SUCCESS" and result["importCount"]["imported"] == 2
    assert sorted(AggregateCount.objects.values_list("category_option_combo", "value")) == [("F", 4), ("M", 3)]


def test_dhis2s_own_example_payloads_import(network):
    """DHIS2's documented payloads (tests/surveillance/dhis2_examples/README.md), with the diseases,
    units and option combos given DHIS2's identifiers as their codes (idScheme=code)."""
    cdc = network["CDC"]
    for code in ("f7n9E0hX8qk", "DUSpd8Jq3M7"):
        Disease.objects.create(code=code, name=code, name_en=code, disease_class="C", report_hours=24)
    for code in ("DiszpKrYNg8", "FNnj3jKGS7i", "gP6hn503KUX", "OjTS752GbZE"):
        OrgUnit.objects.create(code=code, name=code, kind=UnitKind.TOWNSHIP, parent=cdc)
    for code in ("Prlt0C1RF0s", "V6L425pT3A0"):
        OptionCombo.objects.create(code=code, kind=ComboKind.CATEGORY, name=code)
    j = import_data_value_set(json.loads((EXAMPLES / "dataValueSetJ.json").read_text()))
    assert j["status"] == "SUCCESS" and AggregateCount.objects.get(period="201201").value == 10
    bulk = web_message(import_data_value_set(json.loads((EXAMPLES / "bulk.json").read_text())))
    # The last value names a unit the documentation's own text says does not exist: ignored, as in DHIS2.
    assert (bulk["httpStatusCode"], bulk["status"]) == (409, "ERROR")
    assert bulk["response"]["conflicts"][0]["object"] == "Jkhdsf8sdf4"
    bulk = import_data_value_set(json.loads((EXAMPLES / "bulk.json").read_text()), atomic_mode="NONE")
    assert bulk["importCount"] == {"imported": 3, "updated": 0, "ignored": 1, "deleted": 0}
    csv_result = import_data_value_set(read_csv((EXAMPLES / "csv_format.csv").read_text()))
    assert csv_result["importCount"]["imported"] == 3
    assert sorted(AggregateCount.objects.filter(disease__code="DUSpd8Jq3M7").values_list(
        "unit__code", "category_option_combo", "value")) == [
        ("OjTS752GbZE", "V6L425pT3A0", 9), ("gP6hn503KUX", "Prlt0C1RF0s", 7), ("gP6hn503KUX", "V6L425pT3A0", 10)]


def test_export_counts_by_residence_and_review_date_in_the_cards_disaggregations(network, people):
    OptionCombo.objects.create(code="M_15+", kind=ComboKind.CATEGORY, name="男 15 岁以上", sex="M", age_from=15)
    OptionCombo.objects.create(code="CONF", kind=ComboKind.ATTRIBUTE, name="确诊", classification="confirmed")
    # Reported by a 赤坎 clinic, the patient living in 水口's 龙塘村: counted at 水口's clinic.
    c = report(card(address_division=LONGTANG), unit=network["V0101"])
    girl = report(card(name="小红", sex="F", id_number=resident_id(date(2015, 5, 1), 122), guardian="母亲",
                       classification="clinical"), unit=network["V0101"])
    review_card(c, actor=people["epi"], at=at("2024-03-03 09:00"))
    review_card(girl, actor=people["epi"], at=at("2024-03-03 09:00"))
    import_data_value_set(values(("J11", "2024W09", "T02", "5")))
    out = export_data_value_set(date(2024, 2, 26), date(2024, 3, 10), period_type="Weekly")
    assert out["dataValues"] == [
        {"dataElement": "A03", "period": "2024W9", "orgUnit": "V0101", "categoryOptionCombo": "default",
         "attributeOptionCombo": "default", "value": "1"},
        {"dataElement": "A03", "period": "2024W9", "orgUnit": "V0201", "categoryOptionCombo": "M_15+",
         "attributeOptionCombo": "CONF", "value": "1"},
        {"dataElement": "J11", "period": "2024W9", "orgUnit": "T02", "categoryOptionCombo": "default",
         "attributeOptionCombo": "default", "value": "5"},
    ]
    assert export_csv(out).splitlines()[0] == "dataelement,period,orgunit,catoptcombo,attroptcombo,value"
    by_reporter = export_data_value_set(date(2024, 2, 26), date(2024, 3, 10), reporting_unit=network["T02"])
    assert [v["dataElement"] for v in by_reporter["dataValues"]] == ["J11"]  # imported aggregates only


def test_the_api_takes_csv_and_answers_the_web_message(network, people, client):
    client.force_login(people["epi"])
    body = "dataelement,period,orgunit,catoptcombo,attroptcombo,value\nA03,2024W05,T01,,,3\nA03,2024W5,T02,,,x\n"
    response = client.post("/api/surveillance/dhis2/dataValueSets?atomicMode=NONE", body,
                           content_type="application/csv")
    assert response.status_code == 409
    message = response.json()
    assert message["status"] == "WARNING" and message["response"]["conflicts"][0]["errorCode"] == "E7619"
    assert message["response"]["conflicts"][0]["indexes"] == [1]
    ok = client.post("/api/surveillance/dhis2/dataValueSets", json.dumps(values(("A03", "2024W6", "T01", "2"))),
                     content_type="application/json")
    assert ok.status_code == 200 and ok.json()["message"] == "Import was successful."
    csv_out = client.get("/api/surveillance/dhis2/dataValueSets?startDate=2024-01-29&endDate=2024-02-11",
                         HTTP_ACCEPT="application/csv")
    assert csv_out.status_code == 200 and "A03,2024W5,T01,default,default,3" in csv_out.content.decode()
    bad = client.get("/api/surveillance/dhis2/dataValueSets?startDate=2024-01-29&endDate=2024-02-11&periodType=week")
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "periodType"
