"""Follow-up items on the clock: opened with a working-day deadline, completed by their owner,
verified by a second person or sent back with a new deadline; figures count them; the list, the
screen and the API show only the scope's items."""

import pytest

from tests.factories import at, only_error
from yizhan.audit.models import AuditEvent
from yizhan.clock.accountability import breached_timers
from yizhan.clock.limits import Limit
from yizhan.errors import IllegalTransition, InvalidInput, NotPermitted
from yizhan.followups import service
from yizhan.followups.models import FollowUp, FollowUpState


def test_an_item_is_due_on_the_working_day_calendar_and_done_on_time(office):
    item = office.item()
    # 1 March 2010 is a Monday: five working days later is Monday 8 March, end of day.
    assert item.timer.deadline == at("2010-03-08 23:59:59.999999")
    done = service.complete(item, note="已安装温度监控", at=at("2010-03-05 10:00"), actor=office.owner)
    assert (done.state, done.on_time, done.done_by) == (FollowUpState.VERIFIED, True, office.owner)
    assert list(AuditEvent.objects.filter(object_id=str(item.pk)).values_list("action", flat=True)) == [
        "followups.opened", "followups.completed"]


def test_a_late_item_is_accountable_and_counted_late(office):
    item = office.item()
    assert list(breached_timers(at("2010-03-09 09:00"))) == [item.timer]
    service.complete(item, note="迟办", at=at("2010-03-10 10:00"), actor=office.owner)
    figures = service.figures(FollowUp.objects.all(), now=at("2010-03-10 11:00"))
    assert (figures["done"], figures["done_on_time"], figures["on_time_share"]) == (1, 0, 0.0)


def test_verification_needs_a_second_person_and_can_send_the_item_back(office):
    item = office.item(needs_verification=True)
    item = service.complete(item, note="已整改", at=at("2010-03-02 10:00"), actor=office.owner)
    assert item.state == FollowUpState.DONE
    with pytest.raises(NotPermitted) as same:
        service.verify(item, effective=True, note="自验", actor=office.owner, at=at("2010-03-03 10:00"))
    assert same.value.rule == "second_person"
    with pytest.raises(InvalidInput) as no_limit:
        service.verify(item, effective=False, note="无效", actor=office.manager, at=at("2010-03-03 10:00"))
    assert no_limit.value.field == "reopen_limit"
    back = service.verify(item, effective=False, note="仍无记录", reopen_limit=Limit.days(3), actor=office.manager,
                          at=at("2010-03-03 10:00"))
    assert (back.state, back.reopened, back.timer.deadline) == (FollowUpState.OPEN, 1, at("2010-03-08 23:59:59.999999"))
    service.complete(back, note="补建完成", at=at("2010-03-04 10:00"), actor=office.owner)
    ok = service.verify(FollowUp.objects.get(pk=item.pk), effective=True, note="有效", actor=office.manager,
                        at=at("2010-03-05 10:00"))
    assert ok.state == FollowUpState.VERIFIED and ok.verified_by == office.manager


def test_someone_outside_the_unit_cannot_complete_it(office):
    item = office.item()
    with pytest.raises(NotPermitted):
        service.complete(item, note="x", actor=office.epi_owner, at=at("2010-03-02 10:00"))
    with pytest.raises(InvalidInput) as empty:
        service.complete(item, note="  ", actor=office.owner, at=at("2010-03-02 10:00"))
    assert empty.value.field == "note"
    service.cancel(item, reason="并入其他整改", actor=office.manager, at=at("2010-03-02 10:00"))
    with pytest.raises(IllegalTransition):
        service.complete(item, note="x", actor=office.owner, at=at("2010-03-02 11:00"))


def test_the_api_and_the_screen_show_the_scope_only(office, client):
    mine = office.item()
    office.item(unit=office.epi, owner=office.epi_owner, title="流调报告超时，修订报告流程")
    assert [i["id"] for i in office.api(office.owner).get("/api/followups").json()] == [mine.pk]
    assert len(office.api(office.manager).get("/api/followups").json()) == 2
    other = FollowUp.objects.exclude(pk=mine.pk).get()
    assert office.api(office.owner).post(f"/api/followups/{other.pk}/complete", {"note": "x"}).status_code == 404
    done = office.api(office.owner).post(f"/api/followups/{mine.pk}/complete", {"note": "已安装"})
    assert done.status_code == 200 and done.json()["state"] == "verified"
    again = office.api(office.owner).post(f"/api/followups/{mine.pk}/complete", {"note": "again"})
    assert only_error(again, 409)["rule"] == "not_open"

    client.login(username="epi", password="pw-epi")
    page = client.get("/followups/")
    assert page.status_code == 200
    assert "流调报告超时" in page.content.decode() and "温度记录缺失" not in page.content.decode()
    refused = client.post(f"/followups/{other.pk}/complete/", {"note": ""})
    assert refused.status_code == 422
    assert client.post(f"/followups/{other.pk}/complete/", {"note": "流程已修订"}).status_code == 302
    assert FollowUp.objects.get(pk=other.pk).state == FollowUpState.VERIFIED
