"""The device register over the API: every write audited with before and after values."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from samsvar.core.events import Event
from samsvar.core.models import AuditEvent
from samsvar.devices.models import Device

DEVICES = "/api/v1/devices/"

PUMP = {
    "name": "Fjordmed InsuPump 4",
    "model_number": "IP-4",
    "variants": ["IP-4 S", "IP-4 L"],
    "regime": "mdr",
    "intended_purpose": "Continuous subcutaneous insulin infusion for diabetes mellitus.",
    "intended_users": "lay",
    "target_markets": ["SE", "NO"],
}

DEVICE_FIELDS = {
    "id", "regime", "version", "name", "model_number", "variants", "intended_purpose",
    "intended_users", "target_markets", "lifecycle_status", "device_class",
    "classification_rule", "basic_udi_di", "signatures", "created_at", "updated_at",
}  # fmt: skip


def device_events(device, code):
    return AuditEvent.objects.filter(
        code=code, object_type="devices.device", object_id=str(device.pk)
    )


def test_registering_a_device_saves_it_and_audits_every_field(api_as, quality):
    response = api_as("quality_manager").post(
        DEVICES, {**PUMP, "reason": "New product line"}, format="json"
    )
    assert response.status_code == 201
    body = response.json()
    assert set(body) == DEVICE_FIELDS
    assert body["version"] == 1
    assert body["target_markets"] == ["NO", "SE"]
    assert body["variants"] == ["IP-4 S", "IP-4 L"]
    assert body["lifecycle_status"] == "development"
    assert body["signatures"] == []

    device = Device.objects.get(pk=body["id"])
    assert device.name == PUMP["name"]
    [created] = device_events(device, Event.RECORD_CREATED)
    assert created.actor_id == quality.pk
    assert created.reason == "New product line"
    assert created.changes["name"] == [None, PUMP["name"]]
    assert created.changes["target_markets"] == [None, ["NO", "SE"]]
    assert created.request_id, "API writes carry the request id into the trail"


def test_the_list_is_paginated_and_filtered(api_as, make_device, quality):
    make_device(quality, name="InsuPump", model_number="IP-3")
    make_device(quality, name="GlucoCheck", regime="ivdr", lifecycle_status="on_market")
    make_device(quality, name="GlucoCheck Pro", regime="ivdr")
    client = api_as("auditor")

    everything = client.get(DEVICES).json()
    assert everything["count"] == 3
    assert [d["name"] for d in everything["results"]] == [
        "GlucoCheck",
        "GlucoCheck Pro",
        "InsuPump",
    ]

    def names(query):
        response = client.get(DEVICES, query)
        assert response.status_code == 200
        return [d["name"] for d in response.json()["results"]]

    assert names({"regime": "ivdr"}) == ["GlucoCheck", "GlucoCheck Pro"]
    assert names({"lifecycle_status": "on_market"}) == ["GlucoCheck"]
    assert names({"q": "ip-3"}) == ["InsuPump"]
    assert names({"q": "pro", "regime": "ivdr"}) == ["GlucoCheck Pro"]
    page = client.get(DEVICES, {"page_size": 2, "page": 2}).json()
    assert [d["name"] for d in page["results"]] == ["InsuPump"]
    assert page["previous"] is not None


def test_retrieve_shows_the_register_fields(api_as, device):
    response = api_as("engineer").get(f"{DEVICES}{device.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == DEVICE_FIELDS
    assert (body["id"], body["name"], body["regime"]) == (device.pk, device.name, "mdr")
    assert api_as("engineer").get(f"{DEVICES}999999/").status_code == 404


def test_patch_changes_only_the_given_fields_and_records_before_and_after(api_as, device, engineer):
    response = api_as("engineer").patch(
        f"{DEVICES}{device.pk}/",
        {"model_number": "IP-3b", "target_markets": ["NO", "DK"], "reason": "Danish launch"},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["model_number"] == "IP-3b"
    device.refresh_from_db()
    assert device.model_number == "IP-3b"
    assert device.target_markets == ["DK", "NO"]
    assert device.intended_users == "lay", "fields left out of a PATCH stay as they were"
    [update] = device_events(device, Event.RECORD_UPDATED)
    assert update.actor_id == engineer.pk
    assert update.reason == "Danish launch"
    assert update.changes == {
        "model_number": ["M-1", "IP-3b"],
        "target_markets": [["NO"], ["DK", "NO"]],
    }


def test_put_replaces_and_needs_every_required_field(api_as, device):
    client = api_as("quality_manager")
    partial = client.put(f"{DEVICES}{device.pk}/", {"name": "Renamed"}, format="json")
    assert partial.status_code == 400
    assert set(partial.json()) == {"model_number", "regime", "intended_purpose", "intended_users"}
    device.refresh_from_db()
    assert device.name == "Fjordmed InsuPump 3"

    full = client.put(f"{DEVICES}{device.pk}/", {**PUMP, "name": "Renamed"}, format="json")
    assert full.status_code == 200
    device.refresh_from_db()
    assert (device.name, device.model_number, device.variants) == (
        "Renamed",
        "IP-4",
        ["IP-4 S", "IP-4 L"],
    )


def test_devices_cannot_be_deleted(api_as, device):
    response = api_as("administrator").delete(f"{DEVICES}{device.pk}/")
    assert response.status_code == 405
    assert "DELETE" not in response["Allow"]
    assert Device.objects.filter(pk=device.pk).exists()
    assert not AuditEvent.objects.filter(code=Event.RECORD_DELETED).exists()


def test_history_lists_the_audit_events_about_the_device_only(api_as, device, make_device, quality):
    other = make_device(quality, name="Other device")
    api_as("quality_manager").patch(f"{DEVICES}{device.pk}/", {"model_number": "X"}, format="json")
    response = api_as("auditor").get(f"{DEVICES}{device.pk}/history/")
    assert response.status_code == 200
    results = response.json()["results"]
    assert [e["code"] for e in results] == [Event.RECORD_UPDATED, Event.RECORD_CREATED]
    assert {e["object_id"] for e in results} == {str(device.pk)} != {str(other.pk)}
    assert results[0]["changes"] == {"model_number": ["M-1", "X"]}
    assert all(len(e["hash"]) == len(e["prev_hash"]) == 64 for e in results)
    assert api_as("auditor").get(f"{DEVICES}999999/history/").status_code == 404


def test_the_list_costs_the_same_queries_for_one_device_or_many(api_as, make_device, quality):
    from samsvar.core.services import record_sign
    from tests.conftest import PASSWORD

    client = api_as("engineer")

    def queries_for_list():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(DEVICES)
        assert response.status_code == 200
        return len(queries), response.json()

    first = make_device(quality)
    record_sign(actor=quality, record=first, meaning="authored", password=PASSWORD)
    few, _ = queries_for_list()
    for _ in range(12):
        record_sign(
            actor=quality, record=make_device(quality), meaning="authored", password=PASSWORD
        )
    many, body = queries_for_list()
    assert body["count"] == 13
    assert all(len(d["signatures"]) == 1 for d in body["results"])
    assert many == few
