"""A management command made of sub-commands (`yizhan hall import-org`, `yizhan org import-units`,
`yizhan surveillance detect`), and the command line's shared arguments and output: FILE, a date
option, JSON.

Each sub-command is a module of a package exposing `help` (one line), optionally `description`,
`add_arguments(parser)` and `run(options, stdout)`; the module `import_org` becomes `import-org`.
Adding a sub-command is adding a file: `yizhan <app>` runs the modules of the app's `commands/`
package, found like every other part an app contributes (`yizhan.plugins.app_modules`)."""

import importlib
import json
import pkgutil
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import IO, Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from yizhan.errors import RuleError
from yizhan.plugins import app_modules

StrOrPromise = str | Promise

FILE_ARGUMENT_HELP = _("CSV 文件（- 表示标准输入）")


def open_input(path: str) -> IO[bytes]:
    """A file given on the command line ("-" reads standard input), as bytes: CSV importers decode it
    with `yizhan.csvrows` (UTF-8 with or without BOM, or GBK/GB18030), `json.load` detects UTF-8 itself."""
    if path == "-":
        return sys.stdin.buffer
    return Path(path).open("rb")


def import_file(path: str, importer: Callable[[IO[bytes]], Any]) -> Any:
    """Open the command line's FILE and hand it to `importer`; an unreadable file is a clear error."""
    try:
        stream = open_input(path)
    except OSError as exc:
        raise CommandError(_("FILE：无法打开：%(e)s") % {"e": exc}) from exc
    with stream:
        return importer(stream)


def day(value: str | None, option: str) -> date | None:
    """A date option (YYYY-MM-DD), None when not given; a malformed one is an error naming `option`."""
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(_("%(o)s：不是有效的日期（如 2024-01-15）：%(v)s") % {"o": option, "v": value}) from None


def write_json(stdout: Any, data: Any) -> None:
    """`data` as indented JSON, Chinese kept readable, dates and other values as their text."""
    stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def discover(package: ModuleType) -> dict[str, ModuleType]:
    """The sub-command modules of `package`, by their command-line name."""
    found = {}
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        if all(hasattr(module, attr) for attr in ("help", "add_arguments", "run")):
            found[info.name.replace("_", "-")] = module
    return dict(sorted(found.items()))


def subcommands_of(app: str, command: str) -> dict[str, ModuleType]:
    """The sub-commands of `yizhan <command>`, the command of `app` ("yizhan.org", "org"): the modules of
    the app's `commands/` package, and of any other app's `<command>_commands/` package: an app above
    adds to the command of one below it that way (the hall's `yizhan org import-staff`, which keeps
    badge numbers), so that the app below imports none of it."""
    found: dict[str, ModuleType] = {}
    for config, package in app_modules("commands"):
        if config.name == app:
            found.update(discover(package))
    for _config, package in app_modules(f"{command}_commands"):
        found.update(discover(package))
    return dict(sorted(found.items()))


class SubcommandCommand(BaseCommand):
    """`yizhan <app> SUB-COMMAND`: a subclass in `<app>/management/commands/<app>.py` sets only `help`."""

    help: StrOrPromise  # type: ignore[assignment]  # translated when the parser is made (create_parser)

    def create_parser(self, prog_name, subcommand, **kwargs):
        self.help = str(type(self).help)  # argparse needs a plain string, translated now
        return super().create_parser(prog_name, subcommand, **kwargs)

    def subcommands(self) -> dict[str, ModuleType]:
        app, _, command = type(self).__module__.partition(".management.commands.")
        return subcommands_of(app, command)

    def add_arguments(self, parser) -> None:
        subparsers = parser.add_subparsers(dest="subcommand", metavar="SUB-COMMAND", required=True)
        for name, module in self.subcommands().items():
            sub = subparsers.add_parser(name, help=str(module.help),
                                        description=str(getattr(module, "description", module.help)))
            module.add_arguments(sub)

    def handle(self, *args, **options) -> None:
        module = self.subcommands()[options["subcommand"]]
        try:
            module.run(options, self.stdout)
        except RuleError as exc:
            raise CommandError(str(exc)) from exc
