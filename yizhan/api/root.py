"""The REST API at /api/: OpenAPI document at /api/openapi.json, documentation at /api/docs."""

from django.http import HttpRequest
from ninja import Schema

from yizhan.api import errors
from yizhan.api.auth import AUTH
from yizhan.api.docs import OfflineSwagger
from yizhan.api.errors import ERROR_RESPONSES
from yizhan.api.openapi import UniqueSchemaNames
from yizhan.api.scope import hall_units
from yizhan.plugins import app_modules

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

# Each app's routes live in the app (`yizhan/<app>/api.py`, `PREFIX` and `router`, or `ROUTES` for
# several) and are mounted here in INSTALLED_APPS order, without a line each.
for _config, module in app_modules("api"):
    for prefix, router in getattr(module, "ROUTES", None) or [(module.PREFIX, module.router)]:
        api.add_router(prefix, router)


class Me(Schema):
    username: str
    is_superuser: bool
    hall_units: list[str]


@api.get("/me", response={200: Me, **ERROR_RESPONSES}, tags=["auth"], summary="当前用户")
def me(request: HttpRequest):
    """Who the API sees: the signed-in user or the token's owner, and the units of their hall scope."""
    user = request.auth  # type: ignore[attr-defined]  # set by django-ninja's authentication
    units = [] if user.is_superuser else list(hall_units(user).values_list("code", flat=True))
    return {"username": user.get_username(), "is_superuser": user.is_superuser, "hall_units": units}
