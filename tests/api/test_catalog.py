import csv
import io

from tests.factories import only_error


def test_list_and_filters(hall):
    api = hall.api(hall.outsider)  # the catalog is open to anyone signed in
    assert [m["code"] for m in api.get("/api/hall/matters").json()] == ["BUILD", "LIC", "SPOT"]
    assert [m["code"] for m in api.get("/api/hall/matters", department="D1").json()] == ["LIC", "SPOT"]
    # LIC lists W11 only; SPOT lists no window, so every window of D1 accepts it.
    assert [m["code"] for m in api.get("/api/hall/matters", window="W12").json()] == ["SPOT"]
    assert [m["code"] for m in api.get("/api/hall/matters", window="W11").json()] == ["LIC", "SPOT"]
    assert [m["code"] for m in api.get("/api/hall/matters", kind="on_the_spot").json()] == ["SPOT"]
    assert [m["code"] for m in api.get("/api/hall/matters", green_channel="true").json()] == ["LIC"]
    assert [m["code"] for m in api.get("/api/hall/matters", q="施工").json()] == ["BUILD"]
    hall.build.active = False
    hall.build.save()
    assert [m["code"] for m in api.get("/api/hall/matters", active="false").json()] == ["BUILD"]


def test_bad_filters_are_named(hall):
    api = hall.api(hall.clerk)
    error = only_error(api.get("/api/hall/matters", department="W11"), 422)
    assert (error["field"], error["rule"]) == ("department", "not_a_department")
    error = only_error(api.get("/api/hall/matters", kind="urgent"), 422)
    assert (error["field"], error["rule"]) == ("kind", "enum")


def test_detail(hall):
    m = hall.api(hall.clerk).get("/api/hall/matters/LIC").json()
    assert (m["promised_days"], m["statutory_days"], m["green_channel_days"]) == (5, 20, 2)
    assert m["windows"] == [{"code": "W11", "name": "市场监管一号窗口"}] and not m["any_window_of_department"]
    assert [(x["name"], x["requirement"]) for x in m["materials"]] == [
        ("申请书", "mandatory"), ("营业执照", "mandatory"), ("授权委托书", "conditional")]
    error = only_error(hall.api(hall.clerk).get("/api/hall/matters/NOPE"), 404)
    assert (error["field"], error["rule"]) == ("code", "not_found")


def test_csv_export_in_the_import_columns(hall):
    response = hall.api(hall.clerk).get("/api/hall/matters.csv", department="D1")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert list(rows[0]) == ["code", "name", "department_code", "kind", "statutory_days", "promised_days",
                             "green_channel_days", "materials", "fee", "legal_basis", "window_codes"]
    lic = rows[0]
    assert (lic["code"], lic["department_code"], lic["green_channel_days"]) == ("LIC", "D1", "2")
    assert lic["materials"] == "申请书;营业执照;授权委托书" and lic["window_codes"] == "W11"
    assert [r["code"] for r in rows] == ["LIC", "SPOT"] and rows[1]["green_channel_days"] == ""
