"""Sub-commands of `yizhan surveillance` (see yizhan.subcommands)."""

import json
from datetime import date
from typing import Any

from django.core.management.base import CommandError
from django.utils.translation import gettext_lazy as _


def day(value: str | None, option: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(_("%(o)s：不是有效的日期（如 2024-01-15）：%(v)s") % {"o": option, "v": value}) from None


def write_json(stdout, data: Any) -> None:
    stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str))
