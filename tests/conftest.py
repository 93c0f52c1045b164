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
