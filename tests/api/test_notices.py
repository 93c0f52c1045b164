from tests.factories import only_error
from yizhan.hall.models import Notice


def received(hall, **extra) -> str:
    body = {"matter": "LIC", "window": "W11", "applicant_name": "张三", **extra}
    return hall.api(hall.clerk).post("/api/hall/cases", body).json()["case_no"]


def test_missing_materials_are_computed_from_the_checklist(hall):
    api = hall.api(hall.clerk)
    no = received(hall)
    assert [m["name"] for m in api.get(f"/api/hall/cases/{no}/missing-materials").json()["missing"]] == [
        "申请书", "营业执照"]
    after = api.post(f"/api/hall/cases/{no}/materials/applicable", {"material": "授权委托书"}).json()
    assert [m["name"] for m in after["missing"]] == ["申请书", "营业执照", "授权委托书"]
    api.post(f"/api/hall/cases/{no}/materials", {"materials": ["申请书"]})
    assert [m["name"] for m in api.get(f"/api/hall/cases/{no}/missing-materials").json()["missing"]] == [
        "营业执照", "授权委托书"]


def test_an_unknown_material_is_named(hall):
    no = received(hall)
    error = only_error(hall.api(hall.clerk).post(f"/api/hall/cases/{no}/materials", {"materials": ["护照"]}), 422)
    assert (error["field"], error["rule"]) == ("materials", "unknown_material")
    error = only_error(hall.api(hall.clerk).post(f"/api/hall/cases/{no}/materials/applicable",
                                                 {"material": "申请书"}), 422)
    assert (error["field"], error["rule"]) == ("material", "not_conditional")


def test_the_notice_lists_everything_missing_and_prints(hall):
    api = hall.api(hall.clerk)
    no = received(hall)
    response = api.post(f"/api/hall/cases/{no}/notices", {})
    assert response.status_code == 201, response.content
    notice = response.json()
    assert notice["seq"] == 1 and [i["name"] for i in notice["items"]] == ["申请书", "营业执照"]
    assert notice["print_url"] == f"/api/hall/cases/{no}/notices/1/print"
    page = api.get(notice["print_url"])
    assert page.status_code == 200 and page["Content-Type"].startswith("text/html")
    html = page.content.decode()
    assert "申请书" in html and "营业执照" in html and no in html
    detail = api.get(f"/api/hall/cases/{no}").json()
    assert detail["awaiting_supplement"] and detail["notices"][0]["print_url"] == notice["print_url"]
    assert api.get(f"/api/hall/cases/{no}/notices").json()[0]["seq"] == 1


def test_nothing_missing_means_no_notice(hall):
    api = hall.api(hall.clerk)
    no = received(hall)
    api.post(f"/api/hall/cases/{no}/materials", {"materials": ["申请书", "营业执照"]})
    error = only_error(api.post(f"/api/hall/cases/{no}/notices", {}), 422)
    assert (error["field"], error["rule"]) == ("materials", "nothing_missing")
    assert not Notice.objects.exists()


def test_a_later_notice_cannot_add_a_material_without_a_supervisor(hall):
    api = hall.api(hall.clerk)
    no = received(hall)
    api.post(f"/api/hall/cases/{no}/notices", {})
    api.post(f"/api/hall/cases/{no}/materials/applicable", {"material": "授权委托书"})
    error = only_error(api.post(f"/api/hall/cases/{no}/notices", {}), 422)
    assert (error["field"], error["rule"]) == ("materials", "not_in_first_notice")
    error = only_error(api.post(f"/api/hall/cases/{no}/notices", {"override_reason": "漏列"}), 403)
    assert error["field"] == "override_by"
    assert Notice.objects.count() == 1
    second = hall.api(hall.supervisor).post(f"/api/hall/cases/{no}/notices", {"override_reason": "首次告知漏列委托书"})
    assert second.status_code == 201
    assert second.json()["override_by"] == "supervisor" and second.json()["seq"] == 2


def test_an_unknown_notice_is_404(hall):
    no = received(hall)
    error = only_error(hall.api(hall.clerk).get(f"/api/hall/cases/{no}/notices/7/print"), 404)
    assert error["field"] == "seq"


def test_a_notice_issued_by_the_system_prints(hall):
    """Notices issued by an import or the demo's replay have no issuing person (actor None)."""
    from yizhan.hall.notices import issue_notice

    case = hall.receive(actor=None, applicant_name="王五")
    issue_notice(case, actor=None, actor_label="import")
    page = hall.api(hall.clerk).get(f"/api/hall/cases/{case.case_no}/notices/1/print")
    assert page.status_code == 200, page.content
    html = page.content.decode()
    assert "告知人：（系统出具）" in html and "申请书" in html and "王五" in html
