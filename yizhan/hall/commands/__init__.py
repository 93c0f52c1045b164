"""Sub-commands of `yizhan hall`: one module per sub-command (see management/commands/hall.py)."""

import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from django.core.management.base import CommandError
from django.utils.translation import gettext_lazy as _

FILE_ARGUMENT_HELP = _("CSV 文件（- 表示标准输入）")


def open_input(path: str) -> IO[bytes]:
    """A CSV file given on the command line ("-" reads standard input), as bytes: the importer's
    `yizhan.csvrows.Rows` detects the encoding (UTF-8 with or without BOM, or GBK/GB18030)."""
    if path == "-":
        return sys.stdin.buffer
    return Path(path).open("rb")


def import_file(path: str, importer: Callable[[IO[bytes]], Any]) -> Any:
    """Open the command line's FILE.csv and hand it to `importer`; an unreadable file is a clear error."""
    try:
        stream = open_input(path)
    except OSError as exc:
        raise CommandError(_("FILE.csv：无法打开：%(e)s") % {"e": exc}) from exc
    with stream:
        return importer(stream)
