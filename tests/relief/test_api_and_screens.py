"""The API and the screens call the same services: an application is received, decided by the
committee and paid by the treasurer; errors name their field; other people see nothing."""

import io

from tests.factories import only_error, password
from tests.relief.conftest import MATERIALS, rid
from yizhan.ledger.models import Entry
from yizhan.relief.models import Application, ApplicationState, Contribution


def apply_body(n=1, **changes):
    return {"resident_id": rid(n), "illness": "恶性肿瘤", "certificate_no": f"YB-{n}", "requested_fen": 2_000_000,
            "materials": MATERIALS, **changes}


def test_apply_decide_and_pay_through_the_api(bh):
    received = bh.api(bh.welfare).post("/api/relief/funds/BH-RELIEF/applications", apply_body(1))
    assert received.status_code == 201, received.content
    application = received.json()
    assert application["state"] == "submitted" and application["case_state"] == "accepted"
    assert application["deadline"] and application["missing"] == []
    path = f"/api/relief/applications/{application['id']}"
    over = bh.api(bh.chair).post(f"{path}/approve", {"amount_fen": 3_000_001})
    assert only_error(over, 422)["field"] == "amount_fen"
    approved = bh.api(bh.chair).post(f"{path}/approve", {"amount_fen": 2_000_000, "note": "同意"})
    assert approved.status_code == 200 and approved.json()["state"] == "approved"
    assert bh.api(bh.treasurer).get("/api/relief/funds/BH-RELIEF").json()["available_fen"] == 18_000_000
    assert only_error(bh.api(bh.chair).post(f"{path}/pay"), 403)["rule"] == "out_of_scope"
    paid = bh.api(bh.treasurer).post(f"{path}/pay")
    assert paid.status_code == 200 and paid.json()["state"] == "paid" and paid.json()["case_state"] == "completed"
    fund = bh.api(bh.treasurer).get("/api/relief/funds/BH-RELIEF").json()
    assert fund["balance_fen"] == 18_000_000 and fund["rules"]["version"] == "2009-1"
    entries = bh.api(bh.treasurer).get("/api/relief/funds/BH-RELIEF/entries").json()
    assert [e["amount_fen"] for e in entries] == [8_000_000, 12_000_000, -2_000_000]
    report = bh.api(bh.chair).get("/api/relief/funds/BH-RELIEF/report").json()
    assert (report["received_fen"], report["paid_fen"], report["members_helped"]) == (20_000_000, 2_000_000, 1)


def test_refusal_through_the_api_needs_another_member(bh):
    application = bh.api(bh.welfare).post("/api/relief/funds/BH-RELIEF/applications", apply_body(2)).json()
    path = f"/api/relief/applications/{application['id']}"
    assert bh.api(bh.chair).post(f"{path}/refuse", {"reason": "不符", "legal_basis": "第五条"}).status_code == 200
    same = bh.api(bh.chair).post(f"{path}/refusal", {"confirm": True})
    assert only_error(same, 403)["rule"] == "second_person"
    done = bh.api(bh.member).post(f"{path}/refusal", {"confirm": True, "note": "同意"})
    assert done.status_code == 200 and done.json()["state"] == "refused"


def test_missing_materials_notice_and_supplement_through_the_api(bh):
    application = bh.api(bh.welfare).post("/api/relief/funds/BH-RELIEF/applications",
                                          apply_body(3, materials=["救助申请表"])).json()
    assert application["case_state"] == "submitted" and application["missing"] == MATERIALS[1:]
    path = f"/api/relief/applications/{application['id']}"
    assert bh.api(bh.welfare).post(f"{path}/notice").status_code == 200
    supplied = bh.api(bh.welfare).post(f"{path}/materials", {"materials": MATERIALS[1:]}).json()
    assert supplied["case_state"] == "accepted" and supplied["missing"] == []


def test_bad_applications_through_the_api_name_the_field(bh):
    client = bh.api(bh.welfare)
    url = "/api/relief/funds/BH-RELIEF/applications"
    assert only_error(client.post(url, apply_body(resident_id=rid(42))), 422)["field"] == "resident_id"
    assert only_error(client.post(url, apply_body(illness="感冒")), 422)["field"] == "illness"
    assert only_error(client.post(url, apply_body(certificate_no="")), 422)["field"] == "certificate_no"
    assert not Application.objects.exists()
    assert bh.api(bh.outsider).get("/api/relief/funds/BH-RELIEF").status_code == 404
    assert bh.api(bh.outsider).get("/api/relief/funds").json() == []


def test_contributions_and_their_reversal_through_the_api(bh):
    url = "/api/relief/funds/BH-RELIEF/contributions"
    assert only_error(bh.api(bh.chair).post(url, {"kind": "staff", "amount_fen": 100, "contributor": "张"}), 403)
    made = bh.api(bh.treasurer).post(url, {"kind": "staff", "amount_fen": 10_000, "contributor": "张师傅",
                                          "staff_no": "E001"})
    assert made.status_code == 201, made.content
    reversed_ = bh.api(bh.treasurer).post(f"/api/relief/contributions/{made.json()['id']}/reverse",
                                          {"reason": "重复录入"})
    assert reversed_.status_code == 201 and reversed_.json()["amount_fen"] == -10_000
    rows = bh.api(bh.treasurer).get(url).json()
    assert rows[0]["reversed"] is True and bh.balance() == 20_000_000


