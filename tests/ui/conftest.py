import pytest

from tests.factories import Hall

PASSWORD = "pw-hall-123"


@pytest.fixture
def staff_hall(db, django_user_model) -> Hall:
    """The engine tests' small hall, with passwords so its people can sign in through the login page."""
    hall = Hall(django_user_model)
    for user in (hall.clerk, hall.clerk2, hall.head, hall.head2, hall.supervisor):
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    return hall
