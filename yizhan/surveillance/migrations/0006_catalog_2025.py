"""Brings an installed catalog to the revised 《传染病防治法》 in force since 2025-09-01: names, classes,
dated changes and their sources, the merger of 人感染H7N9禽流感 into 人感染新亚型流感 (J09) and of
阿米巴性痢疾 into 其它感染性腹泻病, from data/diseases.json. Diseases under key surveillance (class KEY)
are local and left as they are; cards keep the disease they were reported with."""

import json
from datetime import date
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "diseases.json"


def forward(apps, schema_editor):
    disease_model = apps.get_model("surveillance", "Disease")
    data = json.loads(DATA.read_text(encoding="utf-8"))
    sources = data["sources"]
    existing = {d.code: d for d in disease_model.objects.all()}
    for entry in data["diseases"]:
        disease = existing.get(entry["code"])
        if disease is None or disease.disease_class == "KEY":
            continue  # a new disease is created by the catalog sync after migrating
        disease.name, disease.name_en, disease.disease_class = entry["name"], entry["name_en"], entry["class"]
        disease.changes = [{**c, "source": sources.get(c["source"], c["source"])} for c in entry.get("changes", [])]
        disease.sources = [sources.get(entry["source"], entry["source"])]
        disease.retired_on = date.fromisoformat(entry["retired_on"]) if entry.get("retired_on") else None
        disease.retired_subtypes = entry.get("retired_subtypes", [])
        disease.replaced_by = existing.get(entry.get("replaced_by", ""))
        disease.save()


class Migration(migrations.Migration):
    dependencies = [("surveillance", "0005_catalog_2025_fields")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