def test_the_committee_decides_on_the_screens_and_the_treasurer_pays(bh, client):
    application = bh.apply(1)
    client.login(username="chair", password=password("chair"))
    listing = client.get("/relief/BH-RELIEF/applications/").content.decode()
    assert application.case.case_no in listing and "待审议" in listing
    page = client.get(f"/relief/applications/{application.pk}/").content.decode()
    assert "委员会批准" in page and "¥200,000.00" in page
    over = client.post(f"/relief/applications/{application.pk}/approve/", {"amount": "30000.01"})
    assert over.status_code == 422 and "超过每人每年救助上限" in over.content.decode()
    done = client.post(f"/relief/applications/{application.pk}/approve/", {"amount": "25000", "note": "同意"})
    assert done.status_code == 302
    client.login(username="treasurer", password=password("treasurer"))
    assert client.post(f"/relief/applications/{application.pk}/pay/").status_code == 302
    application.refresh_from_db()
    assert application.state == ApplicationState.PAID
    fund_page = client.get("/relief/BH-RELIEF/").content.decode()
    assert "¥175,000.00" in fund_page and "relief_payment" in fund_page
    exported = client.get("/relief/BH-RELIEF/?export=csv&table=relief-ledger-BH-RELIEF")
    assert exported.status_code == 200 and "-25,000.00" in exported.content.decode("utf-8-sig")


def test_the_refusal_on_the_screens_needs_a_second_member(bh, client):
    application = bh.apply(2)
    client.login(username="chair", password=password("chair"))
    client.post(f"/relief/applications/{application.pk}/refuse/", {"note": "不符", "legal_basis": "第五条"})
    same = client.post(f"/relief/applications/{application.pk}/confirm/", {})
    assert same.status_code == 422 and "另一人" in same.content.decode()
    client.login(username="member", password=password("member"))
    assert client.post(f"/relief/applications/{application.pk}/confirm/", {}).status_code == 302
    application.refresh_from_db()
    assert application.state == ApplicationState.REFUSED


def test_the_application_form_refuses_an_unknown_member(bh, client):
    client.login(username="welfare", password=password("welfare"))
    form = {"resident_id": rid(77), "illness": "尿毒症", "certificate_no": "YB", "requested": "1000",
            "materials": MATERIALS}
    refused = client.post("/relief/BH-RELIEF/applications/", form)
    assert refused.status_code == 422 and "不是本基金的会员" in refused.content.decode()
    form["resident_id"] = rid(5)
    done = client.post("/relief/BH-RELIEF/applications/", form)
    assert done.status_code == 302 and Application.objects.get().member.name == "会员5"


def test_the_treasurer_imports_contributions_and_sees_line_errors(bh, client):
    client.login(username="treasurer", password=password("treasurer"))
    bad = io.BytesIO("kind,contributor,amount\nstaff,张,100\nstaff,李,x\n".encode())
    bad.name = "c.csv"
    refused = client.post("/relief/BH-RELIEF/contributions/", {"what": "file", "file": bad})
    assert refused.status_code == 422 and "第 3 行 amount" in refused.content.decode()
    assert Contribution.objects.count() == 2
    good = io.BytesIO("kind,contributor,amount\nstaff,张,100\nstaff,李,50\n".encode())
    good.name = "c.csv"
    assert client.post("/relief/BH-RELIEF/contributions/", {"what": "file", "file": good}).status_code == 302
    assert bh.balance() == 20_015_000
    typed = client.post("/relief/BH-RELIEF/contributions/", {"kind": "company", "contributor": "渤海餐饮有限公司",
                                                            "contributors": 1, "amount": "1,000"})
    assert typed.status_code == 302 and bh.balance() == 20_115_000


def test_the_printable_report_and_who_may_open_the_screens(bh, client):
    client.login(username="chair", password=password("chair"))
    report = client.get("/relief/BH-RELIEF/report/").content.decode()
    assert "size: A4" in report and "职工 800 人捐款 ¥80,000.00" in report and "合计 ¥200,000.00" in report
    assert client.get("/relief/").status_code == 302  # one fund: straight to it
    client.login(username="outsider", password=password("outsider"))
    assert client.get("/relief/BH-RELIEF/").status_code == 403
    client.login(username="chair", password=password("chair"))
    assert client.get("/relief/BH-RELIEF/contributions/").status_code == 403
    assert "/relief/BH-RELIEF/contributions/" not in client.get("/relief/BH-RELIEF/").content.decode()
    client.login(username="treasurer", password=password("treasurer"))
    assert "/relief/BH-RELIEF/contributions/" in client.get("/relief/BH-RELIEF/").content.decode()
    assert Entry.objects.count() == 2
