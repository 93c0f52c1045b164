"""CSV and XLSX export of a screen's table: the one helper every screen uses. A table is a title, a
row of headers and rows of plain values; the rows the screen shows are the rows exported (they come
through the same scope). Text that a spreadsheet would run as a formula is written as text
(`yizhan.csvrows.neutral`)."""

import io
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.functional import Promise

from yizhan import csvrows

FORMATS = ("csv", "xlsx")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Table:
    name: str  # file name stem and the ?table= key
    title: Any
    headers: Sequence[Any]
    rows: list[Any] = field(default_factory=list)  # each a sequence of cells


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, Promise):
        return force_str(value)
    if value is None or isinstance(value, int | float | str | date):
        return value
    return force_str(value)


def _csv_lines(table: Table) -> Iterator[str]:
    line = _Line()
    writer = csvrows.writer(line)
    yield "\ufeff"  # so spreadsheet programs read the Chinese as UTF-8
    writer.writerow([force_str(h) for h in table.headers])
    yield line.take()
    for row in table.rows:
        writer.writerow(["" if v is None else _plain(v) for v in row])
        yield line.take()


class _Line:
    """What csv.writer writes, handed on one row at a time."""

    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> None:
        self.text += text

    def take(self) -> str:
        text, self.text = self.text, ""
        return text


def render_csv(table: Table) -> HttpResponse:
    response = HttpResponse("".join(_csv_lines(table)).encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{table.name}.csv"'
    return response


def render_xlsx(table: Table) -> HttpResponse:
    # openpyxl takes about 0.5 s to import (python -X importtime): only an XLSX export pays it, not
    # every process that loads the screens.
    from openpyxl import Workbook  # noqa: PLC0415
    from openpyxl.cell import WriteOnlyCell  # noqa: PLC0415

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=force_str(table.title)[:31] or table.name)

    def cell(value: Any) -> Any:
        # openpyxl stores text starting with = as a formula; such text is written as a text cell instead.
        if not csvrows.is_formula(value):
            return value
        text = WriteOnlyCell(sheet, value)
        text.data_type = "s"
        return text

    sheet.append([cell(force_str(h)) for h in table.headers])
    for row in table.rows:
        sheet.append([cell(_plain(v)) for v in row])
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{table.name}.xlsx"'
    return response


def export_response(request: HttpRequest, tables: Iterable[Table] | Mapping[str, Callable[[], Table]]
                    ) -> HttpResponse | None:
    """The file for ?export=csv|xlsx&table=NAME when the request asks for one; None otherwise.
    `tables`: the screen's tables, or their names each with the function that builds it (then only the
    table asked for is built)."""
    fmt, name = request.GET.get("export"), request.GET.get("table")
    if fmt not in FORMATS or not name:
        return None
    if isinstance(tables, Mapping):
        table = tables[name]() if name in tables else None
    else:
        table = next((t for t in tables if t.name == name), None)
    if table is None:
        return HttpResponse(status=404)
    return render_csv(table) if fmt == "csv" else render_xlsx(table)
