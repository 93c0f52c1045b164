"""The demo's systems, one `demo` module in each app (`yizhan/<app>/demo.py`: the relief fund, visits,
subsidies, the surveillance network, …), found by `yizhan.plugins.app_modules` without a line here.

Each module defines:
- `build(progress)`: create its part of the demo city through the app's own services, idempotently
  (a second start finds it built and does nothing);
- `report(write)`: print the seed's figures for it, counted by the engine from what `build` made;
- `ACCOUNTS`: demo accounts as (username, role, unit code, label), made after `build`;
- `ORDER` (optional, default 100): modules are built in increasing order."""

from types import ModuleType

from yizhan.plugins import app_modules


def systems() -> list[ModuleType]:
    modules = [module for _config, module in app_modules("demo")]
    return sorted(modules, key=lambda m: (getattr(m, "ORDER", 100), m.__name__))
