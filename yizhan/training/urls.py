from django.urls import path

from yizhan.training import views

app_name = "training"
urlpatterns = [
    path("", views.session_list, name="sessions"),
    path("sessions/<int:pk>/", views.session_detail, name="session"),
    path("person/", views.person, name="person"),
]
