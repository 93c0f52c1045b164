"""The API's HTML documentation without any CDN: Swagger UI's files come from the django-ninja package
installed from PyPI (`ninja/static/ninja/`) and are served by this app, so the page works offline and
`ninja` need not be an installed Django app."""

import json
import mimetypes
from pathlib import Path
from typing import Any

import ninja
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from ninja.openapi.docs import DocsBase

ASSET_DIR = Path(ninja.__file__).resolve().parent / "static" / "ninja"
# Template name → file: only these files are served.
ASSETS = {
    "css": "swagger-ui.css",
    "bundle": "swagger-ui-bundle.js",
    "init": "swagger-ui-init.js",
    "favicon": "favicon.png",
}


class OfflineSwagger(DocsBase):
    settings: dict[str, Any] = {"layout": "BaseLayout", "deepLinking": True}

    def render_page(self, request: HttpRequest, api, **kwargs: Any) -> HttpResponse:
        settings = {**self.settings, "url": self.get_openapi_url(api, kwargs)}
        return render(request, "yizhan/api_docs.html", {
            "api": api,
            "swagger_settings": json.dumps(settings),
            "asset": {key: reverse("api-docs-asset", args=[name]) for key, name in ASSETS.items()},
        })


@require_GET
@cache_control(max_age=86400, public=True)
def docs_asset(request: HttpRequest, name: str) -> FileResponse:
    if name not in ASSETS.values():
        raise Http404(name)
    path = ASSET_DIR / name
    if not path.is_file():
        raise Http404(name)
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return FileResponse(path.open("rb"), content_type=content_type)
