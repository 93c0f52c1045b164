from django.urls import path

from yizhan.subsidies import views

app_name = "subsidies"
urlpatterns = [
    path("", views.school, name="school"),
    path("queue/", views.queue, name="queue"),
    path("queue/<int:pk>/<str:action>/", views.decide, name="decide"),
    path("pupil/", views.pupil, name="pupil"),
    path("figures/", views.figures_page, name="figures"),
]
