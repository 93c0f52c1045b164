"""Scope tests: the hall of tests/factories.py with a row of every scoped kind in each department."""

from dataclasses import dataclass

import pytest
from django.test import Client

from tests.factories import VALID_ID, Hall, at
from yizhan.clock.models import AccountabilityRecord, Timer
from yizhan.hall.accountability import sweep
from yizhan.hall.complaints import file_complaint
from yizhan.hall.consultations import open_consultation
from yizhan.hall.models import Case, Complaint, Consultation, Material, Notice, Refusal
from yizhan.hall.notices import issue_notice
from yizhan.hall.refusals import request_refusal

VIEW_ALL = ("hall.view_case", "hall.view_notice", "hall.view_refusal", "hall.change_refusal",
            "hall.view_consultation", "hall.view_complaint", "clock.view_accountabilityrecord", "clock.view_timer",
            "org.view_staffrole", "org.change_staffrole", "org.view_orgunit")


@dataclass
class Side:
    """One department's rows: an accepted case gone overdue (with timers and an accountability
    record), a submitted case with a one-time notice and a pending refusal, a consultation and a
    complaint."""

    case: Case
    noticed: Case
    notice: Notice
    refusal: Refusal
    consultation: Consultation
    complaint: Complaint
    record: AccountabilityRecord | None = None
    timer: Timer | None = None


def side(hall: Hall, matter, window, clerk) -> Side:
    case = hall.accepted(matter, window, actor=clerk, applicant_id=VALID_ID, applicant_phone="13812345678")
    noticed = hall.receive(matter, window, "2010-03-01 10:00", actor=clerk)
    notice = issue_notice(noticed, at=at("2010-03-01 10:30"), actor=clerk)
    refusal = request_refusal(noticed, kind="refuse_to_accept", reason="不属于受理范围", legal_basis="《行政许可法》第三十二条",
                              by=clerk, at=at("2010-03-01 11:00"))
    consultation = open_consultation(window=window, question="要带什么材料？", asker_name="李四",
                                     asker_phone="13912345678", actor=clerk, at=at("2010-03-01 09:30"))
    complaint = file_complaint(content="等候太久", complainant="王五", phone="13712345678", case=case, actor=clerk,
                               at=at("2010-03-02 09:00"))
    return Side(case, noticed, notice, refusal, consultation, complaint, timer=case.statutory_timer)


@pytest.fixture
def hall(db, django_user_model) -> Hall:
    return Hall(django_user_model)


@pytest.fixture
def world(hall):
    """(hall, mine, theirs): rows of D1 (window W11) and D2 (window W21)."""
    Material.objects.create(matter=hall.build, name="施工图纸", sort=1)
    mine = side(hall, hall.lic, hall.w11, hall.clerk)
    theirs = side(hall, hall.build, hall.w21, hall.clerk21)
    sweep(at("2010-05-04 10:00"))
    for s in (mine, theirs):
        s.record = AccountabilityRecord.objects.get(timer=s.case.statutory_timer)
    return hall, mine, theirs


@pytest.fixture
def head(world):
    """The head of D1, as admin staff allowed to view (and, by permission, change) every scoped model."""
    hall, _mine, _theirs = world
    hall.grant(hall.head, *VIEW_ALL)
    client = Client()
    client.force_login(hall.head)
    return client
