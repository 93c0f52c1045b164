from django.urls import path, re_path

from yizhan.api.docs import docs_asset
from yizhan.api.errors import unknown_api_path
from yizhan.api.home import home
from yizhan.api.root import api

urlpatterns = [
    path("", home, name="home"),
    path("api/docs/assets/<str:name>", docs_asset, name="api-docs-asset"),
    path("api/", api.urls),
    # Anything else under /api/ answers in the API's error envelope rather than an HTML page.
    re_path(r"^api/", unknown_api_path),
]
