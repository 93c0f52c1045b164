"""Money in fen (分): every amount Yizhan stores is a whole number of fen, so no sum is ever rounded.
People type and read yuan (元); these two functions are the only crossing."""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from yizhan.errors import InvalidInput

# ¥10,000,000,000.00: far above any fund or budget of a city, far below an overflow of BIGINT.
MAX_FEN = 1_000_000_000_000


def parse_yuan(text: str | int | Decimal, *, field: str = "amount") -> int:
    """'1,234.5' or '¥1234.50' → 123450 fen. Refuses negatives, more than two decimals, NaN and
    amounts above MAX_FEN, naming `field`."""
    raw = str(text).strip().replace(",", "").replace("，", "").lstrip("¥￥")
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise InvalidInput(_("金额格式不正确：%(v)s") % {"v": text}, field=field, rule="amount_format") from None
    if not value.is_finite():
        raise InvalidInput(_("金额格式不正确：%(v)s") % {"v": text}, field=field, rule="amount_format")
    if value < 0:
        raise InvalidInput(_("金额不能为负数"), field=field, rule="amount_negative")
    if value > Decimal(MAX_FEN) / 100:  # before quantize, which cannot hold 1e30 to the fen
        raise InvalidInput(_("金额超出上限"), field=field, rule="amount_max")
    if value != value.quantize(Decimal("0.01")):
        raise InvalidInput(_("金额最多保留两位小数（分）"), field=field, rule="amount_precision")
    fen = int(value * 100)
    check_fen(fen, field=field)
    return fen


def check_fen(fen: int, *, field: str = "amount_fen", allow_zero: bool = False) -> int:
    """A stored amount: an integer of fen, positive (or zero when allowed), at most MAX_FEN."""
    if isinstance(fen, bool) or not isinstance(fen, int):
        raise InvalidInput(_("金额须为整数（分）"), field=field, rule="amount_format")
    if fen < 0 or (fen == 0 and not allow_zero):
        raise InvalidInput(_("金额须大于零"), field=field, rule="amount_positive")
    if fen > MAX_FEN:
        raise InvalidInput(_("金额超出上限"), field=field, rule="amount_max")
    return fen


def yuan(fen: int) -> str:
    """123450 → '1,234.50' (for screens, prints and CSV; the currency sign is the caller's)."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    return f"{sign}{whole:,}.{cents:02d}"
