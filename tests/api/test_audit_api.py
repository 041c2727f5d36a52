"""The audit trail over the API (ISO 13485 4.2.5): filters, fields, and who may read it."""

from datetime import timedelta

from django.utils import timezone

from samsvar.core.audit import compute_hash
from samsvar.core.events import Event
from samsvar.core.models import AuditEvent

AUDIT = "/api/v1/audit-events/"
FIELDS = {
    "seq", "timestamp", "actor_id", "actor_name", "code", "action", "object_type", "object_id",
    "object_repr", "changes", "reason", "request_id", "prev_hash", "hash",
}  # fmt: skip


def test_events_carry_every_field_the_hash_covers(api_as, device):
    response = api_as("auditor").get(AUDIT)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == AuditEvent.objects.count()
    newest = body["results"][0]
    assert set(newest) == FIELDS
    stored = AuditEvent.objects.get(seq=newest["seq"])
    assert newest["hash"] == stored.hash == compute_hash(stored)
    assert newest["code"] == Event.RECORD_CREATED
    assert newest["object_id"] == str(device.pk)
    assert newest["changes"]["name"] == [None, device.name]
    seqs = [e["seq"] for e in body["results"]]
    assert seqs == sorted(seqs, reverse=True)


def test_filters_narrow_the_log(api_as, device, make_device, quality, engineer):
    other = make_device(engineer, name="Engineer's device")
    client = api_as("quality_manager")

    def seqs(**query):
        response = client.get(AUDIT, query)
        assert response.status_code == 200, response.json()
        return {e["seq"] for e in response.json()["results"]}

    by_engineer = seqs(actor=str(engineer.pk))
    assert by_engineer == set(
        AuditEvent.objects.filter(actor_id=engineer.pk).values_list("seq", flat=True)
    )
    assert by_engineer == seqs(actor="Engineer Person")
    about_other = seqs(object_type="devices.device", object_id=str(other.pk))
    assert about_other == set(
        AuditEvent.objects.filter(
            object_id=str(other.pk), object_type="devices.device"
        ).values_list("seq", flat=True)
    )
    assert len(about_other) == 1
    today = timezone.localdate()
    assert seqs(date_from=today.isoformat()) == set(
        AuditEvent.objects.values_list("seq", flat=True)
    )
    assert seqs(date_to=(today - timedelta(days=1)).isoformat()) == set()


def test_roles_without_audit_view_get_403(api_as, device):
    for role in ("engineer", "approver"):
        assert api_as(role).get(AUDIT).status_code == 403
    for role in ("administrator", "quality_manager", "regulatory_affairs", "auditor"):
        assert api_as(role).get(AUDIT).status_code == 200
