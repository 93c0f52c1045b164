"""Complaints: every one gets a supervisor's finding and a reply; valid ones are counted."""

from datetime import date

import pytest

from tests.factories import at
from yizhan.errors import IllegalTransition, InvalidInput, NotPermitted
from yizhan.hall.complaints import file_complaint, reply_complaint, valid_complaints


def test_complaint_about_a_case_is_against_its_window(hall):
    case = hall.receive()
    complaint = file_complaint(content="等了很久", complainant="张三", case=case, at=at("2010-03-02 10:00"))
    assert (complaint.window, complaint.department) == (hall.w11, hall.d1)


def test_only_the_head_or_a_supervisor_replies_once_and_valid_ones_count(hall):
    c1 = file_complaint(content="态度差", complainant="甲", window=hall.w11, at=at("2010-03-02 10:00"))
    c2 = file_complaint(content="排队久", complainant="乙", window=hall.w21, at=at("2010-03-03 10:00"))
    with pytest.raises(NotPermitted):
        reply_complaint(c1, finding="valid", reply="已处理", by=hall.head2, at=at("2010-03-02 11:00"))
    with pytest.raises(NotPermitted):
        reply_complaint(c1, finding="valid", reply="已处理", by=hall.clerk, at=at("2010-03-02 11:00"))
    reply_complaint(c1, finding="valid", reply="已批评教育并致歉", by=hall.supervisor, at=at("2010-03-02 11:00"))
    reply_complaint(c2, finding="invalid", reply="经查系高峰时段正常排队", by=hall.supervisor,
                    at=at("2010-04-01 11:00"))
    with pytest.raises(IllegalTransition):
        reply_complaint(c1, finding="invalid", reply="改判", by=hall.supervisor, at=at("2010-03-05 11:00"))
    assert valid_complaints(date(2010, 3, 1), date(2010, 3, 31)) == 1
    assert valid_complaints(date(2010, 3, 1), date(2010, 3, 31), unit=hall.d2) == 0
    assert valid_complaints(date(2010, 3, 3), date(2010, 3, 31)) == 0


def test_complaint_needs_a_target_and_a_finding_from_the_list(hall):
    with pytest.raises(InvalidInput) as info:
        file_complaint(content="不满意", complainant="丙", at=at("2010-03-02 10:00"))
    assert info.value.field == "window"
    c = file_complaint(content="不满意", complainant="丙", window=hall.w11, at=at("2010-03-02 10:00"))
    with pytest.raises(InvalidInput) as info:
        reply_complaint(c, finding="maybe", reply="……", by=hall.supervisor)
    assert info.value.field == "finding"


def badge(hall, user, unit, no):
    from yizhan.hall.models import StaffProfile

    return StaffProfile.objects.create(user=user, name="李窗口", badge_no=no, unit=unit)


def test_a_complaint_about_a_badge_number_is_against_that_persons_window(hall):
    staff = badge(hall, hall.clerk, hall.w11, "KP0101")
    complaint = file_complaint(content="态度生硬", complainant="赵六", badge_no="KP0101", channel="hotline",
                               actor=hall.clerk2, at=at("2010-03-02 10:00"))
    assert (complaint.staff, complaint.window, complaint.department) == (staff, hall.w11, hall.d1)
    assert complaint.registered_by == hall.clerk2 and complaint.get_channel_display() == "服务质量监督热线"
    with pytest.raises(InvalidInput) as info:
        file_complaint(content="态度生硬", complainant="赵六", badge_no="NOPE", at=at("2010-03-02 10:00"))
    assert info.value.field == "badge_no"


def test_a_phone_complaint_is_registered_by_staff_over_the_window(hall):
    with pytest.raises(NotPermitted):
        file_complaint(content="电话投诉", complainant="钱七", window=hall.w11, channel="phone",
                       at=at("2010-03-02 10:00"))
    with pytest.raises(NotPermitted):  # the D2 head does not answer for D1's windows
        file_complaint(content="电话投诉", complainant="钱七", window=hall.w11, channel="phone", actor=hall.head2,
                       at=at("2010-03-02 10:00"))
    complaint = file_complaint(content="电话投诉", complainant="钱七", window=hall.w11, channel="phone",
                               actor=hall.clerk, at=at("2010-03-02 10:00"))
    assert complaint.state == "registered"


def test_a_complaint_runs_on_the_clock_is_investigated_and_ends_with_a_reason(hall, settings):
    from yizhan.clock.models import AccountabilityRecord
    from yizhan.hall.accountability import sweep
    from yizhan.hall.complaints import investigate_complaint

    c = file_complaint(content="多跑了一趟", complainant="孙八", window=hall.w11, at=at("2010-03-01 10:00"))
    assert c.timer.deadline == at("2010-03-08 23:59:59.999999") and c.timer.accountable  # 5 working days
    with pytest.raises(NotPermitted):
        investigate_complaint(c, investigation="调取录像", by=hall.clerk)
    c = investigate_complaint(c, investigation="调取录像核查", by=hall.head, at=at("2010-03-02 10:00"))
    assert c.state == "investigating"
    c = reply_complaint(c, finding="valid", reason="未一次性告知", reply="已致歉并整改", by=hall.head,
                        at=at("2010-03-09 10:00"))
    assert (c.state, c.reason, c.timer.stopped_at) == ("concluded", "未一次性告知", at("2010-03-09 10:00"))
    assert AccountabilityRecord.objects.get(timer=c.timer).department == hall.d1
    late = file_complaint(content="无人答复", complainant="周九", window=hall.w21, at=at("2010-03-01 10:00"))
    sweep(at("2010-03-10 09:00"))
    assert AccountabilityRecord.objects.get(timer=late.timer).days_overdue == 2
    settings.YIZHAN_COMPLAINT_DAYS = 10
    longer = file_complaint(content="……", complainant="吴十", window=hall.w21, at=at("2010-03-01 10:00"))
    assert longer.timer.deadline == at("2010-03-15 23:59:59.999999")
