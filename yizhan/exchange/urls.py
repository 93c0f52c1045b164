from django.urls import path

from yizhan.exchange import views

app_name = "exchange"
urlpatterns = [
    path("", views.report, name="report"),
    path("import/<str:what>/", views.upload, name="import"),
]
