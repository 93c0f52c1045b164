from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("yizhan.ui.urls")),
    path("", include("yizhan.hall.urls")),
    path("", include("yizhan.api.urls")),
]

# Error pages of the screens; under /api/ the JSON envelope (yizhan.error_views).
handler400 = "yizhan.error_views.bad_request"
handler403 = "yizhan.error_views.permission_denied"
handler404 = "yizhan.error_views.page_not_found"
handler500 = "yizhan.error_views.server_error"
