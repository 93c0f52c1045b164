"""The demo's smaller systems, one module each (relief fund, visits, subsidies, registry, …).

A module here is found by `yizhan demo` without a line elsewhere. It defines:
- `build(progress)`: create its part of the demo city through the apps' own services, idempotently
  (a second start finds it built and does nothing);
- `report(write)`: print the seed's figures for it, counted by the engine from what `build` made;
- `ACCOUNTS`: demo accounts as (username, role, unit code, label), made after `build`;
- `ORDER` (optional, default 100): modules are built in increasing order."""

import importlib
import pkgutil
from types import ModuleType


def systems() -> list[ModuleType]:
    modules = [importlib.import_module(f"{__name__}.{info.name}") for info in pkgutil.iter_modules(__path__)]
    return sorted(modules, key=lambda m: (getattr(m, "ORDER", 100), m.__name__))
