"""The compliance demo data and the OpenAPI schema of the compliance endpoints."""

import pytest
import yaml
from django.core.management import call_command
from django.urls import reverse

from samsvar.compliance.models import (
    ComplianceStatement,
    Declaration,
    Evidence,
    Obligation,
    TechdocReference,
)
from samsvar.core.models import AuditEvent, Signature

DEMO_PASSWORD = "Demo-passord-for-tests-7"


@pytest.mark.django_db
def test_the_demo_shows_work_in_progress_and_loads_once():
    from samsvar.accounts.demo import load_users
    from samsvar.compliance import demo
    from samsvar.core.demo import load

    load(DEMO_PASSWORD)
    people = load_users(DEMO_PASSWORD)
    demo.load(people, DEMO_PASSWORD)
    pump = Obligation.objects.filter(device__name="Fjordmed InsuPump 3")
    meter = Obligation.objects.filter(device__name="Fjordmed GlucoSure")
    assert pump.exists() and meter.exists()
    assert pump.get(key="mdr-10-2").status == "in_progress"
    assert pump.get(key="mdr-10-2").owner == people["quality"]
    assert any(o.is_overdue for o in Obligation.objects.all())
    assert Obligation.objects.filter(device__isnull=True, status="met").count() >= 5
    assert Evidence.objects.filter(external_reference__startswith="SOP-004").exists()
    declaration = Declaration.objects.get(device__name="Fjordmed InsuPump 3")
    assert declaration.notified_body_number == "0000"
    assert declaration.class_label == "IIb"
    statement = ComplianceStatement.objects.get()
    signature = Signature.objects.get(
        record_version__content_type__model="compliancestatement",
        record_version__object_id=str(statement.pk),
    )
    assert signature.signer == people["quality"] and signature.meaning == "approved"
    assert TechdocReference.objects.exists()
    trail = AuditEvent.objects.count()
    demo.load(people, DEMO_PASSWORD)
    assert AuditEvent.objects.count() == trail


@pytest.mark.django_db
def test_the_sync_button_adds_the_obligations(synced, client_for, make_device, quality):
    device = make_device(quality, name="Fjordmed NeedleFree")
    client = client_for("regulatory_affairs")
    response = client.post(reverse("compliance:sync"))
    assert response.status_code == 302
    assert Obligation.objects.filter(device=device).count() == 11
    follow = client.get(response["Location"]).content.decode()
    assert "Fjordmed NeedleFree" in follow


@pytest.mark.django_db
def test_the_schema_documents_the_compliance_endpoints_without_warnings(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", validate=True, fail_on_warn=True, file=str(target))
    paths = yaml.safe_load(target.read_text())["paths"]
    assert set(paths["/api/v1/obligations/"]) == {"get"}
    assert set(paths["/api/v1/obligations/{id}/"]) == {"get", "patch"}
    assert set(paths["/api/v1/devices/{id}/techdoc/"]) == {"get"}
    assert set(paths["/api/v1/devices/{id}/declaration/"]) == {"get", "put"}
    for route in ("/api/v1/obligations/", "/api/v1/devices/{id}/declaration/"):
        for operation in paths[route].values():
            assert operation["tags"] == ["compliance"] and operation["summary"]
