import pytest


@pytest.fixture
def admin_user(django_user_model):
    return django_user_model.objects.create_superuser("admin", "admin@example.org", "pw-admin-123")


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    """Each test sees the calendar its own database holds, not one cached by an earlier test."""
    from yizhan.calendar.workdays import invalidate

    invalidate()
    yield
    invalidate()
