"""Resident ID numbers (GB 11643) and unified social credit codes (GB 32100), check digits included."""

from datetime import date

import pytest

from yizhan.errors import InvalidInput
from yizhan.identifiers import resident_id_check_char, uscc_check_char, validate_resident_id, validate_uscc


@pytest.mark.parametrize("number", ["11010519491231002X", "440783198001010014", "440783201003010012"])
def test_valid_resident_ids(number):
    assert validate_resident_id(number.lower()) == number


def test_check_character_follows_the_standard():
    # The GB 11643 sample: 11010519491231002 → X (remainder 2).
    assert resident_id_check_char("11010519491231002") == "X"
    assert uscc_check_char("91350100M000100Y4") == "3"


@pytest.mark.parametrize(("number", "rule"), [
    ("110105194912310021", "resident_id_check_digit"),
    ("11010519491231002", "resident_id_format"),
    ("1101051949123100XX", "resident_id_format"),
    ("110105194902300027", "resident_id_birth_date"),  # 30 February
    ("440783203001010012", "resident_id_birth_date"),  # born in the future
    ("010105194912310021", "resident_id_region"),
])
def test_invalid_resident_ids_name_the_field_and_the_rule(number, rule):
    with pytest.raises(InvalidInput) as info:
        validate_resident_id(number, field="applicant_id", today=date(2010, 3, 1))
    assert (info.value.field, info.value.rule) == ("applicant_id", rule)


@pytest.mark.parametrize("code", ["91350100M000100Y43", "91440783MA4UJ0WX3D", "12440700456789012D"])
def test_valid_credit_codes(code):
    assert validate_uscc(code.lower()) == code


@pytest.mark.parametrize(("code", "rule"), [
    ("91350100M000100Y44", "uscc_check_digit"),
    ("91350100M000100Y4", "uscc_format"),
    ("91350100M000100I43", "uscc_format"),  # I is not in the alphabet
    ("9135AB00M000100Y43", "uscc_region"),
])
def test_invalid_credit_codes(code, rule):
    with pytest.raises(InvalidInput) as info:
        validate_uscc(code, field="org_code")
    assert (info.value.field, info.value.rule) == ("org_code", rule)
