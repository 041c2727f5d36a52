import pytest

from samsvar.core.services import record_sign
from tests.conftest import PASSWORD


@pytest.fixture
def signed_device(device, approver):
    """The persona device, version 1 signed 'approved' by the approver."""
    record_sign(actor=approver, record=device, meaning="approved", password=PASSWORD)
    return device
