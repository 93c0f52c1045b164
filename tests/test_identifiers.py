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


# ---- normalisation and phone numbers ------------------------------------------------------------

def test_ids_are_normalised_before_validation():
    from yizhan.identifiers import normalize, validate_resident_id

    valid = "11010519491231002X"
    assert validate_resident_id("１１０１０５１９４９１２３１００２ｘ") == valid  # full-width
    assert validate_resident_id("١١٠١٠٥١٩٤٩١٢٣١٠٠٢X") == valid  # Arabic-Indic digits
    assert validate_resident_id(" 11010519491231002x\n") == valid
    assert normalize("Ｗ²１", field="code") == "W21"


@pytest.mark.parametrize(("value", "rule"), [
    ("1101051949123100\x00X", "nul_byte"),
    ("11010519491231002\ud800", "invalid_unicode"),
    ("11010519491231002\x1b", "control_character"),
    ("11010519491231002²", "resident_id_check_digit"),  # ² is 2 after NFKC: a wrong check digit, not a crash
])
def test_unsafe_characters_in_ids_are_refused_naming_the_field(value, rule):
    from yizhan.errors import InvalidInput
    from yizhan.identifiers import validate_resident_id, validate_uscc

    for validate in (validate_resident_id, validate_uscc):
        with pytest.raises(InvalidInput) as info:
            validate(value, field="applicant_id")
        assert info.value.field == "applicant_id"
    with pytest.raises(InvalidInput) as info:
        validate_resident_id(value, field="applicant_id")
    assert info.value.rule == rule


@pytest.mark.parametrize(("value", "stored"), [
    ("13812345678", "13812345678"),
    ("+86 138 1234 5678", "13812345678"),
    ("8613812345678", "13812345678"),
    ("１３８１２３４５６７８", "13812345678"),
    ("0750-2221234", "0750-2221234"),
    ("(0750)22212345", "0750-22212345"),
    ("02082345678", "020-82345678"),
    ("010-62345678", "010-62345678"),
    ("0750-2221234-808", "0750-2221234-808"),
    ("0750-2221234转808", "0750-2221234-808"),
    ("", ""),
])
def test_phone_numbers_are_validated_and_stored_in_one_form(value, stored):
    from yizhan.identifiers import validate_phone

    assert validate_phone(value) == stored


@pytest.mark.parametrize("value", [
    "12812345678", "1381234567", "138123456789", "0750-1234567", "010-1234567", "750-2221234",
    "0750-222123", "0750-222123456", "0750-2221234-1234567", "phone", "138\x001234567",
])
def test_bad_phone_numbers_are_refused_naming_the_field(value):
    from yizhan.errors import InvalidInput
    from yizhan.identifiers import validate_phone

    with pytest.raises(InvalidInput) as info:
        validate_phone(value, field="asker_phone")
    assert info.value.field == "asker_phone"
