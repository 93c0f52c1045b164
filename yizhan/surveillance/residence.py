"""Where the patient lives (现住址) and what follows from it: 病人属于 (this county, another county of
this city, another city of this province, another province, Hong Kong/Macao/Taiwan, foreign) is derived
from the address against the reporting unit's county, never typed; and the network unit whose catchment
holds the address (the village clinic, else the township health center, else the county's CDC), by
which official counts, detection panels and the DHIS2 export count a case. 《传染病信息报告管理规范
（2015年版）》: 用于对外公布的法定报告传染病发病、死亡数按审核日期和现住址统计."""

from django.utils.translation import gettext_lazy as _

from yizhan.divisions.models import HK_MACAO_TAIWAN, Division, Level
from yizhan.errors import InvalidInput
from yizhan.org.models import OrgUnit, UnitKind
from yizhan.surveillance.models import Residence

NETWORK_KINDS = (UnitKind.VILLAGE, UnitKind.TOWNSHIP, UnitKind.CDC)


def unit_division(unit: OrgUnit) -> Division | None:
    """The unit's division, else the nearest one above it (a clinic inherits its township's)."""
    if unit.division_id:
        return unit.division
    for ancestor in reversed(list(unit.ancestors().select_related("division"))):
        if ancestor.division_id:
            return ancestor.division
    return None


def derive_residence(division: Division | None, *, foreign: bool, reporting_unit: OrgUnit) -> str:
    """病人属于, from the address's division and the reporting unit's county."""
    if foreign:
        return Residence.FOREIGN
    if division is None:
        raise InvalidInput(_("须选择现住址所在的县（区）"), field="address_division", rule="required")
    lineage = division.lineage()
    if lineage[0].code in HK_MACAO_TAIWAN:
        return Residence.HK_MACAO_TAIWAN
    home = unit_division(reporting_unit)
    county = division.at_level(Level.COUNTY)
    home_county = home.at_level(Level.COUNTY) if home else None
    if home_county is None:
        raise InvalidInput(_("报告单位%(u)s未设置所在行政区划，无法判定病人属于（管理后台：机构 → 所在行政区划）")
                           % {"u": reporting_unit.name}, field="reporting_unit", rule="unit_division")
    if county is None:
        raise InvalidInput(_("现住址须选到县（区）"), field="address_division", rule="address_level")
    if county.pk == home_county.pk:
        return Residence.COUNTY
    home_lineage = home_county.lineage()
    if county.parent_id == home_county.parent_id and home_county.parent.level == Level.CITY:
        return Residence.CITY
    if lineage[0].pk == home_lineage[0].pk:
        return Residence.PROVINCE
    return Residence.OTHER_PROVINCE


def residence_unit(division: Division | None) -> OrgUnit | None:
    """The network unit whose division is the deepest one holding the address (None outside the network)."""
    if division is None:
        return None
    lineage = division.lineage()
    units: dict[int, OrgUnit] = {}
    # Where two units sit in one division the deeper one (the clinic below its health center) holds it.
    for unit in sorted(OrgUnit.objects.filter(division__in=lineage, kind__in=NETWORK_KINDS, active=True),
                       key=lambda u: u.path.count("/")):
        units[unit.division_id] = unit
    return next((units[d.pk] for d in reversed(lineage) if d.pk in units), None)


def full_address(division: Division | None, house_number: str) -> str:
    return ((division.full_name if division else "") + (house_number or "")).strip()
