"""The hall's screens. The paths are fixed: kiosks, the LED board and other tools link to them."""

from django.urls import path

from yizhan.hall.views import (
    appointments,
    board,
    complaints,
    kiosk,
    lookup,
    prints,
    rectifications,
    supervisor,
    workbench,
)

app_name = "hall"

urlpatterns = [
    path("workbench/", workbench.workbench, name="workbench"),
    path("workbench/queue/<str:action>/", workbench.queue_action, name="queue-action"),
    path("workbench/consult/", workbench.consult, name="workbench-consult"),
    path("workbench/consultations/<int:pk>/answer/", workbench.answer, name="workbench-answer"),
    path("workbench/receive/", workbench.receive, name="workbench-receive"),
    path("workbench/cases/<int:pk>/", workbench.case_view, name="workbench-case"),
    path("workbench/cases/<int:pk>/<str:action>/", workbench.case_action, name="workbench-case-action"),
    path("print/cases/<int:pk>/receipt/", prints.receipt, name="print-receipt"),
    path("print/cases/<int:pk>/notice/<int:seq>/", prints.notice, name="print-notice"),
    path("print/cases/<int:pk>/refusal/<int:refusal_pk>/", prints.refusal, name="print-refusal"),
    path("print/cases/<int:pk>/completion/", prints.completion, name="print-completion"),
    path("queue/ticket/", kiosk.ticket, name="queue-ticket"),
    path("board/", board.board, name="board"),
    path("supervisor/", supervisor.supervisor, name="supervisor"),
    path("supervisor/refusals/<int:pk>/<str:decision>/", supervisor.review_refusal, name="supervisor-refusal"),
    # The service to applicants: lookup and rating, complaints, rectification of bad ratings, appointments.
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
