"""`yizhan org SUB-COMMAND ...`: the organisation tree's command line.

Apps above `org` add sub-commands about the organisation (the hall's `import-staff`, which also keeps
badge numbers) as modules of a package `<app>.org_commands`, so `org` imports none of them."""

import importlib
import importlib.util
from types import ModuleType

from django.apps import apps
from django.utils.translation import gettext_lazy as _

from yizhan.org import commands as commands_package
from yizhan.subcommands import SubcommandCommand, discover


class Command(SubcommandCommand):
    help = _("组织机构：从 CSV 导入机构树。用 yizhan org 子命令 --help 查看各子命令。")
    package = commands_package

    def subcommands(self) -> dict[str, ModuleType]:
        found = super().subcommands()
        for app in apps.get_app_configs():
            name = f"{app.name}.org_commands"
            if app.name.startswith("yizhan.") and importlib.util.find_spec(name) is not None:
                found.update(discover(importlib.import_module(name)))
        return found
