"""Shared personas and factories: one user per role, a device, logged-in clients."""

import pytest

from samsvar.core.permissions import Role

PASSWORD = "Fjord-test-passord-42"

# One headless browser for the whole run, shared by every test that drives it.
pytest_plugins = ["tests.browser_fixtures"]


@pytest.fixture(autouse=True)
def fresh_process_state():
    """Every test starts in the default language, whatever an earlier test in the same worker
    activated (request middleware and report rendering switch the thread's language), and with
    no cached content type ids."""
    from django.conf import settings
    from django.contrib.contenttypes.models import ContentType
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    # A transactional test or a restore re-creates the content types under new ids; a cached
    # id from before would point at a row that is gone.
    ContentType.objects.clear_cache()
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def make_user(db):
    from samsvar.accounts.services import user_create

    def make(role=Role.ENGINEER, username=None, full_name=None, **extra):
        username = username or f"{role}-{make.count}"
        make.count += 1
        return user_create(
            actor=None,
            username=username,
            password=PASSWORD,
            full_name=full_name or f"{str(role).replace('_', ' ').title()} Person",
            role=role,
            email=f"{username}@example.no",
            **extra,
        )

    make.count = 0
    return make


@pytest.fixture
def users(make_user):
    """One user per role, keyed by the role value (e.g. users['quality_manager'])."""
    return {role.value: make_user(role=role, username=role.value) for role in Role}


@pytest.fixture
def quality(users):
    return users[Role.QUALITY_MANAGER]


@pytest.fixture
def engineer(users):
    return users[Role.ENGINEER]


@pytest.fixture
def approver(users):
    return users[Role.APPROVER]


@pytest.fixture
def auditor(users):
    return users[Role.AUDITOR]


@pytest.fixture
def make_device(db):
    from samsvar.devices.services import device_create

    def make(actor, **fields):
        make.count += 1
        values = {
            "name": f"Device {make.count}",
            "model_number": f"M-{make.count}",
            "regime": "mdr",
            "intended_purpose": "Continuous subcutaneous insulin infusion for diabetes mellitus.",
            "intended_users": "lay",
        }
        values.update(fields)
        return device_create(actor=actor, **values)

    make.count = 0
    return make


@pytest.fixture
def device(make_device, quality):
    return make_device(quality, name="Fjordmed InsuPump 3")


@pytest.fixture
def client_for(client, users):
    """client_for('engineer') logs the test client in as that role's persona."""

    def login(role):
        client.force_login(users[str(role)])
        return client

    return login
