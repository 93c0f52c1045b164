"""The API's tests run in the small hall of tests/factories.py; cases received without a moment are
received now."""

import collections
import json

import pytest

from tests.factories import ApiClient, Hall


@pytest.fixture
def hall(db, django_user_model) -> Hall:
    return Hall(django_user_model, received_at=None)


@pytest.fixture
def anon() -> ApiClient:
    return ApiClient(None)


_TALLY: collections.Counter = collections.Counter()


@pytest.fixture
def schemathesis_tally() -> collections.Counter:
    """Examples run per operation by tests/api/test_schemathesis.py, printed at the end of the run."""
    return _TALLY


def pytest_terminal_summary(terminalreporter) -> None:
    if _TALLY:
        errors = _TALLY.get("server errors", 0)
        operations = {k: v for k, v in _TALLY.items() if k != "server errors"}
        terminalreporter.write_line(json.dumps({"schemathesis_operations": len(operations),
                                                "schemathesis_examples": sum(operations.values()),
                                                "schemathesis_server_errors": errors}))
