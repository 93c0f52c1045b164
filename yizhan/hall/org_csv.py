"""Importing the hall's part of the organisation tree (center, departments, windows) from a legacy
system's CSV: `code,name,parent_code,kind` (see `yizhan.org.units_csv`)."""

from datetime import datetime
from typing import IO, Any

from yizhan.csvrows import ImportResult
from yizhan.hall.service import resolve_at
from yizhan.org.models import UnitKind
from yizhan.org.units_csv import import_units

HALL_KINDS = (UnitKind.CENTER, UnitKind.DEPARTMENT, UnitKind.WINDOW)


def import_org(stream: IO[str] | IO[bytes], *, at: datetime | None = None, actor: Any = None,
               actor_label: str = "import-org") -> ImportResult:
    return import_units(stream, kinds=HALL_KINDS, at=resolve_at(at), actor=actor, actor_label=actor_label)
