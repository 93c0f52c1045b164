from django.urls import path

from yizhan.liaison import views

app_name = "liaison"
urlpatterns = [
    path("", views.index, name="index"),
    path("assign/", views.assign, name="assign"),
    path("point/<int:pk>/visit/", views.visit, name="visit"),
    path("briefs/", views.brief_list, name="briefs"),
    path("brief/<int:pk>/", views.brief, name="brief"),
]
