from django.urls import path

from yizhan.surveillance.views import card, clinic, dashboard, incident, queue, signal, township

app_name = "surveillance"
urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("review/", queue.review_queue, name="review"),
    path("review/<int:pk>/<str:action>/", queue.card_action, name="card-action"),
    path("cards/<int:pk>/", card.card_page, name="card"),
    path("township/", township.township_page, name="township"),
    path("report/", clinic.report, name="report"),
    path("report/check/", clinic.check, name="report-check"),
    path("signals/<int:pk>/", signal.signal_page, name="signal"),
    path("incidents/<int:pk>/", incident.incident_page, name="incident"),
    path("incidents/reports/<int:pk>/", incident.report_page, name="incident-report"),
]
