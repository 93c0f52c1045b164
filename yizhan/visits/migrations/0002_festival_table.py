"""The festival table shipped with the app: Spring Festival and Mid-Autumn with their dates 2004–2030
(data/festivals.json); later edits are made in the admin."""

import json
from datetime import date
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "festivals.json"


def load(apps, schema_editor):
    Festival = apps.get_model("visits", "Festival")
    FestivalDate = apps.get_model("visits", "FestivalDate")
    data = json.loads(DATA.read_text(encoding="utf-8"))
    for item in data["festivals"]:
        festival, _created = Festival.objects.get_or_create(code=item["code"], defaults={
            "name": item["name"], "remind_days": item["remind_days"], "season_days": item["season_days"]})
        for year, day in data["dates"].get(item["code"], {}).items():
            FestivalDate.objects.get_or_create(festival=festival, year=int(year),
                                               defaults={"date": date.fromisoformat(day)})


class Migration(migrations.Migration):
    dependencies = [("visits", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
