"""What a version of the fund's management rules must hold: the illnesses and materials as lists of
distinct names, the ceilings as positive amounts in fen, the per-person one within the yearly one.
Rules over plain values, below the models: `Rules.clean` (the admin) and `rules.load_rules` (the JSON
file) check with the same function."""

from typing import Any

from django.utils.translation import gettext as _

from yizhan.errors import InvalidInput
from yizhan.hall.models import Material
from yizhan.ledger.money import MAX_FEN
from yizhan.textlimits import field_limit


def _names(value: Any, field: str, limit: int) -> InvalidInput | None:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
        return InvalidInput(_("须为非空的名称列表"), field=field, rule="names_required")
    if len({v.strip() for v in value}) != len(value):
        return InvalidInput(_("名称不能重复"), field=field, rule="duplicate")
    if any(len(v.strip()) > limit for v in value):
        return InvalidInput(_("每个名称不超过 %(n)d 个字符") % {"n": limit}, field=field, rule="max_length")
    return None


def _ceiling(value: Any, field: str) -> InvalidInput | None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_FEN:
        return InvalidInput(_("上限须为正整数（分）"), field=field, rule="amount_positive")
    return None


def rule_errors(*, illnesses: Any, materials: Any, per_person: Any, per_year: Any) -> dict[str, InvalidInput]:
    """Field → error for a version's data; empty when it is sound."""
    checks = {"illnesses": _names(illnesses, "illnesses", 100),
              "materials": _names(materials, "materials", field_limit(Material, "name")),
              "ceiling_per_person_fen": _ceiling(per_person, "ceiling_per_person_fen"),
              "ceiling_per_year_fen": _ceiling(per_year, "ceiling_per_year_fen")}
    errors = {field: error for field, error in checks.items() if error is not None}
    if not errors and per_person > per_year:
        errors["ceiling_per_person_fen"] = InvalidInput(_("每人上限不能高于基金每年总额上限"),
                                                        field="ceiling_per_person_fen", rule="ceiling_order")
    return errors
