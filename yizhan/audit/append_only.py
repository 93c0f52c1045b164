"""Append-only tables besides the audit log: the database itself refuses UPDATE, DELETE and TRUNCATE
of a table guarded here (a ledger's entries, for instance), on SQLite and PostgreSQL.

A migration guards its table with `migrations.RunPython(*append_only.operations("ledger_entry"))`.
The test runner's flush lifts every guard at once (`yizhan.audit.triggers.discarding_everything`),
finding them by their names' suffix."""

from collections.abc import Callable

from django.db.backends.base.base import BaseDatabaseWrapper

SUFFIX = "_append_only"
MESSAGE = "rows of this table are append-only; correct them with a reversing row"


def _names(table: str) -> dict[str, str]:
    return {verb: f"{table}_no_{verb}{SUFFIX}" for verb in ("update", "delete", "truncate")}


def install(connection: BaseDatabaseWrapper, table: str) -> None:
    """Create (or re-create) the guards of `table`."""
    names = _names(table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            function = f"{table}{SUFFIX}_refuse"
            cursor.execute(f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$ "
                           f"BEGIN RAISE EXCEPTION '{MESSAGE}'; END; $$ LANGUAGE plpgsql")
            for verb, name in names.items():
                level = "STATEMENT" if verb == "truncate" else "ROW"
                cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
                cursor.execute(f"CREATE TRIGGER {name} BEFORE {verb.upper()} ON {table} "
                               f"FOR EACH {level} EXECUTE FUNCTION {function}()")
        elif connection.vendor == "sqlite":
            # SQLite has no TRUNCATE; its "DELETE FROM t" fast path is turned off by any DELETE trigger.
            for verb in ("update", "delete"):
                cursor.execute(f"DROP TRIGGER IF EXISTS {names[verb]}")
                cursor.execute(f"CREATE TRIGGER {names[verb]} BEFORE {verb.upper()} ON {table} "
                               f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END")


def uninstall(connection: BaseDatabaseWrapper, table: str) -> None:
    with connection.cursor() as cursor:
        for name in _names(table).values():
            if connection.vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            elif connection.vendor == "sqlite":
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


def guarded_tables(connection: BaseDatabaseWrapper) -> list[str]:
    """Every table that carries a guard of this module."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT DISTINCT event_object_table FROM information_schema.triggers "
                           "WHERE trigger_name LIKE %s", [f"%{SUFFIX}"])
        elif connection.vendor == "sqlite":
            cursor.execute("SELECT DISTINCT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
                           [f"%{SUFFIX}"])
        else:
            return []
        return [row[0] for row in cursor.fetchall()]


def operations(table: str) -> tuple[Callable, Callable]:
    """(forwards, backwards) for a migration's RunPython that guards `table`."""

    def forwards(apps, schema_editor) -> None:
        install(schema_editor.connection, table)

    def backwards(apps, schema_editor) -> None:
        uninstall(schema_editor.connection, table)

    return forwards, backwards
