"""Applicant identifiers: the resident identity number (GB 11643-1999) and the unified social credit
code (GB 32100-2015), each checked down to its check character."""

from datetime import date

from django.utils.translation import gettext_lazy as _

from yizhan.errors import InvalidInput

# GB 11643: weights 2^(17-i) mod 11 for the first 17 digits; the remainder of the weighted sum mod 11
# indexes the check character.
_ID_WEIGHTS = [pow(2, 17 - i, 11) for i in range(17)]
_ID_CHECK = "10X98765432"

# GB 32100: 31 characters (no I, O, S, V, Z); weights 3^i mod 31.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = [pow(3, i, 31) for i in range(17)]


def resident_id_check_char(first17: str) -> str:
    return _ID_CHECK[sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def uscc_check_char(first17: str) -> str:
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def validate_resident_id(value: str, *, field: str = "applicant_id", today: date | None = None) -> str:
    """Return the normalised (upper-case X) 18-character ID number, or raise InvalidInput naming `field`."""
    number = (value or "").strip().upper()
    if len(number) != 18 or not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise InvalidInput(_("居民身份证号码应为 18 位：17 位数字加 1 位校验码（数字或 X）"), field=field,
                           rule="resident_id_format")
    if number[0] == "0":
        raise InvalidInput(_("居民身份证号码的行政区划代码无效"), field=field, rule="resident_id_region")
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise InvalidInput(_("居民身份证号码中的出生日期无效"), field=field, rule="resident_id_birth_date") from None
    if born.year < 1850 or born > (today or date.today()):
        raise InvalidInput(_("居民身份证号码中的出生日期无效"), field=field, rule="resident_id_birth_date")
    if resident_id_check_char(number[:17]) != number[17]:
        raise InvalidInput(_("居民身份证号码校验码不正确"), field=field, rule="resident_id_check_digit")
    return number


def validate_uscc(value: str, *, field: str = "applicant_id") -> str:
    """Return the normalised 18-character unified social credit code, or raise InvalidInput naming `field`."""
    code = (value or "").strip().upper()
    if len(code) != 18 or any(c not in USCC_ALPHABET for c in code):
        raise InvalidInput(_("统一社会信用代码应为 18 位数字或大写字母（不含 I、O、S、V、Z）"), field=field,
                           rule="uscc_format")
    if not code[2:8].isdigit():
        raise InvalidInput(_("统一社会信用代码第 3–8 位应为行政区划代码"), field=field, rule="uscc_region")
    if uscc_check_char(code[:17]) != code[17]:
        raise InvalidInput(_("统一社会信用代码校验码不正确"), field=field, rule="uscc_check_digit")
    return code
