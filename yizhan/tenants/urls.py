from django.urls import path

from yizhan.tenants import views

app_name = "tenants"
urlpatterns = [
    path("", views.board, name="board"),
    path("register/", views.register, name="register"),
    path("tenants/<int:pk>/", views.tenant, name="tenant"),
    path("obligations/", views.obligation_list, name="obligations"),
    path("obligations/<int:pk>/", views.obligation_action, name="obligation"),
    path("patrol/", views.patrol_page, name="patrol"),
    path("patrol/<int:pk>/", views.patrol_log, name="patrol-log"),
]
