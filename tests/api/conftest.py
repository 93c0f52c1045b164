"""The API's tests run in the small hall of tests/factories.py; cases received without a moment are
received now."""

import pytest

from tests.factories import VALID_ID, ApiClient, Hall, at, only_error

__all__ = ["VALID_ID", "ApiClient", "Hall", "at", "only_error"]


@pytest.fixture
def hall(db, django_user_model) -> Hall:
    return Hall(django_user_model, received_at=None)


@pytest.fixture
def anon() -> ApiClient:
    return ApiClient(None)
