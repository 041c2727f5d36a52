"""The audit log page, its filters, the CSV export and each record's history."""

import csv
import io

import pytest
from django.urls import reverse

from samsvar.core.models import AuditEvent


@pytest.mark.django_db
def test_audit_log_filters_by_user_type_and_date(client_for, make_device, users):
    make_device(users["engineer"], name="By engineer")
    make_device(users["quality_manager"], name="By quality")
    client = client_for("auditor")
    response = client.get(
        reverse("core:audit_log"), {"actor": "engineer", "object_type": "devices.device"}
    )
    events = list(response.context["page"].object_list)
    assert [e.object_repr for e in events] == ["By engineer"]
    today = events[0].timestamp.date().isoformat()
    response = client.get(reverse("core:audit_log"), {"date_from": today, "date_to": today})
    assert len(response.context["page"].object_list) == AuditEvent.objects.count()
    response = client.get(
        reverse("core:audit_log"), {"date_from": "2000-01-01", "date_to": "2000-01-02"}
    )
    assert len(response.context["page"].object_list) == 0


@pytest.mark.django_db
def test_audit_log_bad_date_names_the_field_instead_of_failing(client_for):
    response = client_for("auditor").get(reverse("core:audit_log"), {"date_from": "31.12.2026"})
    assert response.status_code == 200
    assert "date_from" in response.context["filter_errors"]
    response = client_for("auditor").get(
        reverse("core:audit_log"), {"date_from": "2026-02-01", "date_to": "2026-01-01"}
    )
    assert "date_to" in response.context["filter_errors"]


@pytest.mark.django_db
def test_audit_csv_export_contains_every_filtered_event_in_order(client_for, make_device, users):
    device = make_device(users["engineer"], name="Exported")
    response = client_for("auditor").get(
        reverse("core:audit_export"), {"object_type": "devices.device"}
    )
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [r["object"] for r in rows] == ["Exported"]
    event = AuditEvent.objects.get(object_id=str(device.pk), object_type="devices.device")
    assert rows[0]["hash"] == event.hash and rows[0]["seq"] == str(event.seq)


@pytest.mark.django_db
def test_engineer_sees_no_global_log_but_the_record_history(client_for, device):
    client = client_for("engineer")
    assert client.get(reverse("core:audit_log")).status_code == 403
    assert client.get(reverse("core:audit_export")).status_code == 403
    response = client.get(reverse("devices:detail", args=[device.pk]))
    assert [e.action for e in response.context["events"]] == ["create"]


@pytest.mark.django_db
def test_history_shows_readable_labels_and_field_names(client_for, device, users):
    from samsvar.devices.services import device_update

    device_update(actor=users["engineer"], device=device, model_number="IP3-300")
    page = client_for("auditor").get(reverse("devices:detail", args=[device.pk])).content.decode()
    assert "Changed" in page and ">model<" in page.replace("<dt>model</dt>", ">model<")
    assert "IP3-300" in page


@pytest.mark.django_db
def test_audit_log_pages_keep_the_filters(client_for, make_device, users):
    for _ in range(55):
        make_device(users["engineer"])
    response = client_for("auditor").get(
        reverse("core:audit_log"), {"object_type": "devices.device"}
    )
    page = response.content.decode()
    assert response.context["page"].paginator.count == 55
    assert "?object_type=devices.device&amp;page=2" in page
