"""Carries the cards reported before the structured card forward: the 填卡日期 of a card that had
none is the day it reached Yizhan; its free-text address is kept as written and, where it names a
township or village of the reporting unit's county in the division table, placed there; its residence
unit is that division's health unit, else — for a patient the reporter marked as living in this county
— the reporting unit itself, the best attribution the old card allows."""

from django.db import migrations

NETWORK_KINDS = ("village", "township", "cdc")


def lineage(division):
    chain = []
    while division is not None:
        chain.append(division)
        division = division.parent
    return chain[::-1]


def unit_division(unit, units_by_code):
    if unit.division_id:
        return unit.division
    for code in reversed([c for c in unit.path.strip("/").split("/") if c]):
        above = units_by_code.get(code)
        if above is not None and above.division_id:
            return above.division
    return None


def forward(apps, schema_editor):
    from zoneinfo import ZoneInfo

    from django.conf import settings

    card_model = apps.get_model("surveillance", "CaseCard")
    unit_model = apps.get_model("org", "OrgUnit")
    division_model = apps.get_model("divisions", "Division")
    tz = ZoneInfo(settings.TIME_ZONE)
    units_by_code = {u.code: u for u in unit_model.objects.select_related("division")}
    by_division = {}
    for u in sorted(units_by_code.values(), key=lambda u: u.path.count("/")):
        if u.division_id and u.kind in NETWORK_KINDS and u.active:
            by_division[u.division_id] = u
    below = {}
    for card in card_model.objects.select_related("reporting_unit").iterator():
        changed = []
        if card.filled_on is None:
            card.filled_on = card.reported_at.astimezone(tz).date()
            changed.append("filled_on")
        if card.address_division_id is None and card.residence == "county":
            home = unit_division(card.reporting_unit, units_by_code)
            county = next((d for d in lineage(home) if d.level == "county"), None) if home else None
            if county is not None:
                if county.pk not in below:
                    below[county.pk] = sorted(division_model.objects.filter(parent=county), key=lambda d: -len(d.name))
                town = next((d for d in below[county.pk] if d.name in card.address), None)
                if town is not None:
                    rest = card.address[card.address.index(town.name) + len(town.name):]
                    village = next((d for d in sorted(division_model.objects.filter(parent=town),
                                                      key=lambda d: -len(d.name)) if d.name in rest), None)
                    card.address_division = village or town
                    changed.append("address_division")
        if card.residence_unit_id is None:
            place = next((by_division[d.pk] for d in reversed(lineage(card.address_division))
                          if d.pk in by_division), None) if card.address_division_id else None
            if place is None and card.residence == "county":
                place = card.reporting_unit
            if place is not None:
                card.residence_unit = place
                changed.append("residence_unit")
        if changed:
            card.save(update_fields=changed)


class Migration(migrations.Migration):
    dependencies = [("surveillance", "0003_card_as_the_national_form"), ("org", "0003_unit_division"),
                    ("divisions", "0001_divisions")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
