import json
from datetime import date

from tests.factories import at, only_error
from yizhan.hall.accountability import sweep
from yizhan.hall.cases import accept_case, approve_case, complete_case, complete_on_the_spot, start_review
from yizhan.hall.consultations import open_consultation
from yizhan.hall.ranking import rank_windows
from yizhan.hall.stats import hall_figures


def march_2010(hall) -> None:
    """Two on-the-spot cases, one promised case completed in time, one left open past every deadline."""
    for when in ("2010-03-01 09:00", "2010-03-02 10:00"):
        case = hall.receive(hall.spot, when=when, accept=True)
        complete_on_the_spot(case, at=at(when.replace(":00", ":30", 1)), actor=hall.clerk)
    case = hall.receive(when="2010-03-03 09:00", accept=True)
    start_review(case, at=at("2010-03-04 09:00"), actor=hall.clerk)
    approve_case(case, at=at("2010-03-05 09:00"), actor=hall.clerk)
    complete_case(case, at=at("2010-03-05 15:00"), actor=hall.clerk)
    late = hall.receive(hall.build, hall.w21, when="2010-03-01 11:00", actor=hall.clerk21)
    accept_case(late, at=at("2010-03-01 11:30"), actor=hall.clerk21)
    open_consultation(window=hall.w11, question="q", asker_name="a", at=at("2010-03-01 09:00"), actor=hall.clerk)
    sweep(at("2010-03-31 18:00"))


def test_the_figures_are_exactly_hall_figures(hall):
    march_2010(hall)
    api = hall.api(hall.clerk)
    response = api.get("/api/hall/figures", **{"from": "2010-03-01", "to": "2010-03-31"})
    assert response.status_code == 200
    expected = hall_figures(date(2010, 3, 1), date(2010, 3, 31)).as_dict()
    assert response.json() == json.loads(json.dumps(expected))
    assert (expected["accepted"], expected["completed"], expected["on_the_spot"]) == (4, 3, 2)
    assert expected["overdue_open"] == 1 and expected["accountability"] == 1
    d1 = api.get("/api/hall/figures", **{"from": "2010-03-01", "to": "2010-03-31", "unit": "D1"}).json()
    assert d1 == json.loads(json.dumps(hall_figures(date(2010, 3, 1), date(2010, 3, 31), hall.d1).as_dict()))
    assert d1["unit"] == "D1" and d1["overdue_open"] == 0


def test_a_bad_period_or_unit_is_named(hall):
    api = hall.api(hall.clerk)
    error = only_error(api.get("/api/hall/figures", **{"from": "2010-03-31", "to": "2010-03-01"}), 422)
    assert (error["field"], error["rule"]) == ("from", "period_order")
    error = only_error(api.get("/api/hall/figures", **{"from": "2010-02-30"}), 422)
    assert error["field"] == "from" and error["rule"].startswith("date")
    error = only_error(api.get("/api/hall/figures", unit="NOPE"), 422)
    assert (error["field"], error["rule"]) == ("unit", "unknown_unit")


def test_the_ranking_is_the_halls(hall):
    march_2010(hall)
    rows = hall.api(hall.supervisor).get("/api/hall/ranking", **{"from": "2010-03-01", "to": "2010-03-31"}).json()
    expected = [r.as_dict() for r in rank_windows(date(2010, 3, 1), date(2010, 3, 31))]
    assert rows == json.loads(json.dumps(expected))
    assert rows[0]["window"] == "W11" and rows[0]["rank"] == 1
    assert {r["window"] for r in rows if r["rank"] is None} == {"W12", "W21"}


def test_accountability_records_within_scope(hall):
    march_2010(hall)
    period = {"from": "2010-03-01", "to": "2010-03-31"}
    [record] = hall.api(hall.supervisor).get("/api/hall/accountability", **period).json()
    assert (record["responsible_unit"], record["department"], record["responsible_user"]) == ("W21", "D2", "clerk21")
    assert record["case_no"] and record["days_overdue"] > 0
    assert hall.api(hall.head).get("/api/hall/accountability", **period).json() == []
    assert hall.api(hall.supervisor).get("/api/hall/accountability", **period, unit="D1").json() == []


def test_early_warnings_within_scope(hall):
    late = hall.receive(hall.build, hall.w21, when="2010-03-01 11:00", actor=hall.clerk21)
    accept_case(late, at=at("2010-03-01 11:30"), actor=hall.clerk21)
    rows = hall.api(hall.supervisor).get("/api/hall/warnings").json()
    assert {(r["case_no"], r["purpose"], r["level"]) for r in rows} == {
        (late.case_no, "promised", "overdue"), (late.case_no, "statutory", "overdue")}
    assert hall.api(hall.clerk).get("/api/hall/warnings").json() == []


def test_calendar_status(hall):
    api = hall.api(hall.clerk)
    status = api.get("/api/calendar/status", **{"from": "2025", "to": "2030"}).json()
    sources = {y["year"]: y["source"] for y in status["years"]}
    assert sources[2025] == "official" and sources[2030] == "missing"
    assert isinstance(status["today_is_workday"], bool)
    error = only_error(api.get("/api/calendar/status", **{"from": "2030", "to": "2025"}), 422)
    assert (error["field"], error["rule"]) == ("from", "year_range")


def test_a_department_asks_for_its_own_figures_only(hall):
    api = hall.api(hall.head2)
    period = {"from": "2010-03-01", "to": "2010-03-31"}
    assert api.get("/api/hall/figures", **period, unit="D2").status_code == 200
    for route in ("/api/hall/figures", "/api/hall/ranking"):
        error = only_error(api.get(route, **period, unit="D1"), 403)
        assert (error["field"], error["rule"]) == ("unit", "out_of_scope")
    assert hall.api(hall.supervisor).get("/api/hall/figures", **period, unit="D1").status_code == 200
