"""Admin of the service pieces: commitments entered with the badge number (text, no photo), ratings
and rectifications read-only with their history, lists limited to the user's scope."""


import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from tests.factories import at
from yizhan.audit.models import AuditEvent
from yizhan.hall import cases as engine
from yizhan.hall.models import Commitment, Rating, StaffProfile
from yizhan.hall.ratings import rate_case


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def test_a_commitment_is_entered_in_the_admin_with_its_audit_event(hall, admin_client):
    staff = StaffProfile.objects.create(user=hall.clerk, name="李窗口", badge_no="KP0101", unit=hall.w11)
    response = admin_client.post(reverse("admin:hall_commitment_add"), {
        "staff": staff.pk, "text": "微笑服务，一次告知", "posted_on": "2010-03-01", "active": "on", "sort": "1"})
    assert response.status_code == 302
    assert Commitment.objects.get().text == "微笑服务，一次告知"
    assert AuditEvent.objects.filter(action="hall.commitment.created").exists()
    form = admin_client.get(reverse("admin:hall_commitment_add")).content.decode()
    assert 'type="file"' not in form  # text only, no photo


def test_ratings_are_read_only_and_listed_within_the_scope(hall, admin_client, client):
    case = hall.accepted(hall.spot)
    case = engine.complete_on_the_spot(case, at=at("2010-03-01 09:30"), actor=hall.clerk)
    rating = rate_case(case, score=1, at=at("2010-03-01 10:00"))
    page = admin_client.get(reverse("admin:hall_rating_change", args=[rating.pk])).content.decode()
    assert "hall.rating.given" in page and 'name="score"' not in page
    assert admin_client.get(reverse("admin:hall_rectification_changelist")).status_code == 200
    # A staff member with admin access sees only the rows of their own subtree.
    for user in (hall.head, hall.head2):
        user.is_staff = True
        user.save()
        user.user_permissions.add(Permission.objects.get(codename="view_rating"))
    client.force_login(hall.head)
    assert case.case_no in client.get(reverse("admin:hall_rating_changelist")).content.decode()
    client.force_login(hall.head2)
    assert case.case_no not in client.get(reverse("admin:hall_rating_changelist")).content.decode()
    assert Rating.objects.count() == 1


def test_staff_work_phones_are_masked_except_to_the_administrator(hall, admin_client, client):
    from yizhan.org.models import Role

    staff = StaffProfile.objects.create(user=hall.clerk, name="李窗口", badge_no="KP0101", unit=hall.w11,
                                        phone="13812345678")
    head = hall.grant(hall.head, "hall.view_staffprofile", "hall.change_staffprofile")
    client.force_login(head)
    listing = client.get(reverse("admin:hall_staffprofile_changelist")).content.decode()
    assert "李窗口" in listing and "138****5678" in listing and "13812345678" not in listing
    page = client.get(reverse("admin:hall_staffprofile_change", args=[staff.pk])).content.decode()
    assert "138****5678" in page and "13812345678" not in page and 'name="phone"' not in page
    # Saving the page without the phone keeps it; the audit event of the edit holds it masked.
    client.post(reverse("admin:hall_staffprofile_change", args=[staff.pk]), {
        "user": hall.clerk.pk, "name": "李窗口二", "badge_no": "KP0101", "unit": hall.w11.pk,
        "commitments-TOTAL_FORMS": "0", "commitments-INITIAL_FORMS": "0"})
    staff.refresh_from_db()
    assert (staff.name, staff.phone) == ("李窗口二", "13812345678")
    event = AuditEvent.objects.get(action="hall.staffprofile.changed")
    assert "13812345678" not in str(event.changes)
    # The administrator (a role over the centre, or a superuser) sees and edits the number in full.
    administrator = hall.grant(hall.staff("admin2", Role.ADMINISTRATOR, hall.center), "hall.view_staffprofile",
                               "hall.change_staffprofile")
    for user_client in (admin_client, client):
        if user_client is client:
            client.force_login(administrator)
        listing = user_client.get(reverse("admin:hall_staffprofile_changelist")).content.decode()
        assert "13812345678" in listing
        page = user_client.get(reverse("admin:hall_staffprofile_change", args=[staff.pk])).content.decode()
        assert 'name="phone"' in page and 'value="13812345678"' in page
