"""Complaints: every one gets a supervisor's finding and a reply; valid ones are counted."""

from datetime import date

import pytest

from tests.hall.conftest import at
from yizhan.errors import IllegalTransition, InvalidInput, NotPermitted
from yizhan.hall.complaints import file_complaint, reply_complaint, valid_complaints


def test_complaint_about_a_case_is_against_its_window(hall):
    case = hall.receive()
    complaint = file_complaint(content="等了很久", complainant="张三", case=case, at=at("2010-03-02 10:00"))
    assert (complaint.window, complaint.department) == (hall.w11, hall.d1)


def test_only_a_supervisor_replies_once_and_valid_ones_count(hall):
    c1 = file_complaint(content="态度差", complainant="甲", window=hall.w11, at=at("2010-03-02 10:00"))
    c2 = file_complaint(content="排队久", complainant="乙", window=hall.w21, at=at("2010-03-03 10:00"))
    with pytest.raises(NotPermitted):
        reply_complaint(c1, finding="valid", reply="已处理", by=hall.head, at=at("2010-03-02 11:00"))
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
