"""Bad input gets a 400 that names the field, and nothing is saved (DESIGN.md house rule 7)."""

import pytest

from samsvar.accounts.models import User
from samsvar.core.events import Event
from samsvar.core.models import AuditEvent, SignatureRequest
from samsvar.devices.models import Device
from tests.api.conftest import field_errors
from tests.api.test_devices_api import PUMP

DEVICES = "/api/v1/devices/"


def without(body, name):
    return {k: v for k, v in body.items() if k != name}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**PUMP, "target_markets": "NO"}, "target_markets"),
        ({**PUMP, "target_markets": ["NO", "US"]}, "target_markets"),
        ({**PUMP, "target_markets": []}, "target_markets"),
        ({**PUMP, "target_markets": [["NO"]]}, "target_markets"),
        ({**PUMP, "regime": "fda"}, "regime"),
        ({**PUMP, "regime": None}, "regime"),
        ({**PUMP, "intended_users": "robots"}, "intended_users"),
        ({**PUMP, "lifecycle_status": "sold"}, "lifecycle_status"),
        ({**PUMP, "variants": "IP-4 S"}, "variants"),
        ({**PUMP, "variants": [{"name": "S"}]}, "variants"),
        ({**PUMP, "name": "x" * 201}, "name"),
        ({**PUMP, "model_number": "x" * 101}, "model_number"),
        ({**PUMP, "name": {"en": "Pump"}}, "name"),
        ({**PUMP, "name": ""}, "name"),
        ({**PUMP, "reason": "x" * 2001}, "reason"),
        ({**PUMP, "colour": "blue"}, "colour"),
        ({**PUMP, "device_class": "III"}, "device_class"),
        ({**PUMP, "version": 7}, "version"),
        ({**PUMP, "id": 99}, "id"),
        (without(PUMP, "name"), "name"),
        (without(PUMP, "regime"), "regime"),
        (without(PUMP, "intended_purpose"), "intended_purpose"),
        ([PUMP], "non_field_errors"),
        ("a device", "non_field_errors"),
    ],
)
def test_bad_device_bodies_name_the_field_and_save_nothing(api_as, body, field):
    response = api_as("quality_manager").post(DEVICES, body, format="json")
    errors = field_errors(response)
    assert response.status_code == 400
    assert field in errors, errors
    assert not Device.objects.exists()
    assert not AuditEvent.objects.filter(code=Event.RECORD_CREATED, object_type="devices.device")


def test_every_bad_field_is_named_at_once(api_as):
    response = api_as("quality_manager").post(
        DEVICES, {**PUMP, "regime": "fda", "target_markets": "NO", "colour": 1}, format="json"
    )
    assert set(field_errors(response)) == {"regime", "target_markets", "colour"}


def test_a_duplicate_name_is_refused_by_field(api_as, device):
    response = api_as("quality_manager").post(DEVICES, {**PUMP, "name": device.name}, format="json")
    assert list(field_errors(response)) == ["name"]
    assert Device.objects.count() == 1


def test_a_class_from_the_other_regulation_is_refused_by_the_model(api_as, device):
    # The serializer accepts "ivdr"; the model's clean() knows an MDR class cannot stay.
    from samsvar.core.audit import audited

    with audited(actor=None):
        device.device_class = "IIb"
        device.save()
    response = api_as("quality_manager").patch(
        f"{DEVICES}{device.pk}/", {"regime": "ivdr"}, format="json"
    )
    assert list(field_errors(response)) == ["device_class"]
    device.refresh_from_db()
    assert device.regime == "mdr"


@pytest.mark.parametrize(
    "raw",
    [b"{bad json", b'{"name": "x",}', b"", b"\xff\xfe"],
)
def test_malformed_json_is_a_400_not_a_500(api_as, raw):
    response = api_as("quality_manager").generic(
        "POST", DEVICES, raw, content_type="application/json"
    )
    errors = field_errors(response)
    assert response.status_code == 400
    assert errors
    assert not Device.objects.exists()


