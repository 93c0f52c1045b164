from django.urls import path

from yizhan.quality import views

app_name = "quality"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("plans/<int:pk>/import/", views.import_findings, name="import"),
    path("audits/<int:pk>/", views.audit_detail, name="audit"),
    path("audits/<int:pk>/<str:action>/", views.audit_action, name="audit-action"),
]
