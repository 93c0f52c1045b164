"""The API and the screens go through the same services: a school applies, the office approves;
errors name the field (and the list's line); other schools' batches are not found."""

from tests.factories import only_error, password
from tests.subsidies.conftest import rid
from yizhan.subsidies.models import Batch, BatchState


def body(*numbers, programme="LMYB", school="S1"):
    return {"programme": programme, "term": "2010-2", "school": school, "resident_ids": [rid(n) for n in numbers]}


def test_apply_and_approve_through_the_api(bureau):
    response = bureau.api(bureau.clerk1).post("/api/subsidies/batches", body(1, 2))
    assert response.status_code == 201, response.content
    batch = response.json()
    assert (batch["state"], batch["pupils"], batch["amount_fen"]) == ("submitted", 2, 50_000)
    assert bureau.api(bureau.clerk2).get(f"/api/subsidies/batches/{batch['id']}").status_code == 404
    approved = bureau.api(bureau.officer).post(f"/api/subsidies/batches/{batch['id']}/approve", {"note": "同意"})
    assert approved.status_code == 200 and approved.json()["state"] == "paid" and approved.json()["entry"]
    record = bureau.api(bureau.clerk1).get(f"/api/subsidies/pupils/{rid(1)}").json()
    assert record["received_fen"] == 25_000 and record["grants"][0]["programme"] == "LMYB"
    figures = bureau.api(bureau.officer).get("/api/subsidies/figures", by="school").json()
    assert figures[-1] == {"code": "", "name": "", "pupils": 2, "boarders": 1, "boarder_share": 0.5, "grants": 2,
                           "amount_fen": 50_000}
    assert [p["code"] for p in bureau.api(bureau.clerk1).get("/api/subsidies/programmes").json()] == [
        "JSF", "JT", "LMYB", "QN"]


def test_a_pupil_counted_twice_is_refused_naming_the_field_and_line(bureau):
    client = bureau.api(bureau.clerk1)
    assert client.post("/api/subsidies/batches", body(1)).status_code == 201
    error = only_error(client.post("/api/subsidies/batches", body(2, 1)), 422)
    assert error["field"] == "resident_id" and error["line"] == 2 and rid(1) in error["message"]
    assert Batch.objects.count() == 1


def test_unknown_programme_school_and_bad_id_through_the_api(bureau):
    client = bureau.api(bureau.clerk1)
    assert only_error(client.post("/api/subsidies/batches", body(1, programme="NOPE")), 422)["field"] == "programme"
    assert only_error(client.post("/api/subsidies/batches", body(1, school="B-ZZ")), 422)["field"] == "school"
    bad = client.post("/api/subsidies/pupils", {"resident_id": "429021200001010019", "name": "甲", "school": "S1",
                                                "township": "T1"})
    assert only_error(bad, 422)["field"] == "resident_id"


def test_the_clerks_screen_submits_a_list_and_shows_line_errors(bureau, client):
    client.login(username="clerk1", password=password("clerk1"))
    page = client.get("/subsidies/")
    assert page.status_code == 200 and "松柏镇中心小学" in page.content.decode()
    form = {"school": bureau.s1.pk, "programme": "JSF", "term": bureau.term.pk, "resident_ids": f"{rid(2)}\n{rid(1)}"}
    refused = client.post("/subsidies/", form)
    assert refused.status_code == 422
    assert "第 2 行 resident_id" in refused.content.decode() and "不是住宿生" in refused.content.decode()
    assert not Batch.objects.exists()
    form["resident_ids"] = f"{rid(2)}\n{rid(4)}"
    done = client.post("/subsidies/", form)
    assert done.status_code == 302
    assert Batch.objects.get().pupils == 2


def test_the_officers_queue_approves_and_proposes_refusals(bureau, client):
    for n in (1, 2):
        bureau.api(bureau.clerk1).post("/api/subsidies/batches", body(n))
    first, second = Batch.objects.order_by("pk")
    client.login(username="officer", password=password("officer"))
    queue = client.get("/subsidies/queue/").content.decode()
    assert queue.index(f"batch-{first.pk}") < queue.index(f"batch-{second.pk}")
    assert client.post(f"/subsidies/queue/{first.pk}/approve/").status_code == 302
    no_reason = client.post(f"/subsidies/queue/{second.pk}/refuse/", {"note": "", "legal_basis": ""})
    assert no_reason.status_code == 422
    assert client.post(f"/subsidies/queue/{second.pk}/refuse/", {"note": "未公示", "legal_basis": "第八条"}).status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, second.state) == (BatchState.PAID, BatchState.REFUSING)
    # The officer who proposed it cannot confirm it; the office's head can.
    assert client.post(f"/subsidies/queue/{second.pk}/confirm/").status_code == 422
    client.login(username="head", password=password("head"))
    assert client.post(f"/subsidies/queue/{second.pk}/confirm/").status_code == 302
    second.refresh_from_db()
    assert second.state == BatchState.REFUSED
    client.login(username="clerk1", password=password("clerk1"))
    assert client.get("/subsidies/queue/").status_code == 403
