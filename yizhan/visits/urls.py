from django.urls import path

from yizhan.visits import views

app_name = "visits"
urlpatterns = [
    path("", views.register, name="register"),
    path("record/", views.record, name="record"),
    path("reminders/", views.reminders, name="reminders"),
]
