from django.urls import path

from yizhan.exchange import views

app_name = "exchange"
urlpatterns = [
    path("", views.report, name="report"),
    path("assign/", views.assign, name="assign"),
    path("import/<str:what>/", views.upload, name="import"),
]
