"""Paths of the service screens (included in the hall's namespace by `yizhan/hall/urls.py`)."""

from django.urls import path

from yizhan.hall.screens import appointments, complaints, lookup, rectifications

urlpatterns = [
    path("lookup/", lookup.lookup_page, name="lookup"),
    path("lookup/rate/<str:token>/", lookup.rate_by_qr, name="rate-qr"),
    path("complaints/new/", complaints.complaint_new, name="complaint-new"),
    path("complaints/", complaints.complaint_list, name="complaints"),
    path("complaints/<int:pk>/", complaints.complaint_detail, name="complaint"),
    path("rectifications/", rectifications.rectification_list, name="rectifications"),
    path("rectifications/<int:pk>/<str:action>/", rectifications.rectification_action, name="rectification-action"),
    path("appointments/book/", appointments.appointment_book, name="appointment-book"),
    path("appointments/", appointments.appointment_day, name="appointments"),
    path("appointments/<int:pk>/<str:action>/", appointments.appointment_action, name="appointment-action"),
]
