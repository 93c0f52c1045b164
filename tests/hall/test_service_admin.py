"""Admin of the service pieces: commitments entered with the badge number (text, no photo), ratings
and rectifications read-only with their history, lists limited to the user's scope."""


import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from tests.hall.conftest import at
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
