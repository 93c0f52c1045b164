"""Reading an import file: header check, line numbers, and collecting every broken field before
anything is written."""

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.utils.translation import gettext_lazy as _

from yizhan.errors import ImportFailed, RowError


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int

    def __str__(self) -> str:
        return str(_("新增 %(c)d 条，更新 %(u)d 条") % {"c": self.created, "u": self.updated})


class Rows:
    """The data rows of a CSV file with a header, each with the line it starts on, and the errors found."""

    def __init__(self, stream: IO[str], required: list[str], optional: list[str] | tuple[str, ...] = ()) -> None:
        self.errors: list[RowError] = []
        self._reader = csv.DictReader(stream)
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
        for row in self._reader:
            values = {k: (v or "").strip() for k, v in row.items() if k is not None}
            if None in row:
                self.error(line, "-", _("本行的列数多于表头"))
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

    def integer(self, line: int, row: dict[str, str], field: str, *, optional: bool = False) -> int | None:
        value = row.get(field, "")
        if not value:
            if not optional:
                self.error(line, field, _("不能为空"))
            return None
        try:
            number = int(value)
        except ValueError:
            self.error(line, field, _("应为整数：%(v)s") % {"v": value})
            return None
        if number < 0:
            self.error(line, field, _("不能为负数"))
            return None
        return number

    def decimal(self, line: int, row: dict[str, str], field: str) -> Decimal:
        value = row.get(field, "")
        if not value:
            return Decimal("0")
        try:
            number = Decimal(value)
        except InvalidOperation:
            self.error(line, field, _("应为金额（元）：%(v)s") % {"v": value})
            return Decimal("0")
        if number < 0 or not number.is_finite():
            self.error(line, field, _("金额不能为负数"))
        return number

    def seen_once(self, line: int, field: str, value: str, seen: dict[str, int]) -> None:
        if value and value in seen:
            self.error(line, field, _("与第 %(first)d 行重复：%(v)s") % {"first": seen[value], "v": value})
        elif value:
            seen[value] = line


def split_list(value: str) -> list[str]:
    return [part.strip() for part in value.replace("；", ";").split(";") if part.strip()]
