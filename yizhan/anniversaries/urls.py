from django.urls import path

from yizhan.anniversaries import views

app_name = "anniversaries"
urlpatterns = [
    path("", views.month, name="month"),
    path("cards/<str:member_no>/<int:year>/", views.print_card, name="print"),
]
