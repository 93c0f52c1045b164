"""The OpenAPI document refuses two different schemas under one name.

django-ninja files every schema under its class name in `components/schemas`, the last one
generated winning: two routers each with a `FiguresOut` would document (and validate clients
against) the wrong fields for one of them. Raising at generation makes such a clash a test failure.
"""

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema


class _StrictOpenAPISchema(OpenAPISchema):
    def add_schema_definitions(self, definitions: dict) -> None:
        for name, definition in definitions.items():
            known = self.schemas.get(name)
            if known is not None and known != definition:
                raise ImproperlyConfigured(
                    f"Two API schemas are both named {name!r}; give one a name of its own."
                )
        super().add_schema_definitions(definitions)


class UniqueSchemaNames(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix: str | None = None,
                           path_params: dict[str, Any] | None = None) -> OpenAPISchema:
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        return _StrictOpenAPISchema(api=self, path_prefix=path_prefix)
