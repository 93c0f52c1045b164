"""Every API route, driven by schemathesis from the OpenAPI document through the WSGI application (no
server): no input may cause a server error or a response outside the documented schema."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, seed, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from yizhan.wsgi import application

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)


@pytest.fixture
def wsgi_in_test_transaction():
    """Calls through the WSGI application keep the test's database connection, as Django's test client
    does: closing "old" connections at each request would close the one holding the test transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@seed(20261202)
@settings(max_examples=20, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_api_conforms(case, hall, schemathesis_tally, wsgi_in_test_transaction):
    headers = hall.api(hall.supervisor).headers
    response = case.call_and_validate(headers=headers, checks=CHECKS)
    schemathesis_tally[case.operation.label] += 1
    if response.status_code >= 500:
        schemathesis_tally["server errors"] += 1
