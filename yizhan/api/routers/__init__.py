"""The API's routers, one module per concept. A module that sets `PREFIX` ("/ledger") is mounted by
`yizhan.api.api` on its own; the hall's older routers are mounted there by name."""

import importlib
import pkgutil
from types import ModuleType


def prefixed_routers() -> list[ModuleType]:
    found = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(module, "PREFIX") and hasattr(module, "router"):
            found.append(module)
    return found
