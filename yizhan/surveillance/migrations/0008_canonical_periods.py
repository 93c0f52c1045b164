"""Carries imported aggregate counts forward: period types by DHIS2's names, each period in DHIS2's
canonical form with its last day. Two rows of one week written two ways (2024W05 and 2024W5) were the
same week counted twice; the later import is kept (it is the one a CREATE_AND_UPDATE would have left),
the other removed."""

from django.db import migrations

def forward(apps, schema_editor):
    from yizhan.surveillance.dhis2.periods import PeriodError, parse_period

    model = apps.get_model("surveillance", "AggregateCount")
    kept = {}
    for row in model.objects.order_by("pk").iterator():
        try:
            period = parse_period(row.period)
        except PeriodError:
            continue
        key = (row.disease_id, row.unit_id, period.canonical, row.category_option_combo, row.attribute_option_combo)
        earlier = kept.get(key)
        if earlier is not None:
            model.objects.filter(pk=earlier).delete()
        row.period, row.period_type, row.start, row.end = period.canonical, period.type, period.start, period.end
        row.save(update_fields=["period", "period_type", "start", "end"])
        kept[key] = row.pk


class Migration(migrations.Migration):
    dependencies = [("surveillance", "0007_dhis2_periods_and_combos")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
