"""Home province from a resident ID number: its first two digits are the province-level code of
GB/T 2260 (the table is data: data/gb2260_provinces.csv)."""

import csv
from functools import cache
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from yizhan.errors import InvalidInput
from yizhan.identifiers import validate_resident_id

TABLE = Path(__file__).resolve().parent / "data" / "gb2260_provinces.csv"


@cache
def provinces() -> dict[str, str]:
    """{two-digit code: name} of every province-level division."""
    with TABLE.open(encoding="utf-8", newline="") as f:
        return {row["code"]: row["name"] for row in csv.DictReader(f)}


def province_name(code: str) -> str:
    return provinces().get(code, code)


def checked_id(value: str, *, field: str = "id_number") -> tuple[str, str]:
    """(normalised ID number, province code); InvalidInput naming `field` for a bad number or a region
    code that names no province."""
    number = validate_resident_id(value, field=field)
    if number[:2] not in provinces():
        raise InvalidInput(_("居民身份证号码前两位不是有效的省级行政区划代码：%(c)s") % {"c": number[:2]},
                           field=field, rule="resident_id_province")
    return number, number[:2]
