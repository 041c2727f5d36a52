"""Bad input on every compliance form and endpoint: a field message, no 500, nothing saved."""

from datetime import date

import pytest
from django.urls import reverse

from samsvar.compliance.models import ComplianceStatement, Declaration, Evidence, Obligation
from samsvar.core.models import AuditEvent


@pytest.fixture
def item(synced):
    return Obligation.objects.get(device=synced["pump"], key="mdr-10-2")


def unchanged(item):
    stored = Obligation.objects.get(pk=item.pk)
    return (stored.status, stored.owner_id, stored.due_date, stored.notes) == (
        "not_started",
        None,
        None,
        "",
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"status": "done"}, "status"),
        ({"status": ""}, "status"),
        ({"status": "not_applicable"}, "justification"),
        ({"status": "not_applicable", "justification": "   "}, "justification"),
        ({"status": "met", "owner": "999999"}, "owner"),
        ({"status": "met", "owner": "abc"}, "owner"),
        ({"status": "met", "due_date": "2026-02-30"}, "due_date"),
        ({"status": "met", "due_date": "soon"}, "due_date"),
        ({"status": "met", "reason": "x" * 501}, "reason"),
    ],
)
def test_the_obligation_form_names_the_bad_field(item, client_for, body, field):
    trail = AuditEvent.objects.count()
    response = client_for("engineer").post(
        reverse("compliance:obligation_edit", args=[item.pk]), body
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert unchanged(item) and AuditEvent.objects.count() == trail


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"status": "done"}, "status"),
        ({"status": "not_applicable"}, "justification"),
        ({"owner": 999999}, "owner"),
        ({"owner": "kari"}, "owner"),
        ({"due_date": "31.12.2026"}, "due_date"),
        ({"notes": "x" * 5001}, "notes"),
        ({"notes": ["a"]}, "notes"),
        ({"colour": "red"}, "colour"),
        ({"key": "mdr-10-1"}, "key"),
        ({"device": 1}, "device"),
        ({"reason": "x" * 2001}, "reason"),
    ],
)
def test_the_obligation_endpoint_names_the_bad_field(item, client_for, body, field):
    trail = AuditEvent.objects.count()
    response = client_for("engineer").patch(
        f"/api/v1/obligations/{item.pk}/", body, content_type="application/json"
    )
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert unchanged(item) and AuditEvent.objects.count() == trail


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body", ["not json", "[1, 2]", '"met"', "null"], ids=["text", "list", "string", "null"]
)
def test_a_body_that_is_not_an_object_is_a_400(item, client_for, body):
    response = client_for("engineer").patch(
        f"/api/v1/obligations/{item.pk}/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert unchanged(item)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("status=done", "status"),
        ("device=abc", "device"),
        ("device=0", "device"),
        ("overdue=maybe", "overdue"),
        ("paragraf=10(2)", "paragraf"),
        ("paragraph=" + "1" * 21, "paragraph"),
    ],
)
def test_bad_filters_name_the_parameter(synced, client_for, query, field):
    response = client_for("auditor").get(f"/api/v1/obligations/?{query}")
    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.django_db
def test_the_filters_filter(synced, client_for, engineer):
    from samsvar.compliance.services import obligation_update

    pump = synced["pump"]
    obligation_update(
        actor=engineer,
        obligation=Obligation.objects.get(device=pump, key="mdr-10-2"),
        status="in_progress",
        due_date=date(2020, 1, 1),
    )
    client = client_for("auditor")
    by_device = client.get(f"/api/v1/obligations/?device={pump.pk}&page_size=100").json()
    assert by_device["count"] == Obligation.objects.filter(device=pump).count()
    qms = client.get("/api/v1/obligations/?paragraph=10(9)").json()
    regimes = [r["regime"] for r in qms["results"]]
    assert regimes.count("mdr") == 14  # 10(9) and its points (a) to (m)
    assert regimes.count("ivdr") == 1  # IVDR 10(9) is post-market surveillance, for the meter
    late = client.get("/api/v1/obligations/?overdue=true").json()
    assert [r["citation"] for r in late["results"]] == ["MDR Art. 10(2)"]
    assert late["results"][0]["overdue"] is True
    in_progress = client.get("/api/v1/obligations/?status=in_progress").json()
    assert in_progress["count"] == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "external_reference"),
        ({"record": "devices.device:999999"}, "record"),
        ({"record": "core.auditevent:1"}, "record"),
        ({"external_reference": "x" * 301}, "external_reference"),
        ({"external_reference": "SOP-1", "label": "x" * 301}, "label"),
    ],
)
def test_the_evidence_form_names_the_bad_field(item, client_for, body, field):
    response = client_for("engineer").post(reverse("compliance:evidence_add", args=[item.pk]), body)
    assert response.status_code == 200
    assert field in response.context["evidence_form"].errors
    assert not Evidence.objects.exists()


