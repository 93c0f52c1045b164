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


@pytest.fixture(autouse=True, scope="session")
def _flush_discards_the_audit_log():
    """Between transactional tests the runner throws the whole database away; the audit log's
    triggers refuse that to everyone else (yizhan.audit.triggers)."""
    from django.db.backends.base.operations import BaseDatabaseOperations

    from yizhan.audit.triggers import discarding_everything

    original = BaseDatabaseOperations.execute_sql_flush

    def execute_sql_flush(self, sql_list):
        with discarding_everything(self.connection):
            original(self, sql_list)

    BaseDatabaseOperations.execute_sql_flush = execute_sql_flush
    yield
    BaseDatabaseOperations.execute_sql_flush = original


@pytest.fixture(autouse=True)
def _empty_shared_cache(request, django_db_blocker):
    """The database cache's table is no model, so no test's rollback or flush empties it: rate-limit
    counts and cached public figures are cleared after every test that used the database."""
    yield
    if "django_db_setup" in request.fixturenames:
        from django.core.cache import caches

        with django_db_blocker.unblock():
            caches["default"].clear()


@pytest.fixture(autouse=True)
def _static_files_without_collectstatic(settings):
    """Pages name their static files through the storage; in production that is WhiteNoise's manifest,
    filled by collectstatic. Tests run on a fresh data directory without it, so they use the plain
    storage, which the live server serves from the finders (app folders and node_modules)."""
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


@pytest.fixture(autouse=True)
def _default_language_after_each_test():
    """A request in English leaves English active in the thread; the next test starts in Chinese again."""
    from django.conf import settings
    from django.utils import translation

    yield
    translation.activate(settings.LANGUAGE_CODE)
