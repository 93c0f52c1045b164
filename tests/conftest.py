import pytest

from tests.browser import browser, mark_browser_tests, page  # noqa: F401  (fixtures for every browser test)

# Fixtures through which a test reaches the database under test: pytest-django's (db, transactional_db,
# live_server, the django_db mark) and tests/ops' scratch databases on the same server.
DATABASE_FIXTURES = frozenset({"_django_db_helper", "scratch", "_migrated_template"})


def uses_database(item: pytest.Item) -> bool:
    return (item.get_closest_marker("django_db") is not None
            or not DATABASE_FIXTURES.isdisjoint(getattr(item, "fixturenames", ())))


def pytest_itemcollected(item: pytest.Item) -> None:
    """Mark every test that reaches the database `database` (scripts/test runs those on SQLite and on
    PostgreSQL, the others once), and keep tests/ops on one worker when pytest-xdist runs several
    (--dist loadgroup): they share one migrated template database per run."""
    if uses_database(item):
        item.add_marker(pytest.mark.database)
    if item.path.parent.name == "ops":
        item.add_marker(pytest.mark.xdist_group("ops"))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark browser tests `browser`; put the full 2010 replay first, so that of several workers one
    starts the longest test at once while the others share out the rest."""
    mark_browser_tests(items)
    items.sort(key=lambda item: item.get_closest_marker("full_replay") is None)


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
