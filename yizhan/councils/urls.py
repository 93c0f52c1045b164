from django.urls import path

from yizhan.councils import views

app_name = "councils"
urlpatterns = [
    path("", views.index, name="index"),
    path("meeting/<int:pk>/", views.meeting, name="meeting"),
    path("meeting/<int:pk>/<str:action>/", views.meeting_action, name="action"),
    path("proposal/<int:pk>/decide/", views.decide, name="decide"),
    path("issue/<int:pk>/", views.issue, name="issue"),
    path("public/", views.public_index, name="public-index"),
    path("public/<int:pk>/", views.public, name="public"),
]
