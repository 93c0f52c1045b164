"""Sub-commands of `yizhan hall`: one module per sub-command (see management/commands/hall.py)."""

import sys
from pathlib import Path
from typing import IO


def open_input(path: str) -> IO[str]:
    """A CSV file given on the command line ("-" reads standard input); UTF-8 with or without BOM."""
    if path == "-":
        return sys.stdin
    return Path(path).open(encoding="utf-8-sig", newline="")