@pytest.mark.django_db
def test_linking_a_record_and_a_reference_at_once_is_refused(synced, item, client_for):
    response = client_for("engineer").post(
        reverse("compliance:evidence_add", args=[item.pk]),
        {"record": f"devices.device:{synced['pump'].pk}", "external_reference": "SOP-1"},
    )
    assert "record" in response.context["evidence_form"].errors
    assert not Evidence.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"place_of_issue": ""}, "place_of_issue"),
        ({"date_of_issue": ""}, "date_of_issue"),
        ({"date_of_issue": "2026-13-01"}, "date_of_issue"),
        ({"signatory_name": ""}, "signatory_name"),
        ({"signatory_function": "x" * 201}, "signatory_function"),
        ({"notified_body_number": "12345"}, "notified_body_number"),
        ({"notified_body_number": "NB12"}, "notified_body_number"),
        ({"notified_body_name": ""}, "notified_body_name"),
        ({"references": "\n".join(["x" * 301])}, "references"),
        ({"reason": "x" * 501}, "reason"),
    ],
)
def test_the_declaration_form_names_the_bad_field(
    pump, organisation, client_for, declaration_body, change, field
):
    response = client_for("quality_manager").post(
        reverse("compliance:declaration_edit", args=[pump.pk]), {**declaration_body, **change}
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors, response.context["form"].errors
    assert not Declaration.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"place_of_issue": ""}, "place_of_issue"),
        ({"date_of_issue": "tomorrow"}, "date_of_issue"),
        ({"notified_body_number": "99999"}, "notified_body_number"),
        ({"certificate": ""}, "certificate"),
        ({"references": "EN ISO 14971"}, "references"),
        ({"references": [["nested"]]}, "references"),
        ({"references": ["x" * 301]}, "references"),
        ({"device_class": "III"}, "device_class"),
        ({"manufacturer_srn": "NO-MF-1"}, "manufacturer_srn"),
        ({"exists": True}, "exists"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_the_declaration_endpoint_names_the_bad_field(
    pump, organisation, client_for, declaration_body, change, field
):
    response = client_for("quality_manager").put(
        f"/api/v1/devices/{pump.pk}/declaration/",
        {**declaration_body, **change},
        content_type="application/json",
    )
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not Declaration.objects.exists()


@pytest.mark.django_db
def test_a_missing_field_in_a_put_is_named(pump, organisation, client_for, declaration_body):
    body = {k: v for k, v in declaration_body.items() if k != "signatory_name"}
    response = client_for("quality_manager").put(
        f"/api/v1/devices/{pump.pk}/declaration/", body, content_type="application/json"
    )
    assert response.status_code == 400 and "signatory_name" in response.json()


@pytest.mark.django_db
def test_unknown_ids_are_404_not_500(synced, client_for):
    client = client_for("engineer")
    for url in (
        reverse("compliance:obligation_edit", args=[999999]),
        reverse("compliance:device_obligations", args=[999999]),
        reverse("compliance:techdoc", args=[999999]),
        reverse("compliance:declaration", args=[999999]),
        reverse("compliance:declaration_sign", args=[synced["pump"].pk]),  # none drawn up yet
        reverse("compliance:statement", args=[999999]),
        reverse("compliance:statement_pdf", args=[999999]),
        "/api/v1/obligations/999999/",
        "/api/v1/devices/999999/techdoc/",
        "/api/v1/devices/999999/declaration/",
    ):
        assert client.get(url).status_code == 404, url
    for url in (
        reverse("compliance:evidence_remove", args=[999999]),
        reverse("compliance:techdoc_remove", args=[999999]),
    ):
        assert client.post(url).status_code == 404, url


@pytest.mark.django_db
def test_a_too_long_statement_note_is_refused(synced, client_for):
    response = client_for("quality_manager").post(
        reverse("compliance:statement_create"), {"note": "x" * 5001}
    )
    assert response.status_code == 200 and "note" in response.context["form"].errors
    assert not ComplianceStatement.objects.exists()


@pytest.mark.django_db
def test_a_wrong_password_does_not_sign_the_statement(synced, quality, client_for):
    from samsvar.compliance.services import compliance_statement_create
    from samsvar.core.models import Signature

    statement = compliance_statement_create(actor=quality)
    response = client_for("quality_manager").post(
        reverse("compliance:statement_sign", args=[statement.pk]),
        {"meaning": "approved", "password": "wrong"},
    )
    assert response.status_code == 200 and "password" in response.context["form"].errors
    assert not Signature.objects.exists()
