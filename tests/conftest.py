import pytest

from tests.browser import browser, mark_browser_tests, page  # noqa: F401  (fixtures for every browser test)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    mark_browser_tests(items)


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


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Test accounts need no strong hashing; PBKDF2 would dominate the run time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_shared_cache(request, django_db_blocker):
    """The database cache's table is no model, so no test's rollback or flush empties it: rate-limit
    counts and cached public figures are cleared after every test that used the database."""
    yield
    if "django_db_setup" in request.fixturenames:
        from django.core.cache import caches

        with django_db_blocker.unblock():
            caches["default"].clear()
