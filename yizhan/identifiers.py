"""Applicant identifiers: the resident identity number (GB 11643-1999) and the unified social credit
code (GB 32100-2015), each checked down to its check character; telephone numbers (mainland mobile and
landline); and the normalisation every identifier, phone number and code goes through first.

Normalisation is NFKC (full-width letters and digits, `²`, ligatures become their plain forms), then
every other Unicode decimal digit (Arabic-Indic, Devanagari, …) becomes its ASCII digit, then
surrounding white space goes. NUL bytes, lone surrogates and other control characters are refused with
an error naming the field: no database stores them the same way (PostgreSQL refuses NUL outright)."""

import re
import unicodedata
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
_RESIDENT_ID = re.compile(r"[0-9]{17}[0-9X]")

# Mainland mobile numbers: 11 digits, 1 then 3–9. Landlines: area code 0 + 2 or 3 digits (010 and 02x
# have two, the rest three), a local number of 7 or 8 digits not starting with 0 or 1, and an optional
# extension of up to 6 digits. "+86"/"86" before a mobile number and spaces, hyphens and brackets
# around the area code are accepted and dropped from the stored form.
_MOBILE = re.compile(r"(?:\+?86)?(1[3-9][0-9]{9})")
_LANDLINE = re.compile(r"\(?(010|02[0-9]|0[3-9][0-9]{2})\)?-?([2-9][0-9]{6,7})(?:(?:-|转|ext\.?|x|#)([0-9]{1,6}))?",
                       re.IGNORECASE)
PHONE_RULE = _("手机号码（11 位，1 开头，第二位 3–9）或固定电话（区号-号码[-分机]，如 0750-2221234）")


def unsafe_char_error(value: str, field: str, *, controls: bool = True) -> InvalidInput | None:
    """The error for a NUL byte, a lone surrogate or (with `controls`) a control character other than
    tab and line breaks in `value`, or None when there is none. Shared by identifiers and free text."""
    for char in value:
        code = ord(char)
        if code == 0:
            return InvalidInput(_("不能包含空字符（NUL）"), field=field, rule="nul_byte")
        if 0xD800 <= code <= 0xDFFF:
            return InvalidInput(_("包含无效的 Unicode 字符（孤立代理项）"), field=field, rule="invalid_unicode")
        if controls and ((code < 0x20 and char not in "\t\n\r") or 0x7F <= code < 0xA0):
            return InvalidInput(_("不能包含控制字符"), field=field, rule="control_character")
    return None


def normalize(value: str | None, *, field: str) -> str:
    """The NFKC form of an identifier, phone number or code, with ASCII digits and no surrounding space;
    raises InvalidInput naming `field` for NUL bytes, lone surrogates and control characters."""
    text = value or ""
    if (error := unsafe_char_error(text, field)) is not None:
        raise error
    text = unicodedata.normalize("NFKC", text)
    text = "".join(str(unicodedata.decimal(c)) if not c.isascii() and unicodedata.decimal(c, None) is not None
                   else c for c in text)
    return text.strip()


def resident_id_check_char(first17: str) -> str:
    return _ID_CHECK[sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def uscc_check_char(first17: str) -> str:
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def validate_resident_id(value: str, *, field: str = "applicant_id", today: date | None = None) -> str:
    """Return the normalised (upper-case X) 18-character ID number, or raise InvalidInput naming `field`."""
    number = normalize(value, field=field).upper()
    if not _RESIDENT_ID.fullmatch(number):
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
    code = normalize(value, field=field).upper()
    if len(code) != 18 or any(c not in USCC_ALPHABET for c in code):
        raise InvalidInput(_("统一社会信用代码应为 18 位数字或大写字母（不含 I、O、S、V、Z）"), field=field,
                           rule="uscc_format")
    if not code[2:8].isdigit():
        raise InvalidInput(_("统一社会信用代码第 3–8 位应为行政区划代码"), field=field, rule="uscc_region")
    if uscc_check_char(code[:17]) != code[17]:
        raise InvalidInput(_("统一社会信用代码校验码不正确"), field=field, rule="uscc_check_digit")
    return code


def validate_phone(value: str | None, *, field: str = "phone") -> str:
    """Return the normalised phone number ("" when none is given): a mobile number as its 11 digits, a
    landline as AREA-NUMBER or AREA-NUMBER-EXTENSION; raise InvalidInput naming `field` otherwise."""
    text = re.sub(r"[\s\u3000]", "", normalize(value, field=field))
    if not text:
        return ""
    if mobile := _MOBILE.fullmatch(text.replace("-", "")):
        return mobile.group(1)
    if landline := _LANDLINE.fullmatch(text):
        return "-".join(p for p in landline.groups() if p)
    raise InvalidInput(_("电话号码格式不正确：应为%(rule)s") % {"rule": PHONE_RULE}, field=field, rule="phone_format")
