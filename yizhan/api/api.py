"""The REST API at /api/: OpenAPI document at /api/openapi.json, documentation at /api/docs."""

from django.http import HttpRequest
from ninja import Schema

from yizhan.api import errors
from yizhan.api.auth import AUTH
from yizhan.api.docs import OfflineSwagger
from yizhan.api.errors import ERROR_RESPONSES
from yizhan.api.openapi import UniqueSchemaNames
from yizhan.api.routers import (
    applicant,
    appointments,
    calendar,
    cases,
    catalog,
    complaints,
    consultations,
    figures,
    notices,
    prefixed_routers,
    public,
    ratings,
    refusals,
    surveillance,
)
from yizhan.api.scope import hall_units

DESCRIPTION = """\
一站（Yizhan）政务服务大厅接口 — the service hall's REST API.

**Authentication** (every operation except those under `/api/public/`):
- programs: `Authorization: Bearer <key>`; an administrator creates the key in the admin
  (接口令牌) or with `yizhan api-token create USERNAME --name NAME`; the key is shown once;
- browsers: the Django session of a signed-in user; unsafe methods need the `X-CSRFToken` header.

**Scope**: staff see and act on the cases, consultations, notices and refusals of the windows in
their subtree (clerk, department head, hall supervisor roles); anything outside it answers 404.

**Errors** always have one shape, naming the input and the rule it broke:
`{"errors": [{"field": "applicant_id", "rule": "resident_id_check_digit", "message": "…"}]}`.
401 not signed in · 403 not allowed · 404 unknown or out of scope · 409 the object's state does not
allow the action (nothing is changed) · 422 the input breaks a rule (nothing is written).

**Public case lookup** (办件查询): both `GET /api/public/cases/{case_no}?last4=NNNN` and
`POST /api/public/lookup` need no sign-in but the case number together with the last four digits of
the applicant's phone or ID number; a wrong suffix and an unknown number both answer 404. The GET
reveals only the case's state, matter name, dates, deadline and the materials a notice asked for — no
personal data; the POST adds the timeline. Ratings (好差评), online complaints and extended-hours
appointments are open too. Wrong guesses are slowed down (429 with `Retry-After`).
"""

api = UniqueSchemaNames(
    title="Yizhan API",
    version="1",
    description=DESCRIPTION,
    auth=AUTH,
    docs=OfflineSwagger(),
    docs_url="/docs",
    openapi_url="/openapi.json",
    urls_namespace="api",
)
errors.install(api)

api.add_router("/hall", catalog.router)
api.add_router("/hall", consultations.router)
api.add_router("/hall", cases.router)
api.add_router("/hall", notices.router)
api.add_router("/hall", refusals.router)
api.add_router("/hall", figures.router)
api.add_router("/hall", ratings.router)
api.add_router("/hall", complaints.router)
api.add_router("/hall", appointments.router)
api.add_router("/calendar", calendar.router)
api.add_router("/public", public.router)
api.add_router("/public", applicant.router)
api.add_router("/surveillance", surveillance.router)
# Routers of the other apps name their own prefix (PREFIX) and are found here without a line each.
for module in prefixed_routers():
    api.add_router(module.PREFIX, module.router)


class Me(Schema):
    username: str
    is_superuser: bool
    hall_units: list[str]


@api.get("/me", response={200: Me, **ERROR_RESPONSES}, tags=["auth"], summary="当前用户")
def me(request: HttpRequest):
    """Who the API sees: the signed-in user or the token's owner, and the units of their hall scope."""
    user = request.auth
    units = [] if user.is_superuser else list(hall_units(user).values_list("code", flat=True))
    return {"username": user.get_username(), "is_superuser": user.is_superuser, "hall_units": units}
