"""Who may change compliance records: engineers, QA and RA; approvers and auditors only read."""

import pytest
from django.urls import reverse

from samsvar.compliance.models import Declaration, Obligation, TechdocReference
from samsvar.core.models import AuditEvent

READ_ONLY = ("auditor", "approver", "administrator")
EDITORS = ("engineer", "quality_manager", "regulatory_affairs")


def writes(pump, obligation, declaration_body):
    """(method, url, body) for every web write of the compliance app."""
    return [
        ("post", reverse("compliance:sync"), {}),
        (
            "post",
            reverse("compliance:obligation_edit", args=[obligation.pk]),
            {"status": "met"},
        ),
        (
            "post",
            reverse("compliance:evidence_add", args=[obligation.pk]),
            {"external_reference": "SOP-1"},
        ),
        (
            "post",
            reverse("compliance:techdoc_add", args=[pump.pk]),
            {"section_key": "mdr-annex-ii-2", "document_number": "L-1", "title": "Labels"},
        ),
        ("post", reverse("compliance:declaration_edit", args=[pump.pk]), declaration_body),
        ("post", reverse("compliance:statement_create"), {"note": "n"}),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("role", READ_ONLY)
def test_read_only_roles_see_everything_and_change_nothing(
    role, synced, organisation, client_for, declaration_body
):
    pump = synced["pump"]
    obligation = Obligation.objects.get(device=pump, key="mdr-10-2")
    client = client_for(role)
    for url in (
        reverse("compliance:overview"),
        reverse("compliance:manufacturer_obligations"),
        reverse("compliance:device_obligations", args=[pump.pk]),
        reverse("compliance:techdoc", args=[pump.pk]),
        reverse("compliance:declaration", args=[pump.pk]),
        reverse("compliance:statements"),
        "/api/v1/obligations/",
        f"/api/v1/obligations/{obligation.pk}/",
        f"/api/v1/devices/{pump.pk}/techdoc/",
        f"/api/v1/devices/{pump.pk}/declaration/",
    ):
        assert client.get(url).status_code == 200, url
    trail = AuditEvent.objects.count()
    for method, url, body in writes(pump, obligation, declaration_body):
        assert getattr(client, method)(url, body).status_code == 403, url
    assert (
        client.get(reverse("compliance:obligation_edit", args=[obligation.pk])).status_code == 403
    )
    api = client.patch(
        f"/api/v1/obligations/{obligation.pk}/", {"status": "met"}, content_type="application/json"
    )
    assert api.status_code == 403
    put = client.put(
        f"/api/v1/devices/{pump.pk}/declaration/", declaration_body, content_type="application/json"
    )
    assert put.status_code == 403
    obligation.refresh_from_db()
    assert obligation.status == "not_started"
    assert not Declaration.objects.exists() and not TechdocReference.objects.exists()
    assert AuditEvent.objects.count() == trail
    page = client.get(reverse("compliance:device_obligations", args=[pump.pk])).content.decode()
    assert reverse("compliance:obligation_edit", args=[obligation.pk]) not in page


@pytest.mark.django_db
@pytest.mark.parametrize("role", EDITORS)
def test_engineers_quality_and_regulatory_can_edit_obligations(role, synced, client_for):
    obligation = Obligation.objects.get(device=synced["pump"], key="mdr-10-2")
    client = client_for(role)
    page = client.get(reverse("compliance:device_obligations", args=[synced["pump"].pk]))
    assert reverse("compliance:obligation_edit", args=[obligation.pk]) in page.content.decode()
    response = client.post(
        reverse("compliance:obligation_edit", args=[obligation.pk]), {"status": "in_progress"}
    )
    assert response.status_code == 302
    api = client.patch(
        f"/api/v1/obligations/{obligation.pk}/",
        {"status": "met", "reason": "Signed off"},
        content_type="application/json",
    )
    assert api.status_code == 200 and api.json()["status"] == "met"


@pytest.mark.django_db
def test_the_service_refuses_a_read_only_role_too(synced, users):
    from django.core.exceptions import PermissionDenied

    from samsvar.compliance import services

    obligation = Obligation.objects.get(device=synced["pump"], key="mdr-10-2")
    with pytest.raises(PermissionDenied):
        services.obligation_update(actor=users["auditor"], obligation=obligation, status="met")
    with pytest.raises(PermissionDenied):
        services.obligations_sync(actor=users["approver"])


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_the_login(synced, client):
    response = client.get(reverse("compliance:overview"))
    assert response.status_code == 302 and "/accounts/login" in response["Location"]
    assert client.get("/api/v1/obligations/").status_code in (401, 403)
