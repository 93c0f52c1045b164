import re

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from ninja import Router, Schema

from tests.factories import ApiClient, only_error
from yizhan.api.openapi import UniqueSchemaNames

EVERY_PATH = {
    "/api/me",
    "/api/hall/matters", "/api/hall/matters.csv", "/api/hall/matters/{code}",
    "/api/hall/consultations", "/api/hall/consultations/{consultation_id}",
    "/api/hall/consultations/{consultation_id}/refer", "/api/hall/consultations/{consultation_id}/answer",
    "/api/hall/cases", "/api/hall/cases/{case_no}",
    "/api/hall/cases/{case_no}/accept", "/api/hall/cases/{case_no}/review", "/api/hall/cases/{case_no}/pause",
    "/api/hall/cases/{case_no}/resume", "/api/hall/cases/{case_no}/decide", "/api/hall/cases/{case_no}/complete",
    "/api/hall/cases/{case_no}/complete-on-the-spot", "/api/hall/cases/{case_no}/withdraw",
    "/api/hall/cases/{case_no}/green-channel", "/api/hall/cases/{case_no}/handler",
    "/api/hall/cases/{case_no}/materials", "/api/hall/cases/{case_no}/materials/applicable",
    "/api/hall/cases/{case_no}/missing-materials", "/api/hall/cases/{case_no}/notices",
    "/api/hall/cases/{case_no}/notices/{seq}", "/api/hall/cases/{case_no}/notices/{seq}/print",
    "/api/hall/cases/{case_no}/refusals", "/api/hall/refusals", "/api/hall/refusals/{refusal_id}/confirm",
    "/api/hall/refusals/{refusal_id}/reject",
    "/api/hall/figures", "/api/hall/ranking", "/api/hall/warnings", "/api/hall/accountability",
    "/api/calendar/status", "/api/public/cases/{case_no}",
    "/api/hall/ratings", "/api/hall/rectifications", "/api/hall/rectifications/{item_id}/verify",
    "/api/hall/rectifications/{item_id}/close", "/api/hall/complaints", "/api/hall/complaints/{complaint_id}/investigate",
    "/api/hall/complaints/{complaint_id}/conclude", "/api/hall/appointments",
    "/api/hall/appointments/{appointment_id}/receive", "/api/hall/appointments/{appointment_id}/no-show",
    "/api/public/lookup", "/api/public/ratings", "/api/public/complaints", "/api/public/appointments",
    "/api/public/appointments/slots", "/api/public/commitments",
    "/api/surveillance/diseases", "/api/surveillance/cards", "/api/surveillance/cards/check",
    "/api/surveillance/cards/{card_no}", "/api/surveillance/cards/{card_no}/correct",
    "/api/surveillance/cards/{card_no}/review", "/api/surveillance/cards/{card_no}/delete",
    "/api/surveillance/cards/{card_no}/restore", "/api/surveillance/cards/{card_no}/release",
    "/api/surveillance/signals", "/api/surveillance/signals/{signal_id}/respond", "/api/surveillance/figures",
    "/api/surveillance/quality", "/api/surveillance/incidents", "/api/surveillance/dhis2/dataValueSets",
    "/api/ledger/accounts", "/api/ledger/accounts/{code}", "/api/ledger/accounts/{code}/entries",
    "/api/ledger/entries/{entry_id}/reverse", "/api/followups", "/api/followups/{item_id}/complete",
    "/api/followups/{item_id}/verify", "/api/followups/{item_id}/cancel",
}


def test_the_openapi_document_is_json_with_every_path(db):
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    # Each app's routers add paths of their own; none of these may disappear.
    assert EVERY_PATH <= set(schema["paths"])
    figures = schema["paths"]["/api/hall/figures"]["get"]
    assert {p["name"] for p in figures["parameters"]} == {"from", "to", "unit"}
    assert set(figures["responses"]) >= {"200", "401", "422"}
    assert "/api/public/cases/{case_no}" in schema["info"]["description"]


def test_the_docs_page_loads_nothing_from_another_host(db):
    page = Client().get("/api/docs")
    assert page.status_code == 200
    html = page.content.decode()
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    assets = re.findall(r"""(?:src|href)="(/api/docs/assets/[^"]+)\"""", html)
    assert len(assets) == 4
    for url in assets:
        asset = Client().get(url)
        assert asset.status_code == 200
        body = b"".join(asset.streaming_content)
        assert len(body) > 0
    assert Client().get("/api/docs/assets/settings.py").status_code == 404


def test_an_unknown_api_path_answers_in_the_envelope(db):
    error = only_error(ApiClient(None).get("/api/nothing/here"), 404)
    assert error["rule"] == "not_found"


def test_two_schemas_under_one_name_refuse_to_document():
    """Each schema is documented under its own name: a clash would show one route the other's fields."""
    def figures_of(field: str) -> type[Schema]:
        return type("FiguresOut", (Schema,), {"__annotations__": {field: int}})

    clashing = UniqueSchemaNames(urls_namespace="clash-test")
    for prefix, field in (("/visits", "visits"), ("/rooms", "rooms")):
        router = Router()
        router.add_api_operation("/figures", ["GET"], lambda request: {}, response=figures_of(field))
        clashing.add_router(prefix, router)
    with pytest.raises(ImproperlyConfigured, match="FiguresOut"):
        clashing.get_openapi_schema(path_prefix="")
