from django.urls import path

from yizhan.followups import views

app_name = "followups"
urlpatterns = [
    path("", views.follow_up_list, name="list"),
    path("<int:pk>/<str:action>/", views.follow_up_action, name="action"),
]
