from django.contrib import admin
from django.urls import include, path

from yizhan.plugins import app_modules

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("yizhan.ui.urls")),
    path("", include("yizhan.hall.urls")),
    path("", include("yizhan.api.urls")),
]
# The screens of the other apps: each AppConfig names its `url_prefix` ("relief/").
urlpatterns += [
    path(config.url_prefix, include(module)) for config, module in app_modules("urls") if hasattr(config, "url_prefix")
]

# Error pages of the screens; under /api/ the JSON envelope (yizhan.error_views).
handler400 = "yizhan.error_views.bad_request"
handler403 = "yizhan.error_views.permission_denied"
handler404 = "yizhan.error_views.page_not_found"
handler500 = "yizhan.error_views.server_error"
