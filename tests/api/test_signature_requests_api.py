"""Signature requests over the API: asking a colleague to review or approve a record."""

from samsvar.core.events import Event
from samsvar.core.models import AuditEvent, SignatureRequest
from tests.conftest import PASSWORD

REQUESTS = "/api/v1/signature-requests/"


def test_a_request_shows_for_the_requester_and_the_signer_until_signed(
    api_as, device, quality, approver
):
    response = api_as("quality_manager").post(
        REQUESTS,
        {
            "object_type": "devices.device",
            "object_id": str(device.pk),
            "signer": approver.pk,
            "meaning": "approved",
            "message": "Please approve before the design review.",
        },
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["object_type"] == "devices.device"
    assert (body["object_id"], body["version"], body["status"]) == (str(device.pk), 1, "open")
    assert (body["requested_by_name"], body["signer_name"]) == (
        quality.full_name,
        approver.full_name,
    )
    assert AuditEvent.objects.filter(
        code=Event.SIGNATURE_REQUESTED, actor_id=quality.pk, object_id=str(device.pk)
    ).exists()

    def listed(role):
        return [r["id"] for r in api_as(role).get(REQUESTS).json()["results"]]

    assert listed("approver") == [body["id"]]
    assert listed("quality_manager") == [body["id"]]
    assert listed("engineer") == [], "other people's requests are not shown"

    signed = api_as("approver").post(
        f"/api/v1/devices/{device.pk}/sign/",
        {"meaning": "approved", "password": PASSWORD},
        format="json",
    )
    assert signed.status_code == 201
    assert SignatureRequest.objects.get().status == "signed"
    assert listed("approver") == []
    assert listed("quality_manager") == []
