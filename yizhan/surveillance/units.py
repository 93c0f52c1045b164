"""Which CDC answers for a unit of the surveillance network: it reviews the unit's cards, verifies
its signals and responds to its incidents, on the clock, accountable when late."""

from yizhan.org.models import OrgUnit, UnitKind


def responsible_cdc(unit: OrgUnit) -> OrgUnit:
    """The CDC above `unit` (a CDC answers for itself; a unit outside any CDC's tree for itself too)."""
    return unit.ancestor_of_kind(UnitKind.CDC) or unit
