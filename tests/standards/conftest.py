"""Standards personas: the seeded register and API clients per role."""

import pytest
from rest_framework.test import APIClient


@pytest.fixture
def register(quality):
    """The register seeded from samsvar's catalogue, by the quality manager."""
    from samsvar.standards.models import StandardEdition
    from samsvar.standards.services import standards_register_seed

    standards_register_seed(quality)
    return {e.key: e for e in StandardEdition.objects.all()}


@pytest.fixture
def api_as(users):
    def client_for(role):
        client = APIClient()
        client.force_authenticate(users[str(role)])
        return client

    return client_for


@pytest.fixture
def apply(register, quality):
    """apply(device, key, **fields): the device applies the register edition `key`."""
    from samsvar.standards.services import applied_standard_add

    def add(device, key, **fields):
        return applied_standard_add(actor=quality, device=device, edition=register[key], **fields)

    return add
