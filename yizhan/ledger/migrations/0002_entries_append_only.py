"""The database refuses to change or delete a ledger entry (a correction is a reversing entry)."""

from django.db import migrations

from yizhan.audit import append_only


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial"), ("audit", "0003_no_delete_or_truncate")]
    operations = [migrations.RunPython(*append_only.operations("ledger_entry"))]
