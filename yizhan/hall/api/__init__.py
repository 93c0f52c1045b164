"""The hall's REST API, one router per concept, in the order they are mounted (within one prefix, the
first route that matches a path answers it)."""

from ninja import Router

from yizhan.hall.api import (
    applicant,
    appointments,
    cases,
    catalog,
    complaints,
    consultations,
    figures,
    notices,
    public,
    ratings,
    refusals,
)

ROUTES: list[tuple[str, Router]] = [
    ("/hall", catalog.router),
    ("/hall", consultations.router),
    ("/hall", cases.router),
    ("/hall", notices.router),
    ("/hall", refusals.router),
    ("/hall", figures.router),
    ("/hall", ratings.router),
    ("/hall", complaints.router),
    ("/hall", appointments.router),
    ("/public", public.router),
    ("/public", applicant.router),
]
