"""The audit log cannot be edited or deleted: not by the ORM's methods, not by its base manager, not by
SQL, on SQLite and PostgreSQL alike."""

import pytest
from django.db import DatabaseError, connection, transaction

from yizhan.audit.log import record
from yizhan.audit.models import AppendOnlyError, AuditEvent


@pytest.fixture
def event(db):
    with transaction.atomic():
        return record("test.thing.changed", ("test.thing", "1"), actor_label="tester", before={"a": 1})


def still_there(event) -> None:
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.action, stored.changes) == ("test.thing.changed", {"before": {"a": 1}})


@pytest.mark.parametrize("way", [
    lambda e: e.delete(),
    lambda e: AuditEvent.objects.filter(pk=e.pk).delete(),
    lambda e: AuditEvent.objects.all().delete(),
    lambda e: AuditEvent._base_manager.all().delete(),
    lambda e: AuditEvent._base_manager.filter(pk=e.pk)._raw_delete(connection.alias),
    lambda e: AuditEvent.objects.filter(pk=e.pk).update(action="x"),
    lambda e: AuditEvent._base_manager.filter(pk=e.pk).update(action="x"),
    lambda e: AuditEvent.objects.bulk_update([e], ["action"]),
    lambda e: AuditEvent.objects.update_or_create(pk=e.pk, defaults={"action": "x"}),
    lambda e: AuditEvent.objects.bulk_create([AuditEvent(pk=e.pk, action="x", object_type="t", object_id="1")],
                                             update_conflicts=True, unique_fields=["id"], update_fields=["action"]),
    lambda e: e.save(),
    lambda e: e.save(force_update=True),
], ids=["delete", "qs-delete", "delete-all", "base-manager-delete", "raw-delete", "qs-update",
        "base-manager-update", "bulk-update", "update-or-create", "upsert", "save", "force-update"])
def test_the_orm_refuses_to_change_or_remove_an_event(event, way):
    event.action = "x"
    with pytest.raises(AppendOnlyError):
        way(event)
    still_there(event)


@pytest.mark.parametrize("sql", [
    "DELETE FROM audit_auditevent",
    "DELETE FROM audit_auditevent WHERE id = %s",
    "UPDATE audit_auditevent SET action = 'x' WHERE id = %s",
    "UPDATE audit_auditevent SET changes = '{}'",
])
def test_the_database_refuses_sql_that_changes_or_removes_events(event, sql):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [event.pk] if "%s" in sql else [])
    still_there(event)


@pytest.mark.django_db(transaction=True)
def test_the_database_refuses_truncate():
    """In a transaction of its own, as an intruder's client would run it (PostgreSQL refuses to
    truncate a table with pending constraint checks of the same transaction anyway)."""
    with transaction.atomic():
        event = record("test.thing.changed", ("test.thing", "1"), actor_label="tester", before={"a": 1})
    statement = ("TRUNCATE audit_auditevent" if connection.vendor == "postgresql"
                 else "DELETE FROM audit_auditevent")  # SQLite's truncate is an unqualified DELETE
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
    still_there(event)


def test_new_events_are_still_written(event):
    with transaction.atomic():
        record("test.thing.changed", ("test.thing", "2"), actor_label="tester")
    assert AuditEvent.objects.filter(object_type="test.thing").count() == 2


@pytest.mark.django_db(transaction=True)
def test_only_discarding_the_whole_database_empties_the_log():
    """The test runner's flush between transactional tests is the one way, and the guards are back
    afterwards."""
    from django.core.management import call_command

    with transaction.atomic():
        record("test.thing.changed", ("test.thing", "1"), actor_label="tester")
    call_command("flush", interactive=False, verbosity=0)
    # (flush reloads the reference tables after it, and their load events are new)
    assert not AuditEvent.objects.filter(object_type="test.thing").exists()
    with transaction.atomic():
        kept = record("test.thing.changed", ("test.thing", "2"), actor_label="tester")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [kept.pk])
