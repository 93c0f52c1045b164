"""Parts that each app contributes without editing a shared file, all found the one way below: its
screens' URLs (an AppConfig with `url_prefix` and a `urls` module), its navigation entries
(`nav.NAV_ITEMS`), its API routes (`api.PREFIX` and `api.router`, or `api.ROUTES`), its demo data
(`demo.build`, `demo.ACCOUNTS`), its background jobs (`tasks`) and its sub-commands (`commands/`, and
`<command>_commands/` for another app's command: see `yizhan.subcommands.subcommands_of`)."""

import importlib
import importlib.util
from types import ModuleType

from django.apps import AppConfig, apps


def app_modules(submodule: str) -> list[tuple[AppConfig, ModuleType]]:
    """(app, module) for every installed Yizhan app that has `<app>.<submodule>`, in INSTALLED_APPS order."""
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("yizhan."):
            continue
        name = f"{config.name}.{submodule}"
        if importlib.util.find_spec(name) is not None:
            found.append((config, importlib.import_module(name)))
    return found
