from django.urls import path

from yizhan.surveillance.views import clinic, dashboard, queue, signal

app_name = "surveillance"
urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("review/", queue.review_queue, name="review"),
    path("review/<int:pk>/<str:action>/", queue.card_action, name="card-action"),
    path("report/", clinic.report, name="report"),
    path("report/check/", clinic.check, name="report-check"),
    path("signals/<int:pk>/", signal.signal_page, name="signal"),
]
