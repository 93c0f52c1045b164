"""`yizhan hall SUB-COMMAND ...`: the service hall's command line.

Each sub-command is a module in `yizhan/hall/commands/` exposing `help` (one line), optionally
`description` (longer text), `add_arguments(parser)` and `run(options, stdout)`; the module
`import_org` becomes `yizhan hall import-org`. Adding a sub-command is adding a file."""

import importlib
import pkgutil
from types import ModuleType

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext_lazy as _

from yizhan.errors import RuleError
from yizhan.hall import commands as commands_package


def discover() -> dict[str, ModuleType]:
    found = {}
    for info in sorted(pkgutil.iter_modules(commands_package.__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{commands_package.__name__}.{info.name}")
        if all(hasattr(module, attr) for attr in ("help", "add_arguments", "run")):
            found[info.name.replace("_", "-")] = module
    return found


class Command(BaseCommand):
    help = _("行政服务大厅：导入机构和事项目录、导出目录、超时预警、问责扫描等。用 yizhan hall 子命令 --help 查看各子命令。")

    def create_parser(self, prog_name, subcommand, **kwargs):
        self.help = str(type(self).help)  # argparse needs a plain string, translated now
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser) -> None:
        subparsers = parser.add_subparsers(dest="subcommand", metavar="SUB-COMMAND", required=True)
        for name, module in discover().items():
            sub = subparsers.add_parser(name, help=str(module.help),
                                        description=str(getattr(module, "description", module.help)))
            module.add_arguments(sub)

    def handle(self, *args, **options) -> None:
        module = discover()[options["subcommand"]]
        try:
            module.run(options, self.stdout)
        except RuleError as exc:
            raise CommandError(str(exc)) from exc
