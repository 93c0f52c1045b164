from django.urls import path

from yizhan.relief import views

app_name = "relief"
urlpatterns = [
    path("", views.index, name="index"),
    path("applications/<int:pk>/", views.application, name="application"),
    path("applications/<int:pk>/<str:action>/", views.act, name="act"),
    path("<str:code>/", views.fund, name="fund"),
    path("<str:code>/contributions/", views.contributions_page, name="contributions"),
    path("<str:code>/applications/", views.applications_page, name="applications"),
    path("<str:code>/report/", views.report, name="report"),
]
