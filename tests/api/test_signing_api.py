"""E-signatures over the API (Part 11 §11.50, §11.70, §11.200) and versioning after signing."""

from samsvar.core.events import Event
from samsvar.core.models import AuditEvent, RecordVersion, Signature
from samsvar.devices.models import Device
from tests.api.conftest import field_errors
from tests.conftest import PASSWORD


def sign_url(device):
    return f"/api/v1/devices/{device.pk}/sign/"


def sign(client, device, meaning="approved", password=PASSWORD, **extra):
    return client.post(
        sign_url(device), {"meaning": meaning, "password": password, **extra}, format="json"
    )


def test_signing_binds_name_meaning_time_and_content_hash(api_as, device, approver):
    response = sign(api_as("approver"), device)
    assert response.status_code == 201
    body = response.json()
    assert body["signer"] == approver.pk
    assert body["signer_full_name"] == approver.full_name
    assert body["meaning"] == "approved"
    assert body["version"] == 1
    assert body["content_sha256"] == device.content_sha256()
    assert body["signed_at"]
    assert "password" not in body

    shown = api_as("auditor").get(f"/api/v1/devices/{device.pk}/").json()
    assert [(s["signer_full_name"], s["meaning"]) for s in shown["signatures"]] == [
        (approver.full_name, "approved")
    ]
    versions = api_as("auditor").get(f"/api/v1/devices/{device.pk}/versions/").json()
    [frozen] = versions["results"]
    assert frozen["version"] == 1
    assert frozen["content_sha256"] == device.content_sha256()
    assert frozen["content"]["fields"]["name"] == device.name
    assert [s["signer_username"] for s in frozen["signatures"]] == ["approver"]
    assert AuditEvent.objects.filter(
        code=Event.SIGNATURE_APPLIED, actor_id=approver.pk, object_id=str(device.pk)
    ).exists()


def test_a_wrong_password_signs_nothing_and_is_audited(api_as, device, approver):
    response = sign(api_as("approver"), device, password="not-my-password")
    assert list(field_errors(response)) == ["password"]
    assert not Signature.objects.exists()
    assert not RecordVersion.objects.exists()
    [failed] = AuditEvent.objects.filter(code=Event.SIGNATURE_FAILED, actor_id=approver.pk)
    assert failed.changes == {"failures": 1, "why": "password"}


def test_repeated_failures_lock_signing_with_403(api_as, device, approver):
    client = api_as("approver")
    for _ in range(5):
        assert sign(client, device, password="guess").status_code == 400
    locked = sign(client, device)  # the right password, but locked
    assert locked.status_code == 403
    assert "locked" in locked.json()["detail"]
    assert not Signature.objects.exists()
    assert AuditEvent.objects.filter(code=Event.SIGNING_LOCKED, actor_id=approver.pk).exists()


def test_a_signed_version_needs_a_reason_and_the_change_makes_a_new_version(
    api_as, device, quality
):
    assert sign(api_as("approver"), device).status_code == 201
    client = api_as("quality_manager")
    url = f"/api/v1/devices/{device.pk}/"

    refused = client.patch(url, {"model_number": "IP-3b"}, format="json")
    assert list(field_errors(refused)) == ["reason"]
    device.refresh_from_db()
    assert (device.version, device.model_number) == (1, "M-1")
    assert not AuditEvent.objects.filter(code=Event.RECORD_UPDATED).exists()

    changed = client.patch(
        url, {"model_number": "IP-3b", "reason": "New motor supplier"}, format="json"
    )
    assert changed.status_code == 200
    assert changed.json()["version"] == 2
    assert changed.json()["signatures"] == [], "version 2 is not signed yet"
    device = Device.objects.get(pk=device.pk)
    assert (device.version, device.model_number) == (2, "IP-3b")
    [update] = AuditEvent.objects.filter(code=Event.RECORD_UPDATED, object_id=str(device.pk))
    assert update.reason == "New motor supplier"
    assert update.changes["version"] == [1, 2]
    [frozen] = RecordVersion.objects.all()
    assert (frozen.version, frozen.content["fields"]["model_number"]) == (1, "M-1")


def test_the_service_checks_the_meaning_against_the_role(api_as, device):
    # Engineers may sign "authored" but not "approved" (core/permissions.py).
    assert sign(api_as("engineer"), device, meaning="approved").status_code == 403
    assert sign(api_as("engineer"), device, meaning="authored").status_code == 201
    assert list(Signature.objects.values_list("meaning", flat=True)) == ["authored"]


def test_signing_twice_with_the_same_meaning_is_refused(api_as, device):
    client = api_as("approver")
    assert sign(client, device).status_code == 201
    assert list(field_errors(sign(client, device))) == ["meaning"]
    assert Signature.objects.count() == 1
