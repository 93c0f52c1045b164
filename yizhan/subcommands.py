"""A management command made of sub-commands (`yizhan hall import-org`, `yizhan org import-units`,
`yizhan surveillance detect`), and the command line's FILE argument.

Each sub-command is a module of a package exposing `help` (one line), optionally `description`,
`add_arguments(parser)` and `run(options, stdout)`; the module `import_org` becomes `import-org`.
Adding a sub-command is adding a file."""

import importlib
import pkgutil
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import IO, Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext_lazy as _

from yizhan.errors import RuleError

FILE_ARGUMENT_HELP = _("CSV 文件（- 表示标准输入）")


def open_input(path: str) -> IO[str]:
    """A file given on the command line ("-" reads standard input); UTF-8 with or without BOM."""
    if path == "-":
        return sys.stdin
    return Path(path).open(encoding="utf-8-sig", newline="")


def import_file(path: str, importer: Callable[[IO[str]], Any]) -> Any:
    """Open the command line's FILE and hand it to `importer`; an unreadable file is a clear error."""
    try:
        stream = open_input(path)
    except OSError as exc:
        raise CommandError(_("FILE：无法打开：%(e)s") % {"e": exc}) from exc
    with stream:
        return importer(stream)


# Sub-command packages an app adds to another app's command, so a command of a lower app (`yizhan org`)
# can carry a sub-command of a higher one (the hall's `import-staff`) without importing it.
_EXTENSIONS: dict[str, list[str]] = {}


def extend(package: str, extra: str) -> None:
    """Add the sub-commands of the package named `extra` to the command whose package is `package`
    (call from an AppConfig.ready)."""
    if extra not in _EXTENSIONS.setdefault(package, []):
        _EXTENSIONS[package].append(extra)


def discover(package: ModuleType) -> dict[str, ModuleType]:
    found = {}
    packages = [package, *(importlib.import_module(name) for name in _EXTENSIONS.get(package.__name__, []))]
    for pkg in packages:
        for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda i: i.name):
            if info.name.startswith("_"):
                continue
            module = importlib.import_module(f"{pkg.__name__}.{info.name}")
            if all(hasattr(module, attr) for attr in ("help", "add_arguments", "run")):
                found[info.name.replace("_", "-")] = module
    return dict(sorted(found.items()))


class SubcommandCommand(BaseCommand):
    """Subclasses set `package` (the module holding the sub-commands) and `help`."""

    package: ModuleType

    def create_parser(self, prog_name, subcommand, **kwargs):
        self.help = str(type(self).help)  # argparse needs a plain string, translated now
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser) -> None:
        subparsers = parser.add_subparsers(dest="subcommand", metavar="SUB-COMMAND", required=True)
        for name, module in discover(self.package).items():
            sub = subparsers.add_parser(name, help=str(module.help),
                                        description=str(getattr(module, "description", module.help)))
            module.add_arguments(sub)

    def handle(self, *args, **options) -> None:
        module = discover(self.package)[options["subcommand"]]
        try:
            module.run(options, self.stdout)
        except RuleError as exc:
            raise CommandError(str(exc)) from exc
