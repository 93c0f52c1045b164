"""Reading an import file: its encoding, header check, line numbers, and collecting every broken
field before anything is written.

Encoding: a file is read as bytes and decoded as UTF-8 (with or without a byte-order mark) when it is
valid UTF-8, otherwise as GB18030, which contains GBK and GB2312 (what spreadsheets on Chinese
Windows save as "CSV"). Strict UTF-8 first is a reliable test: the byte patterns of GBK-encoded
Chinese text are almost never valid UTF-8, so no statistical detection (charset-normalizer) is needed.
A file valid in neither, or UTF-16, is refused with the line where decoding failed. Text streams
(already decoded) are accepted as they are.

Values: NUL bytes are refused in every field; integers and amounts are NFKC-normalised (full-width
digits) and must be plain decimal numbers within their column's range; `NaN`, `Infinity` and
exponents are refused; text longer than its column is refused (`text`).

Writing: `writer` is the csv writer of every export, with `neutral` cells (no formula injection)."""

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import IO, Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from yizhan.days import range_error
from yizhan.errors import ImportFailed, InvalidInput, RowError, RuleError
from yizhan.identifiers import normalize

MAX_INTEGER = 2**31 - 1  # the range of an integer column on PostgreSQL
_INTEGER = re.compile(r"-?[0-9]+")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_AMOUNT = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def decode_csv(data: bytes) -> str:
    """The text of an import file: UTF-8 (a BOM is dropped), else GB18030/GBK; ImportFailed otherwise."""
    if data.startswith(_UTF16_BOMS):
        raise ImportFailed([RowError(1, "-", _("文件为 UTF-16 编码，请另存为 CSV（UTF-8 或 GBK）"))])
    if data.startswith(_UTF8_BOM):
        data = data[len(_UTF8_BOM):]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as utf8_error:
        try:
            return data.decode("gb18030")
        except UnicodeDecodeError:
            line = data[:utf8_error.start].count(b"\n") + 1
            raise ImportFailed([RowError(line, "-", _("无法识别文件编码：既不是 UTF-8 也不是 GBK/GB18030"))]) from None


def read_text(stream: IO[str] | IO[bytes]) -> str:
    data = stream.read()
    if isinstance(data, bytes):
        return decode_csv(data)
    return data.removeprefix("\ufeff")


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int

    def __str__(self) -> str:
        return str(_("新增 %(c)d 条，更新 %(u)d 条") % {"c": self.created, "u": self.updated})


