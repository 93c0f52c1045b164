"""Admin screens: lists with green channel first, read-only case pages with pauses and audit history,
the printable notice, the catalog CSV export action."""

import pytest
from django.urls import reverse

from tests.factories import at
from yizhan.clock.models import PauseReason
from yizhan.hall.models import Case, Matter
from yizhan.hall.notices import issue_notice
from yizhan.hall.pauses import pause_case


@pytest.fixture
def browser(client, admin_user):
    client.force_login(admin_user)
    return client


def test_case_list_puts_green_channel_first_and_filters_by_level(hall, browser):
    plain = hall.accepted(when="2010-03-01 09:00")
    green = hall.accepted(when="2010-03-01 10:00", green_project="翠山湖新区")
    page = browser.get(reverse("admin:hall_case_changelist")).content.decode()
    assert page.index(green.case_no) < page.index(plain.case_no)
    overdue_only = browser.get(reverse("admin:hall_case_changelist"), {"level": "overdue"}).content.decode()
    assert green.case_no in overdue_only and plain.case_no in overdue_only
    assert browser.get(reverse("admin:hall_case_changelist"),
                       {"state": "accepted", "window__id__exact": hall.w11.pk}).status_code == 200


def test_case_page_shows_pauses_and_audit_history(hall, browser):
    case = pause_case(hall.accepted(), reason=PauseReason.EXPERT_REVIEW, note="专家论证", at=at("2010-03-02 09:00"))
    page = browser.get(reverse("admin:hall_case_change", args=[case.pk])).content.decode()
    assert "专家评审" in page and "专家论证" in page
    assert "hall.case.received" in page and "hall.case.accepted" in page and "hall.case.paused" in page
    assert 'name="state"' not in page  # state changes only through the engine


def test_printable_notice(hall, browser):
    notice = issue_notice(hall.receive(), at=at("2010-03-01 10:00"), actor=hall.clerk)
    page = browser.get(reverse("admin:hall_notice_print", args=[notice.pk])).content.decode()
    assert "一次性告知" in page and "申请书" in page and "营业执照" in page and notice.case.case_no in page


def test_catalog_export_action(hall, browser):
    response = browser.post(reverse("admin:hall_matter_changelist"),
                            {"action": "export_csv", "_selected_action": [hall.lic.pk]})
    body = response.content.decode("utf-8-sig")
    assert body.startswith("code,name,department_code")
    assert "LIC,食品经营许可" in body and "SPOT" not in body


def test_matter_edit_in_admin_is_audited(hall, browser):
    url = reverse("admin:hall_matter_change", args=[hall.spot.pk])
    page = browser.get(url)
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "windows"}
    data.update({"name": "个体户名称变更登记", "department": hall.d1.pk, "fee": "0",
                 "materials-TOTAL_FORMS": "0", "materials-INITIAL_FORMS": "0"})
    response = browser.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Matter.objects.get(pk=hall.spot.pk).name == "个体户名称变更登记"
    from yizhan.audit.models import AuditEvent

    event = AuditEvent.objects.get(action="hall.matter.changed")
    assert "name" in event.changes["fields"]


def test_other_admin_lists_render(hall, browser):
    hall.receive()
    for name in ("matter", "notice", "refusal", "consultation", "complaint"):
        assert browser.get(reverse(f"admin:hall_{name}_changelist")).status_code == 200
    assert Case.objects.exists()
