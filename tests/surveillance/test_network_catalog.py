import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from yizhan.errors import ImportFailed
from yizhan.hall.org_csv import import_org
from yizhan.org.models import OrgUnit
from yizhan.surveillance.catalog import report_hours_on
from yizhan.surveillance.models import DetectorConfig, Disease

from .conftest import DIVISIONS, NETWORK


def test_import_units_command_builds_the_cdc_network_placed_in_its_divisions(db, tmp_path):
    (tmp_path / "local.csv").write_text(DIVISIONS, encoding="utf-8")
    call_command("divisions", "import-local", str(tmp_path / "local.csv"), stdout=StringIO())
    path = tmp_path / "units.csv"
    path.write_text(NETWORK, encoding="utf-8")
    out = StringIO()
    call_command("org", "import-units", str(path), stdout=out)
    assert "6" in out.getvalue()
    village = OrgUnit.objects.get(code="V0102")
    assert village.path == "/CDC/T01/V0102/"
    assert village.ancestor_of_kind("cdc").code == "CDC"
    assert village.division.full_name == "广东省江门市开平市赤坎镇东郊村"


def test_import_units_reports_every_broken_row_and_writes_nothing(db, tmp_path):
    path = tmp_path / "units.csv"
    path.write_text("code,name,parent_code,kind\nCDC,疾控,,cdc\nV1,村,CDC,village\nT1,镇,NOPE,township\n"
                    "X,未知,CDC,hospital\n", encoding="utf-8")
    with pytest.raises(CommandError) as err:
        call_command("org", "import-units", str(path))
    text = str(err.value)
    assert "第 3 行" in text and "parent_code" in text
    assert "第 4 行" in text and "NOPE" in text
    assert "第 5 行" in text and "kind" in text
    assert not OrgUnit.objects.exists()


def test_the_hall_import_still_takes_only_hall_kinds(db):
    with pytest.raises(ImportFailed) as err:
        import_org(StringIO(NETWORK))
    assert err.value.errors[0].field == "kind"


def test_catalog_is_loaded_with_classes_limits_and_dated_changes(db):
    plague, covid, mpox, flu = (Disease.objects.get(code=c) for c in ("A20", "U07.1", "B04", "J11"))
    assert plague.disease_class == "A" and report_hours_on(plague, date(2024, 1, 1)) == 2
    assert report_hours_on(covid, date(2022, 12, 31)) == 2
    assert report_hours_on(covid, date(2023, 1, 8)) == 24
    assert mpox.disease_class == "B" and mpox.changes[0]["date"] == "2023-09-20"
    assert "2023-09-20" in mpox.changes[0]["source"]
    assert report_hours_on(flu, date(2024, 1, 1)) == 24
    assert Disease.objects.get(code="X-UP").report_hours == 2
    # Single-case alerts run at the village level with threshold 1; MPM per township.
    assert DetectorConfig.objects.get(disease=plague).level == "village"
    assert DetectorConfig.objects.get(disease=flu).method == "mpm"


def test_diseases_command_lists_the_catalog_as_json(db):
    out = StringIO()
    call_command("surveillance", "diseases", "--json", stdout=out)
    rows = {r["code"]: r for r in json.loads(out.getvalue())}
    assert rows["A00"]["name"] == "霍乱" and rows["A00"]["name_en"] == "Cholera"
    assert rows["A00"]["report_hours"] == 2 and rows["A00"]["default_method"] == "fixed"
    assert rows["B08.4"]["class"] == "C"


def test_a_disease_edit_in_the_admin_is_an_audit_event(admin_user, client):
    from yizhan.audit.models import AuditEvent

    client.force_login(admin_user)
    disease = Disease.objects.get(code="B26")
    response = client.get(f"/admin/surveillance/disease/{disease.pk}/change/")
    assert response.status_code == 200
    form = response.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update({"name_en": "Mumps (parotitis)", "subtypes": "[]", "changes": "[]", "sources": "[]",
                 "detectors-TOTAL_FORMS": "1", "detectors-INITIAL_FORMS": "1", "detectors-MIN_NUM_FORMS": "0",
                 "detectors-MAX_NUM_FORMS": "1000", "active": "on"})
    config = DetectorConfig.objects.get(disease=disease)
    data.update({"detectors-0-id": config.pk, "detectors-0-disease": disease.pk, "detectors-0-level": config.level,
                 "detectors-0-method": config.method, "detectors-0-params": "{}", "detectors-0-active": "on"})
    data.pop("acute_chronic", None)
    response = client.post(f"/admin/surveillance/disease/{disease.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    disease.refresh_from_db()
    assert disease.name_en == "Mumps (parotitis)"
    event = AuditEvent.objects.filter(object_type="surveillance.disease", object_id=str(disease.pk),
                                      action="surveillance.disease.changed").get()
    assert "name_en" in event.changes["fields"]
