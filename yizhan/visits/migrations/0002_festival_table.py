"""The festival table shipped with the app (yizhan/visits/festival_table.py); later edits are made
in the admin."""

from django.db import migrations

from yizhan.visits.festival_table import load_festival_table


def load(apps, schema_editor):
    load_festival_table(apps.get_model("visits", "Festival"), apps.get_model("visits", "FestivalDate"))


class Migration(migrations.Migration):
    dependencies = [("visits", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
