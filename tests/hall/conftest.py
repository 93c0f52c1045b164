"""The engine's tests run in the small hall of tests/factories.py, in March 2010."""

import pytest

from tests.factories import Hall


@pytest.fixture
def hall(db, django_user_model) -> Hall:
    return Hall(django_user_model)
