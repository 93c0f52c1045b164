"""Personal data: ID numbers and phones masked everywhere but a case's own page for staff in scope;
every unmasked view audited; the embedded database's files readable by their owner only."""

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import VALID_ID, Hall
from yizhan.audit.models import AuditEvent
from yizhan.audit.privacy import REVEALED, mask_id, mask_phone
from yizhan.hall.complaints import file_complaint
from yizhan.hall.consultations import open_consultation

MASKED_ID = VALID_ID[:6] + "********" + VALID_ID[-4:]


@pytest.mark.parametrize(("value", "masked"), [
    ("44078319900101123X", "440783********123X"),
    ("91440783MA4UJ2XX1K", "914407********XX1K"),
    ("", ""),
    ("12", "**"),
    ("1234567", "*****67"),
])
def test_id_masks(value, masked):
    assert mask_id(value) == masked


@pytest.mark.parametrize(("value", "masked"), [
    ("13812345678", "138****5678"),
    ("0750-2212345", "075*-***2345"),
    ("+86 138 1234 5678", "+86 1** **** 5678"),
    ("2212345", "*****45"),
    ("", ""),
])
def test_phone_masks(value, masked):
    assert mask_phone(value) == masked


@pytest.fixture
def hall(db, django_user_model) -> Hall:
    return Hall(django_user_model, received_at=None)


@pytest.fixture
def case(hall):
    return hall.receive(applicant_id=VALID_ID, applicant_phone="13812345678", applicant_name="张三丰")


def reveals(obj) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=REVEALED, object_id=str(obj.pk)))


def test_the_api_case_page_shows_the_id_to_staff_in_scope_and_audits_it(hall, case):
    body = hall.api(hall.clerk).get(f"/api/hall/cases/{case.case_no}").json()
    assert body["applicant"]["id"] == VALID_ID
    [event] = reveals(case)
    assert (event.actor, event.object_type, event.changes) == (
        hall.clerk, "hall.case", {"fields": ["applicant_id"], "via": "api"})
    assert event.at is not None


def test_other_api_answers_mask_the_id_and_log_nothing(hall, case):
    accepted = hall.api(hall.clerk).post(f"/api/hall/cases/{case.case_no}/accept").json()
    assert accepted["applicant"]["id"] == MASKED_ID
    listing = hall.api(hall.clerk).get("/api/hall/cases").content.decode()
    assert VALID_ID not in listing and "13812345678" not in listing
    assert reveals(case) == []


def test_staff_of_another_unit_see_nothing_and_nothing_is_logged(hall, case):
    assert hall.api(hall.clerk21).get(f"/api/hall/cases/{case.case_no}").status_code == 404
    assert reveals(case) == []


def test_api_consultations_mask_the_phone(hall):
    c = open_consultation(window=hall.w11, question="?", asker_name="李四", asker_phone="13912345678",
                          actor=hall.clerk)
    api = hall.api(hall.clerk)
    assert [x["asker_phone"] for x in api.get("/api/hall/consultations").json()] == ["139****5678"]
    assert api.get(f"/api/hall/consultations/{c.pk}").json()["asker_phone"] == "139****5678"


@pytest.fixture
def head(hall) -> Client:
    hall.grant(hall.head, "hall.view_case", "hall.view_consultation", "hall.view_complaint")
    client = Client()
    client.force_login(hall.head)
    return client


def test_the_admin_case_page_shows_id_and_phone_to_staff_in_scope_and_audits_each_view(hall, case, head):
    page = head.get(reverse("admin:hall_case_change", args=[case.pk])).content.decode()
    assert VALID_ID in page and "13812345678" in page
    head.get(reverse("admin:hall_case_change", args=[case.pk]))
    events = reveals(case)
    assert len(events) == 2 and {e.actor for e in events} == {hall.head}
    assert events[0].changes == {"fields": ["applicant_id", "applicant_phone"], "via": "admin"}


def test_admin_lists_and_other_pages_mask_phones(hall, case, head):
    c = open_consultation(window=hall.w11, question="?", asker_name="李四", asker_phone="13912345678",
                          actor=hall.clerk)
    complaint = file_complaint(content="太慢", complainant="王五", phone="13712345678", case=case, actor=hall.clerk)
    listing = head.get(reverse("admin:hall_case_changelist")).content.decode()
    assert VALID_ID not in listing and "13812345678" not in listing
    for url, phone, masked in (
        (reverse("admin:hall_consultation_change", args=[c.pk]), "13912345678", "139****5678"),
        (reverse("admin:hall_complaint_change", args=[complaint.pk]), "13712345678", "137****5678"),
    ):
        page = head.get(url).content.decode()
        assert phone not in page and masked in page
    assert reveals(c) == [] and reveals(complaint) == []


def test_the_database_and_data_directory_are_the_owners_only(tmp_path: Path):
    """A first start (migrate) in a fresh data directory creates it 0700 and the SQLite file 0600, and
    narrows a directory that was already there world-readable."""
    data = tmp_path / "data"
    env = {k: v for k, v in os.environ.items() if k != "YIZHAN_DATABASE_URL"}
    env.update(YIZHAN_DATA_DIR=str(data), DJANGO_SETTINGS_MODULE="yizhan.settings")
    old = os.umask(0o022)
    try:
        subprocess.run([sys.executable, "-m", "yizhan", "migrate", "-v0"], env=env, check=True)
        mode = lambda p: stat.S_IMODE(p.stat().st_mode)  # noqa: E731
        assert mode(data) == 0o700
        files = sorted(p.name for p in data.iterdir())
        assert "yizhan.sqlite3" in files
        assert {p.name: mode(p) for p in data.iterdir()} == dict.fromkeys(files, 0o600)
        data.chmod(0o755)
        (data / "yizhan.sqlite3").chmod(0o644)
        subprocess.run([sys.executable, "-m", "yizhan", "check", "-v0"], env=env, check=True,
                       capture_output=True)
        assert mode(data) == 0o700 and mode(data / "yizhan.sqlite3") == 0o600
    finally:
        os.umask(old)


def test_the_printed_notice_masks_the_id_of_an_unnamed_applicant(hall):
    from yizhan.hall.notices import issue_notice, render_notice

    case = hall.receive(applicant_name="", applicant_id=VALID_ID)
    page = render_notice(issue_notice(case, actor=hall.clerk))
    assert MASKED_ID in page and VALID_ID not in page


def test_api_complaints_mask_phones(hall):
    api = hall.api(hall.clerk)
    filed = api.post("/api/hall/complaints", {"complainant": "王五", "content": "等候太久", "window": "W11",
                                              "channel": "phone", "phone": "13712345678"})
    assert filed.status_code == 201, filed.content
    listing = api.get("/api/hall/complaints").content.decode()
    assert "13712345678" not in listing and "137****5678" in listing
