"""The database itself refuses to edit an audit event, whatever code path tries."""

from django.db import migrations

SQL = {
    "postgresql": (
        """
        CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
        BEGIN RAISE EXCEPTION 'audit events are append-only'; END; $$ LANGUAGE plpgsql;
        CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent
        FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
        """,
        "DROP TRIGGER IF EXISTS audit_event_no_update ON audit_auditevent;"
        "DROP FUNCTION IF EXISTS audit_event_append_only();",
    ),
    "sqlite": (
        """
        CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent
        BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
        """,
        "DROP TRIGGER IF EXISTS audit_event_no_update;",
    ),
}


def forwards(apps, schema_editor):
    sql = SQL.get(schema_editor.connection.vendor)
    if sql:
        schema_editor.execute(sql[0])


def backwards(apps, schema_editor):
    sql = SQL.get(schema_editor.connection.vendor)
    if sql:
        schema_editor.execute(sql[1])


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
