"""The database's own guard of the audit log: triggers that refuse UPDATE, DELETE and TRUNCATE of
`audit_auditevent` on SQLite and PostgreSQL, whatever code or SQL client tries.

The one sanctioned way round is `discarding_everything`, for throwing a whole database away (the
test runner's flush between tests): inside one transaction it lifts the triggers, lets the caller
empty the tables and puts them back before the transaction ends. On PostgreSQL that needs the rights
of the table's owner, who could drop the triggers anyway."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from yizhan.audit import append_only

TABLE = "audit_auditevent"
MESSAGE = "audit events are append-only"

POSTGRESQL_CREATE = f"""
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION '{MESSAGE}'; END; $$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS audit_event_no_update ON {TABLE};
DROP TRIGGER IF EXISTS audit_event_no_delete ON {TABLE};
DROP TRIGGER IF EXISTS audit_event_no_truncate ON {TABLE};
CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only();
"""
POSTGRESQL_DROP = f"""
DROP TRIGGER IF EXISTS audit_event_no_delete ON {TABLE};
DROP TRIGGER IF EXISTS audit_event_no_truncate ON {TABLE};
"""

# SQLite has no TRUNCATE: its "DELETE FROM t" fast path is turned off by any DELETE trigger.
SQLITE_TRIGGERS = {
    "audit_event_no_update": f"CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON {TABLE} "
                             f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;",
    "audit_event_no_delete": f"CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON {TABLE} "
                             f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;",
}


def install(connection: BaseDatabaseWrapper) -> None:
    """Create (or re-create) every trigger of the audit table."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(POSTGRESQL_CREATE)
        elif connection.vendor == "sqlite":
            for name, sql in SQLITE_TRIGGERS.items():
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
                cursor.execute(sql)


def uninstall_delete_guards(connection: BaseDatabaseWrapper) -> None:
    """Undo `install` down to the UPDATE guard of the first migration (for migrating backwards)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(POSTGRESQL_DROP)
        elif connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER IF EXISTS audit_event_no_delete")


@contextmanager
def discarding_everything(connection: BaseDatabaseWrapper) -> Iterator[None]:
    """Within one transaction, let the caller empty the audit table, the other append-only tables
    (`yizhan.audit.append_only`) and the rest of the database."""
    with transaction.atomic(using=connection.alias):
        others = append_only.guarded_tables(connection)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                for table in (TABLE, *others):
                    cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
            elif connection.vendor == "sqlite":
                for name in SQLITE_TRIGGERS:
                    cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
                for table in others:
                    append_only.uninstall(connection, table)
        yield
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for table in (TABLE, *others):
                    cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
        else:
            install(connection)
            for table in others:
                append_only.install(connection, table)
