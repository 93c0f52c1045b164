"""The festival table shipped with the app (data/festivals.json): Spring Festival and Mid-Autumn with
their dates 2004–2030. Loaded by migration 0002; loading again adds only what is missing, so rows
edited in the admin are kept."""

import json
from datetime import date
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data" / "festivals.json"


def load_festival_table(festival_model: Any, date_model: Any) -> None:
    """Add the shipped festivals and dates that are not there yet, through the models given: a
    migration passes its historical ones, everything else `Festival` and `FestivalDate`."""
    data = json.loads(DATA.read_text(encoding="utf-8"))
    for item in data["festivals"]:
        festival, _created = festival_model.objects.get_or_create(code=item["code"], defaults={
            "name": item["name"], "remind_days": item["remind_days"], "season_days": item["season_days"]})
        for year, day in data["dates"].get(item["code"], {}).items():
            date_model.objects.get_or_create(festival=festival, year=int(year),
                                             defaults={"date": date.fromisoformat(day)})
