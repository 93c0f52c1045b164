"""The bad-input table's rows for the apps beyond the hall and surveillance: one module per app,
each with `ROUTES` (rows as in tests/api/test_bad_input.py), and optionally `BODIES` (a valid body
per path suffix) and `PLACEHOLDERS` (placeholder → the OpenAPI name; filled with "1", since bad
input is refused before any lookup). test_bad_input.py collects them all."""

import importlib
import pkgutil


def collected() -> tuple[list[tuple], dict[str, dict], dict[str, str]]:
    routes, bodies, placeholders = [], {}, {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        routes += module.ROUTES
        bodies.update(getattr(module, "BODIES", {}))
        placeholders.update(getattr(module, "PLACEHOLDERS", {}))
    return routes, bodies, placeholders
