"""The property manager's day in a real browser: a lease registered through the form (a wrong end
date first, refused and named), the room on the board, the newcomer's registration on the
obligations list and closed there."""

from datetime import timedelta

from django.utils import timezone

from tests.browser import login, screenshot
from tests.factories import password
from tests.tenants.conftest import resident_id
from yizhan.followups.models import FollowUp, FollowUpState
from yizhan.tenants.models import Lease


def test_the_manager_registers_a_lease_and_closes_the_registration(page, live_server, world):
    today = timezone.localdate()
    login(page, "manager", password("manager"))
    page.goto("/tenants/register/")
    form = page.locator("#lease-form")
    form.locator("input[name=contract_no]").fill("JS-2026-0001")
    form.locator("select[name=room]").select_option("A-101")
    form.locator("input[name=name]").fill("陈小明")
    form.locator("input[name=id_number]").fill(resident_id("411302"))
    form.locator("input[name=phone]").fill("13912345678")
    form.locator("input[name=start]").fill(today.isoformat())
    form.locator("input[name=end]").fill((today - timedelta(days=1)).isoformat())
    form.locator("input[name=rent]").fill("1200")
    form.locator("button[type=submit]").click()
    assert "早于起租日期" in page.locator("#error-end").inner_text()
    screenshot(page, "tenants-register-refused")
    assert not Lease.objects.exists()

    page.locator("#lease-form input[name=end]").fill((today + timedelta(days=364)).isoformat())
    page.locator("#lease-form button[type=submit]").click()
    page.wait_for_selector("#tenant-detail")
    assert page.locator("#id-number").inner_text() == resident_id("411302")  # the manager sees it in full

    page.goto("/tenants/")
    assert "1/2" in page.locator("#room-A-101").inner_text()
    assert "河南省" in page.locator("#by-province").inner_text()
    screenshot(page, "tenants-board")

    page.goto("/tenants/obligations/")
    row = page.locator("#obligation-list tr", has_text="陈小明")
    row.locator("input[name=registered_on]").fill(today.isoformat())
    row.locator("input[name=permit_note]").fill("已协助递交居住证申请")
    screenshot(page, "tenants-obligations")
    row.locator("button[type=submit]").click()
    page.wait_for_selector("#obligation-list")
    assert FollowUp.objects.get(kind="tenants.registration").state == FollowUpState.VERIFIED
