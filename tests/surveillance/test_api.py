from datetime import date

from yizhan.surveillance.models import AggregateCount, CaseCard

from .conftest import card


def report_body(**overrides):
    return {**card(), "reporting_unit": "V0101", **overrides}


def test_clinic_reports_and_sees_only_its_cards(surveillance, people):
    clinic, other = surveillance.api(people["clinic"]), surveillance.api(people["clinic2"])
    response = clinic.post("/api/surveillance/cards", report_body())
    assert response.status_code == 201, response.content
    card_no = response.json()["card_no"]
    assert [c["card_no"] for c in clinic.get("/api/surveillance/cards").json()] == [card_no]
    assert other.get("/api/surveillance/cards").json() == []
    assert other.get(f"/api/surveillance/cards/{card_no}").status_code == 404
    # A clinic may not report for another clinic.
    assert other.post("/api/surveillance/cards", report_body()).status_code == 403


def test_bad_card_is_refused_with_the_envelope_and_nothing_written(surveillance, people):
    response = surveillance.api(people["clinic"]).post("/api/surveillance/cards", report_body(onset_date="2024-03-09"))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "onset_date"
    assert not CaseCard.objects.exists()


def test_check_lists_errors_and_the_probable_duplicate_before_saving(surveillance, people):
    api = surveillance.api(people["clinic"])
    first = api.post("/api/surveillance/cards", report_body()).json()["card_no"]
    result = api.post("/api/surveillance/cards/check", report_body()).json()
    assert result == {"errors": [], "probable_duplicate": first}
    result = api.post("/api/surveillance/cards/check", report_body(sex="", disease="Z99")).json()
    assert [e["field"] for e in result["errors"]] == ["sex", "disease"]
    assert CaseCard.objects.count() == 1


def test_review_and_signals_figures_for_the_cdc(surveillance, people):
    card_no = surveillance.api(people["clinic"]).post("/api/surveillance/cards", report_body()).json()["card_no"]
    epi = surveillance.api(people["epi"])
    assert surveillance.api(people["township"]).post(f"/api/surveillance/cards/{card_no}/review", {}).status_code == 403
    response = epi.post(f"/api/surveillance/cards/{card_no}/review", {})
    assert response.status_code == 200 and response.json()["state"] == "reviewed"
    assert epi.post(f"/api/surveillance/cards/{card_no}/review", {}).status_code == 409
    today = date.today().isoformat()  # the card was stamped when it reached Yizhan
    assert epi.get("/api/surveillance/figures", **{"from": today, "to": today}).json()["signals"] == 0
    assert epi.get("/api/surveillance/quality", **{"from": "2024-03-01", "to": today}).json()["cards"] == 1


def test_dhis2_import_and_export_over_the_api(surveillance, people):
    epi = surveillance.api(people["epi"])
    body = {"dataValues": [{"dataElement": "J11", "period": "2024W09", "orgUnit": "T02", "value": "5"},
                           {"dataElement": "J11", "period": "2024W09", "orgUnit": "NOPE", "value": "5"}]}
    response = epi.post("/api/surveillance/dhis2/dataValueSets", body)
    assert response.status_code == 409, response.content
    assert response.json()["response"]["conflicts"][0]["object"] == "NOPE"
    assert not AggregateCount.objects.exists()
    response = epi.post("/api/surveillance/dhis2/dataValueSets?atomicMode=NONE", body)
    assert response.json()["response"]["importCount"]["imported"] == 1
    out = epi.get("/api/surveillance/dhis2/dataValueSets", startDate=date(2024, 2, 26), endDate=date(2024, 3, 3)).json()
    assert out["dataValues"] == [{"dataElement": "J11", "period": "2024W9", "orgUnit": "T02",
                                  "categoryOptionCombo": "default", "attributeOptionCombo": "default", "value": "5"}]
    assert surveillance.api(people["clinic"]).post("/api/surveillance/dhis2/dataValueSets", body).status_code == 403


def test_impossible_dates_and_a_nul_are_refused_naming_the_field(surveillance, people):
    api = surveillance.api(people["clinic"])
    for field, value, rule in (("onset_date", "2026-02-30", "date"), ("birth_date", "1980-13-01", "date"),
                               ("diagnosed_at", "2026-12-32T10:00", "datetime"), ("onset_date", "9999-12-31",
                                                                                   "date_range"),
                               ("name", "张\x00三", "nul_byte")):
        response = api.post("/api/surveillance/cards", {**card(**{field: value}), "reporting_unit": "V0101"})
        assert response.status_code == 422, (field, response.content)
        assert {"field": field, "rule": rule} in [{k: e[k] for k in ("field", "rule")}
                                                  for e in response.json()["errors"]], response.content
    assert not CaseCard.objects.exists()