class Rows:
    """The data rows of a CSV file with a header, each with the line it starts on, and the errors found."""

    def __init__(self, stream: IO[str] | IO[bytes], required: list[str],
                 optional: list[str] | tuple[str, ...] = (), *, codes: tuple[str, ...] = ()) -> None:
        """`codes` names the columns holding codes or identifiers: NFKC-normalised (yizhan.identifiers)."""
        self.errors: list[RowError] = []
        self._codes = codes
        self._reader = csv.DictReader(io.StringIO(read_text(stream), newline=""))
        header = [h.strip() for h in (self._reader.fieldnames or [])]
        self._reader.fieldnames = header
        self.columns = set(header)
        for name in required:
            if name not in self.columns:
                self.error(1, name, _("缺少必需的列"))
        known = set(required) | set(optional)
        for name in header:
            if name not in known:
                self.error(1, name, _("未知的列（可用：%(cols)s）") % {"cols": ",".join([*required, *optional])})
        if self.errors:
            self.raise_if_any()

    def __iter__(self) -> Iterator[tuple[int, dict[str, str]]]:
        line = self._reader.line_num + 1
        while True:
            try:
                row = next(self._reader)
            except StopIteration:
                return
            except csv.Error as exc:  # an unterminated quote, a field beyond the csv module's limit
                self.error(line, "-", _("无法解析本行：%(e)s") % {"e": exc})
                self.raise_if_any()
            values = {k: _unneutral((v or "").strip()) for k, v in row.items() if k is not None}
            if None in row:
                self.error(line, "-", _("本行的列数多于表头"))
            for field, value in values.items():
                if "\x00" in value:
                    self.error(line, field, _("不能包含空字符（NUL）"))
                    values[field] = value = value.replace("\x00", "")
                if field in self._codes:
                    values[field] = self._normalized(line, field, value)
            if any(values.values()):
                yield line, values
            line = self._reader.line_num + 1

    def error(self, line: int, field: str, message: Any) -> None:
        self.errors.append(RowError(line, field, message))

    def raise_if_any(self) -> None:
        if self.errors:
            raise ImportFailed(self.errors)

    def required(self, line: int, row: dict[str, str], field: str) -> str:
        value = row.get(field, "")
        if not value:
            self.error(line, field, _("不能为空"))
        return value

    def _normalized(self, line: int, field: str, value: str) -> str:
        try:
            return normalize(value, field=field)
        except InvalidInput as exc:
            self.error(line, field, exc.message)
            return ""

    def text(self, line: int, row: dict[str, str], field: str, limit: int | None) -> str:
        """The field's text, refused when longer than `limit` (the model field's max_length)."""
        value = row.get(field, "")
        if limit is not None and len(value) > limit:
            self.error(line, field, _("不能超过 %(n)d 个字符（现为 %(len)d 个）") % {"n": limit, "len": len(value)})
        return value

    def integer(self, line: int, row: dict[str, str], field: str, *, optional: bool = False,
                maximum: int = MAX_INTEGER) -> int | None:
        value = self._normalized(line, field, row.get(field, ""))
        if not value:
            if not optional:
                self.error(line, field, _("不能为空"))
            return None
        if not _INTEGER.fullmatch(value):
            self.error(line, field, _("应为整数：%(v)s") % {"v": value[:40]})
            return None
        if value.startswith("-"):
            self.error(line, field, _("不能为负数"))
            return None
        if len(value) > len(str(maximum)) or int(value) > maximum:
            self.error(line, field, _("不能大于 %(max)d：%(v)s") % {"max": maximum, "v": value[:40]})
            return None
        return int(value)

    def decimal(self, line: int, row: dict[str, str], field: str, *, max_digits: int = 12,
                decimal_places: int = 2) -> Decimal:
        """A non-negative amount with at most `decimal_places` decimals and `max_digits` digits in all
        (the model's DecimalField); NaN, Infinity and exponents are refused."""
        value = self._normalized(line, field, row.get(field, ""))
        if not value:
            return Decimal("0")
        if not _AMOUNT.fullmatch(value):
            self.error(line, field, _("应为金额（元），如 12.50：%(v)s") % {"v": value[:40]})
            return Decimal("0")
        number = Decimal(value)
        whole, _dot, fraction = value.lstrip("-").partition(".")
        if number < 0:
            self.error(line, field, _("金额不能为负数"))
        elif len(fraction) > decimal_places or len(whole.lstrip("0")) > max_digits - decimal_places:
            self.error(line, field, _("金额最多 %(whole)d 位整数、%(places)d 位小数：%(v)s") % {
                "whole": max_digits - decimal_places, "places": decimal_places, "v": value[:40]})
            return Decimal("0")
        return number

    def day(self, line: int, row: dict[str, str], field: str, *, optional: bool = False) -> date | None:
        """A date written YYYY-MM-DD (full-width digits accepted) within yizhan.days' range."""
        value = self._normalized(line, field, row.get(field, ""))
        if not value:
            if not optional:
                self.error(line, field, _("不能为空"))
            return None
        try:
            if not _DAY.fullmatch(value):
                raise ValueError(value)
            day = date.fromisoformat(value)
        except ValueError:
            self.error(line, field, _("应为日期 YYYY-MM-DD：%(v)s") % {"v": value[:40]})
            return None
        if (error := range_error(day, field)) is not None:
            self.error(line, field, error.message)
            return None
        return day

    def apply(self, items: list[tuple[int, Any]], action: Callable[[Any], Any]) -> int:
        """Run a service call per parsed row in one transaction; a rule error becomes the row's error
        (on the field it names) and, if any row failed, nothing is written. Returns the rows written."""
        with transaction.atomic():
            for line, item in items:
                try:
                    with transaction.atomic():
                        action(item)
                except RuleError as exc:
                    self.error(line, exc.field or "-", exc.message)
            if self.errors:
                transaction.set_rollback(True)
        self.raise_if_any()
        return len(items)

    def seen_once(self, line: int, field: str, value: str, seen: dict[str, int]) -> None:
        if value and value in seen:
            self.error(line, field, _("与第 %(first)d 行重复：%(v)s") % {"first": seen[value], "v": value})
        elif value:
            seen[value] = line


# What a spreadsheet program reads as the start of a formula (OWASP, "CSV injection"): =, +, -, @, tab, CR.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?[0-9][0-9,]*(?:\.[0-9]+)?%?")


def is_formula(value: Any) -> bool:
    """Whether a spreadsheet would take the text `value` for a formula (a plain number such as -12.50 is
    a number, not a formula)."""
    return isinstance(value, str) and value.startswith(FORMULA_START) and not _PLAIN_NUMBER.fullmatch(value)


def neutral(value: Any) -> Any:
    """The value of an exported cell that a spreadsheet shows as text: text that would be a formula gets
    a leading apostrophe; anything else is returned as it is. Every CSV writer of Yizhan writes its
    cells through this (`writer`), the XLSX export marks such cells as text (yizhan.ui.export), and
    `Rows` takes the apostrophe off again, so an exported file imports unchanged."""
    return "'" + value if is_formula(value) else value


class _NeutralWriter:
    def __init__(self, inner: Any) -> None:
        self._inner = inner

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._inner.writerow([neutral(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(out: Any, **options: Any) -> _NeutralWriter:
    """csv.writer(out, **options) whose cells cannot run as formulas (`neutral`)."""
    return _NeutralWriter(csv.writer(out, **options))


def _unneutral(value: str) -> str:
    """An imported cell as it was before `neutral` (a cell exported by Yizhan and imported again)."""
    return value[1:] if value.startswith("'") and is_formula(value[1:]) else value


def split_list(value: str) -> list[str]:
    return [part.strip() for part in value.replace("；", ";").split(";") if part.strip()]