def test_a_non_json_content_type_is_refused(api_as):
    response = api_as("quality_manager").generic(
        "POST", DEVICES, b"name=x", content_type="text/plain"
    )
    assert response.status_code == 415
    assert not Device.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"target_markets": "NO"}, "target_markets"),
        ({"target_markets": ["XX"]}, "target_markets"),
        ({"regime": "eu"}, "regime"),
        ({"name": None}, "name"),
        ({"basic_udi_di": "0123"}, "basic_udi_di"),
        ({"nmae": "typo"}, "nmae"),
    ],
)
def test_bad_updates_name_the_field_and_change_nothing(api_as, device, body, field):
    before = Device.objects.get(pk=device.pk).audit_snapshot()
    response = api_as("quality_manager").patch(f"{DEVICES}{device.pk}/", body, format="json")
    assert field in field_errors(response)
    assert Device.objects.get(pk=device.pk).audit_snapshot() == before
    assert not AuditEvent.objects.filter(code=Event.RECORD_UPDATED).exists()


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"regime": "fda"}, "regime"),
        ({"lifecycle_status": "sold"}, "lifecycle_status"),
        ({"q": "x" * 201}, "q"),
        ({"regme": "mdr"}, "regme"),
    ],
)
def test_bad_list_filters_name_the_parameter(api_as, device, query, field):
    assert field in field_errors(api_as("engineer").get(DEVICES, query))


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"date_from": "2024-13-45"}, "date_from"),
        ({"date_from": "yesterday"}, "date_from"),
        ({"date_to": "2024-02-30"}, "date_to"),
        ({"date_from": "2024-06-02", "date_to": "2024-06-01"}, "date_to"),
        ({"actor": "x" * 301}, "actor"),
        ({"object": "devices.device"}, "object"),
    ],
)
def test_bad_audit_filters_name_the_parameter(api_as, query, field):
    response = api_as("quality_manager").get("/api/v1/audit-events/", query)
    assert response.status_code == 400
    assert field in field_errors(response)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"meaning": "blessed", "password": "x"}, "meaning"),
        ({"meaning": "authored"}, "password"),
        ({"password": "x"}, "meaning"),
        ({"meaning": "authored", "password": "x", "pin": "1"}, "pin"),
        ({"meaning": "authored", "password": "x", "otp_token": "1" * 13}, "otp_token"),
    ],
)
def test_bad_sign_requests_name_the_field(api_as, device, body, field):
    response = api_as("quality_manager").post(f"{DEVICES}{device.pk}/sign/", body, format="json")
    assert field in field_errors(response)
    assert not AuditEvent.objects.filter(code=Event.SIGNATURE_APPLIED).exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"password": "Long-enough-pass-1", "full_name": "A", "role": "engineer"}, "username"),
        ({"username": "a", "full_name": "A", "role": "engineer"}, "password"),
        ({"username": "a", "password": "short", "full_name": "A", "role": "engineer"}, "password"),
        ({"username": "a", "password": "Long-enough-pass-1", "role": "engineer"}, "full_name"),
        ({"username": "a", "password": "Long-enough-pass-1", "full_name": "A"}, "role"),
        (
            {"username": "a", "password": "Long-enough-pass-1", "full_name": "A", "role": "boss"},
            "role",
        ),
        (
            {"username": "a b", "password": "Long-enough-pass-1", "full_name": "A", "role": "qa"},
            "username",
        ),
        (
            {
                "username": "a",
                "password": "Long-enough-pass-1",
                "full_name": "A",
                "role": "engineer",
                "is_superuser": True,
            },
            "is_superuser",
        ),
        (
            {
                "username": "engineer",
                "password": "Long-enough-pass-1",
                "full_name": "A",
                "role": "engineer",
            },
            "username",
        ),
        (
            {
                "username": "Engineer",
                "password": "Long-enough-pass-1",
                "full_name": "A",
                "role": "engineer",
            },
            "username",
        ),
    ],
)
def test_bad_user_bodies_name_the_field_and_create_nobody(api_as, users, body, field):
    before = User.objects.count()
    response = api_as("administrator").post("/api/v1/users/", body, format="json")
    assert field in field_errors(response)
    assert User.objects.count() == before
    assert not AuditEvent.objects.filter(code=Event.USER_CREATED, actor_id__isnull=False)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"username": "renamed"}, "username"),
        ({"password": "New-long-passord-1"}, "password"),
        ({"failed_login_count": 0}, "failed_login_count"),
        ({"role": "boss"}, "role"),
        ({"email": "not-an-address"}, "email"),
    ],
)
def test_bad_user_updates_name_the_field(api_as, engineer, body, field):
    response = api_as("administrator").patch(f"/api/v1/users/{engineer.pk}/", body, format="json")
    assert field in field_errors(response)
    engineer.refresh_from_db()
    assert (engineer.username, engineer.role) == ("engineer", "engineer")
    assert not AuditEvent.objects.filter(code=Event.USER_UPDATED).exists()


def test_an_administrator_cannot_deactivate_themselves(api_as, users):
    admin = users["administrator"]
    response = api_as("administrator").patch(
        f"/api/v1/users/{admin.pk}/", {"is_active": False}, format="json"
    )
    assert list(field_errors(response)) == ["is_active"]
    admin.refresh_from_db()
    assert admin.is_active


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"object_type": "risk.hazard"}, "object_type"),
        ({"object_id": "424242"}, "object_id"),
        ({"object_id": "not-a-number"}, "object_id"),
        ({"signer": 424242}, "signer"),
        ({"meaning": "blessed"}, "meaning"),
        ({"message": "x" * 2001}, "message"),
        ({"urgent": True}, "urgent"),
    ],
)
def test_bad_signature_requests_name_the_field(api_as, device, approver, body, field):
    valid = {
        "object_type": "devices.device",
        "object_id": str(device.pk),
        "signer": approver.pk,
        "meaning": "approved",
    }
    response = api_as("quality_manager").post(
        "/api/v1/signature-requests/", {**valid, **body}, format="json"
    )
    assert field in field_errors(response)
    assert not SignatureRequest.objects.exists()


def test_a_signer_without_the_meaning_is_refused_by_field(api_as, device, users):
    response = api_as("quality_manager").post(
        "/api/v1/signature-requests/",
        {
            "object_type": "devices.device",
            "object_id": str(device.pk),
            "signer": users["auditor"].pk,
            "meaning": "approved",
        },
        format="json",
    )
    assert list(field_errors(response)) == ["signer"]
    assert not SignatureRequest.objects.exists()
