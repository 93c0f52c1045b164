"""The database refuses to delete audit events or truncate their table, as it already refuses to
edit them (0002)."""

from django.db import migrations

from yizhan.audit import triggers


def forwards(apps, schema_editor):
    triggers.install(schema_editor.connection)


def backwards(apps, schema_editor):
    triggers.uninstall_delete_guards(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_trigger")]
    operations = [
        migrations.AlterModelOptions(
            name="auditevent",
            options={"base_manager_name": "objects", "ordering": ["at", "id"], "verbose_name": "审计事件",
                     "verbose_name_plural": "审计事件"},
        ),
        migrations.RunPython(forwards, backwards),
    ]
