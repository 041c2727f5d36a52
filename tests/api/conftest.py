"""API personas: an APIClient authenticated as one role's user."""

import pytest
from rest_framework.test import APIClient


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def api_as(users):
    """api_as('engineer') is an APIClient acting as that role's persona."""

    def client_for(role):
        client = APIClient()
        client.force_authenticate(users[str(role)])
        return client

    return client_for


def field_errors(response) -> dict:
    """The JSON error body, asserting it is one (a 4xx with field names as keys)."""
    assert 400 <= response.status_code < 500, (response.status_code, response.content[:500])
    assert response["Content-Type"].startswith("application/json")
    return response.json()
