import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.factories import at
from yizhan.surveillance.models import CaseCard

from .conftest import HONGXING, resident_id

HEADER = "name,sex,id_number,birth_date,address_division,house_number,occupation,classification,disease,subtype," \
         "onset_date,diagnosed_at,reported_at,doctor,doctor_phone,filled_on,reporting_unit,entered_by_unit\n"


def test_import_cases_command_keeps_the_other_systems_report_time(network, tmp_path):
    path = tmp_path / "cases.csv"
    path.write_text(HEADER + f"张三,M,{resident_id(date(1980, 5, 1))},1980-05-01,{HONGXING},1号,farmer,confirmed,"
                    "A03,细菌性痢疾,2024-03-01,2024-03-02T10:00,2024-03-02T15:00,李医生,13902221234,2024-03-02,"
                    "V0101,T01\n", encoding="utf-8")
    out = StringIO()
    call_command("surveillance", "import-cases", str(path), stdout=out)
    c = CaseCard.objects.get()
    assert c.entered_by_unit.code == "T01" and c.review_timer is not None
    assert c.reported_at == at("2024-03-02 15:00") and c.residence_unit.code == "V0101"


def test_import_cases_lists_every_broken_row_and_writes_nothing(network, tmp_path):
    bad_id = resident_id(date(1980, 5, 1))[:-1] + "0"
    tail = ",李医生,13902221234,2024-03-02,V0101,\n"
    path = tmp_path / "cases.csv"
    path.write_text(HEADER
                    + f"张三,M,{resident_id(date(1980, 5, 1))},1980-05-01,{HONGXING},1号,farmer,confirmed,A03,"
                      "细菌性痢疾,2024-03-01,2024-03-02T10:00,2024-03-02T15:00" + tail
                    + f"李四,M,{resident_id(date(1980, 5, 1), 124)},1980-05-01,{HONGXING},2号,farmer,confirmed,"
                      "A03,细菌性痢疾,2024-03-05,2024-03-02T10:00,2024-03-02T15:00" + tail
                    + f"王五,M,{bad_id},1980-05-01,{HONGXING},3号,farmer,confirmed,Z99,,2024-03-01,"
                      "2024-03-02T10:00,2024-03-02T15:00,李医生,13902221234,2024-03-02,NOPE,\n", encoding="utf-8")
    with pytest.raises(CommandError) as err:
        call_command("surveillance", "import-cases", str(path))
    text = str(err.value)
    assert "第 3 行，字段 onset_date" in text
    assert "第 4 行，字段 id_number" in text and "第 4 行，字段 disease" in text
    assert "第 4 行，字段 reporting_unit" in text
    assert not CaseCard.objects.exists()


def test_import_dhis2_command_reads_csv_and_answers_the_web_message(network, tmp_path):
    path = tmp_path / "values.csv"
    path.write_text("dataelement,period,orgunit,catoptcombo,attroptcombo,value\nA03,2024W05,V0101,,,3\n",
                    encoding="utf-8")
    out = StringIO()
    call_command("surveillance", "import-dhis2", str(path), "--dry-run", stdout=out)
    message = json.loads(out.getvalue())
    assert message["httpStatusCode"] == 200 and message["response"]["importCount"]["imported"] == 1


def test_import_cases_names_the_line_and_field_of_an_impossible_date(network, tmp_path):
    born = resident_id(date(1980, 5, 1))
    row = f"张三,M,{born},1980-05-01,{HONGXING},1号,farmer,confirmed,A03,细菌性痢疾,2024-03-01,2024-03-02T10:00," \
          "2024-03-02T15:00,李医生,13902221234,2024-03-02,V0101,\n"
    path = tmp_path / "cases.csv"
    path.write_text(HEADER + row.replace("2024-03-01", "2026-02-30") + row.replace("1980-05-01", "1980-13-01")
                    + row.replace("2024-03-02T10:00", "2026-12-32T10:00"), encoding="utf-8")
    with pytest.raises(CommandError) as err:
        call_command("surveillance", "import-cases", str(path))
    text = str(err.value)
    assert "第 2 行，字段 onset_date" in text and "第 3 行，字段 birth_date" in text
    assert "第 4 行，字段 diagnosed_at" in text and "Traceback" not in text
    assert not CaseCard.objects.exists()
