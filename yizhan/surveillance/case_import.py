"""Importing a line list of case report cards from CSV (an operator's migration from another system,
on the command line): one row per card with the card's fields (column names as in `cards.CARD_FIELDS`)
plus `reporting_unit`, optionally `entered_by_unit` (unit codes) and `reported_at`, the other system's
own report time, which such a card keeps (without it the card is stamped now). Every row is checked
first; any broken row stops the import with all of them listed and nothing written. Cards then go
through `report_card`, so late flags, duplicates and review clocks are the same as for cards reported
on screen."""

from typing import IO, Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from yizhan.csvrows import ImportResult, Rows
from yizhan.errors import InvalidInput
from yizhan.org.models import OrgUnit
from yizhan.org.scope import SURVEILLANCE_STAFF, covers
from yizhan.surveillance.cards import CARD_FIELDS, check_card, check_units, moment, report_card

REQUIRED = ["name", "sex", "address_division", "occupation", "classification", "disease", "onset_date",
            "diagnosed_at", "doctor", "doctor_phone", "filled_on", "reporting_unit"]
OPTIONAL = [f for f in (*CARD_FIELDS, "entered_by_unit", "reported_at") if f not in REQUIRED]


def import_cases(stream: IO[str] | IO[bytes], *, actor: Any = None, actor_label: str = "import-cases") -> ImportResult:
    rows = Rows(stream, REQUIRED, OPTIONAL)
    parsed = []
    units = {u.code: u for u in OrgUnit.objects.all()}
    for line, row in rows:
        unit = units.get(row.get("reporting_unit", ""))
        proxy = units.get(row.get("entered_by_unit", "")) if row.get("entered_by_unit") else None
        if unit is None:
            rows.error(line, "reporting_unit", _("机构不存在：%(v)s") % {"v": row.get("reporting_unit", "")})
        elif row.get("entered_by_unit") and proxy is None:
            rows.error(line, "entered_by_unit", _("机构不存在：%(v)s") % {"v": row["entered_by_unit"]})
        else:
            try:
                check_units(unit, proxy)
            except InvalidInput as exc:
                rows.error(line, exc.field, exc.message)
            else:
                # report_card checks each card too, but a refusal there would name no line.
                if actor is not None and not covers(actor, SURVEILLANCE_STAFF, proxy or unit):
                    rows.error(line, "reporting_unit", _("无权导入该机构的数据：%(v)s") % {"v": unit.name})
        stamp = None
        try:
            stamp = moment(row.pop("reported_at", ""), "reported_at")
        except InvalidInput as exc:
            rows.error(line, exc.field, exc.message)
        _checked, errors = check_card(row, unit=unit, at=stamp, server_stamped=False)
        for error in errors:
            rows.error(line, error.field, error.message)
        parsed.append((row, unit, proxy, stamp))
    rows.raise_if_any()
    with transaction.atomic():
        for row, unit, proxy, stamp in parsed:
            report_card(row, unit=unit, entered_by=proxy, actor=actor, actor_label=actor_label,
                        legacy_reported_at=stamp)
    return ImportResult(len(parsed), 0)
