"""The supervisor view: refusals confirmed or sent back, tables in scope, exports."""

import io

from django.urls import reverse

from yizhan.hall.models import CaseState, Refusal, RefusalState
from yizhan.hall.refusals import request_refusal


def _pending(hall, window=None, matter=None):
    from yizhan.hall.cases import receive_case

    case = receive_case(matter=matter or hall.lic, window=window or hall.w11, applicant_name="张三", actor=hall.clerk)
    return request_refusal(case, kind="refuse_to_accept", reason="不属于本部门职权", legal_basis="《行政许可法》第三十二条",
                           by=hall.clerk)


def test_clerks_do_not_open_the_supervisor_view(client, staff_hall):
    client.force_login(staff_hall.clerk)
    assert client.get("/supervisor/").status_code == 403


def test_the_head_confirms_a_refusal_and_the_case_is_refused(client, staff_hall):
    refusal = _pending(staff_hall)
    client.force_login(staff_hall.head)
    page = client.get("/supervisor/")
    assert [r.pk for r in page.context["pending"]] == [refusal.pk]
    client.post(reverse("hall:supervisor-refusal", args=[refusal.pk, "confirm"]), {"note": "同意"})
    refusal.refresh_from_db()
    assert refusal.state == RefusalState.CONFIRMED and refusal.case.state == CaseState.REFUSED_TO_ACCEPT
    printed = client.get(reverse("hall:print-refusal", args=[refusal.case.pk, refusal.pk])).content.decode()
    assert "不予受理决定书" in printed and refusal.case.case_no in printed


def test_sending_back_needs_a_comment(client, staff_hall):
    refusal = _pending(staff_hall)
    client.force_login(staff_hall.head)
    client.post(reverse("hall:supervisor-refusal", args=[refusal.pk, "reject"]), {"note": ""})
    refusal.refresh_from_db()
    assert refusal.state == RefusalState.PENDING
    client.post(reverse("hall:supervisor-refusal", args=[refusal.pk, "reject"]), {"note": "理由不充分，请补充审查"})
    refusal.refresh_from_db()
    assert refusal.state == RefusalState.REJECTED and refusal.review_note == "理由不充分，请补充审查"


def test_a_head_sees_only_refusals_of_their_department(client, staff_hall):
    _pending(staff_hall)
    theirs = _pending(staff_hall, window=staff_hall.w21, matter=staff_hall.build)
    client.force_login(staff_hall.head2)
    assert [r.pk for r in client.get("/supervisor/").context["pending"]] == [theirs.pk]
    other = Refusal.objects.exclude(pk=theirs.pk).get()
    assert client.post(reverse("hall:supervisor-refusal", args=[other.pk, "confirm"])).status_code == 404


def test_every_table_exports_as_csv_and_xlsx(client, staff_hall):
    from openpyxl import load_workbook

    _pending(staff_hall)
    client.force_login(staff_hall.supervisor)
    tables = client.get("/supervisor/").context["tables"]
    assert {"warnings", "refusals", "accountability", "ranking", "figures", "departments", "daily"} <= set(tables)
    for name in tables:
        csv_response = client.get("/supervisor/", {"export": "csv", "table": name})
        assert csv_response["Content-Type"].startswith("text/csv")
        lines = csv_response.content.decode("utf-8-sig").strip().splitlines()
        assert len(lines) == 1 + len(tables[name]["table"].rows)
        xlsx = client.get("/supervisor/", {"export": "xlsx", "table": name})
        sheet = load_workbook(io.BytesIO(xlsx.content)).active
        assert sheet.max_row == 1 + len(tables[name]["table"].rows)
    refusals = client.get("/supervisor/", {"export": "csv", "table": "refusals"}).content.decode("utf-8-sig")
    assert "不属于本部门职权" in refusals


def test_the_period_of_the_figures_is_chosen(client, staff_hall):
    from tests.factories import at
    from yizhan.hall.cases import receive_case

    receive_case(matter=staff_hall.lic, window=staff_hall.w11, applicant_name="张三", actor=staff_hall.clerk,
                 accept=True, at=at("2010-03-02 10:00"))
    client.force_login(staff_hall.supervisor)
    response = client.get("/supervisor/", {"first": "2010-03-01", "last": "2010-03-05"})
    daily = response.context["charts"]["daily"]
    assert daily[1] == ["2010-03-02", 1, 0] and len(daily) == 5
    figures = dict(response.context["tables"]["figures"]["table"].rows)
    assert figures["受理事项"] == "1"


def test_a_refusal_reason_written_as_a_formula_is_exported_as_text_in_csv_and_xlsx(client, staff_hall):
    from openpyxl import load_workbook

    from yizhan.hall.cases import receive_case

    case = receive_case(matter=staff_hall.lic, window=staff_hall.w11, applicant_name="张三", actor=staff_hall.clerk)
    request_refusal(case, kind="refuse_to_accept", reason='=HYPERLINK("http://evil.example/","点此")',
                    legal_basis="@SUM(1+1)", by=staff_hall.clerk)
    client.force_login(staff_hall.supervisor)
    csv_text = client.get("/supervisor/", {"export": "csv", "table": "refusals"}).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_text and "'@SUM(1+1)" in csv_text
    xlsx = client.get("/supervisor/", {"export": "xlsx", "table": "refusals"})
    row = [cell for cell in load_workbook(io.BytesIO(xlsx.content)).active[2]]
    reason = next(c for c in row if "HYPERLINK" in str(c.value))
    assert reason.data_type == "s" and reason.value.startswith("=HYPERLINK")  # text, not a formula
