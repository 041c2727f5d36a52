"""The EU declaration of conformity: generated from the records, refused when it cannot be true."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from docx import Document

from samsvar.compliance import services
from samsvar.compliance.models import Declaration
from samsvar.core.models import AuditEvent
from samsvar.core.services import record_sign
from tests.compliance.test_statement import pdf_text
from tests.conftest import PASSWORD


def docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


@pytest.mark.django_db
def test_an_unclassified_device_gets_no_declaration(
    device, organisation, quality, client_for, declaration_body
):
    with pytest.raises(ValidationError) as refused:
        services.declaration_save(actor=quality, device=device, **declaration_body)
    assert "not classified" in " ".join(refused.value.messages)
    client = client_for("quality_manager")
    page = client.get(reverse("compliance:declaration_edit", args=[device.pk]))
    assert "is not classified" in page.content.decode()
    posted = client.post(reverse("compliance:declaration_edit", args=[device.pk]), declaration_body)
    assert posted.status_code == 200
    assert "not classified" in " ".join(posted.context["form"].non_field_errors())
    api = client.put(
        f"/api/v1/devices/{device.pk}/declaration/",
        declaration_body,
        content_type="application/json",
    )
    assert api.status_code == 400 and "not classified" in str(api.json()["non_field_errors"])
    pdf = client.get(reverse("compliance:declaration_pdf", args=[device.pk]))
    assert pdf.status_code == 302  # back to the page, with the message
    assert not Declaration.objects.exists()
    assert not AuditEvent.objects.filter(object_type="compliance.declaration").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "field", ["notified_body_name", "notified_body_number", "conformity_procedure", "certificate"]
)
def test_a_class_that_needs_a_notified_body_needs_its_fields(
    pump, organisation, quality, declaration_body, field
):
    body = {**declaration_body, field: ""}
    with pytest.raises(ValidationError) as refused:
        services.declaration_save(actor=quality, device=pump, **body)
    assert field in refused.value.message_dict
    assert "IIb" in " ".join(refused.value.message_dict[field])
    assert not Declaration.objects.exists()


@pytest.mark.django_db
def test_a_class_i_device_needs_no_notified_body(make_device, organisation, quality, users):
    from samsvar.devices.demo import _complete
    from samsvar.devices.services import classification_save

    plaster = make_device(quality, name="Fjordmed Plaster", intended_purpose="Covers wounds.")
    classification_save(
        actor=users["regulatory_affairs"],
        device=plaster,
        profile=_complete("mdr", {"invasiveness": "non_invasive", "contact": "intact_skin"}),
        rationale="Non-invasive: Rule 1.",
    )
    plaster.refresh_from_db()
    assert plaster.device_class == "I"
    declaration = services.declaration_save(
        actor=quality,
        device=plaster,
        place_of_issue="Oslo",
        date_of_issue="2026-11-20",
        signatory_name="Ingrid Solberg",
        signatory_function="Managing director",
    )
    assert declaration.notified_body_name == "" and declaration.class_label == "I"


@pytest.mark.django_db
def test_the_pdf_and_docx_state_manufacturer_srn_device_class_and_rule(
    pump, organisation, quality, approver, client_for, declaration_body
):
    declaration = services.declaration_save(actor=quality, device=pump, **declaration_body)
    record_sign(actor=approver, record=declaration, meaning="approved", password=PASSWORD)
    client = client_for("auditor")
    pdf = client.get(reverse("compliance:declaration_pdf", args=[pump.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    docx = client.get(reverse("compliance:declaration_docx", args=[pump.pk]))
    assert docx["Content-Type"].endswith("wordprocessingml.document")
    for text in (pdf_text(pdf.content), docx_text(docx.content)):
        assert "EU declaration of conformity" in text
        assert "Fjordmed AS" in text and "NO-MF-000012345" in text
        assert "Fjordmed InsuPump 3" in text
        assert "Class IIb" in text and "Rule 12" in text
        assert "Example Notified Body" in text and "0000" in text
        assert "EN ISO 14971:2019+A11:2021" in text
        assert "Regulation (EU) 2017/745" in text
        assert approver.full_name in text and "Approved" in text and "UTC" in text


@pytest.mark.django_db
def test_the_declaration_is_in_english_for_a_norwegian_reader(
    pump, organisation, quality, client_for, declaration_body
):
    services.declaration_save(actor=quality, device=pump, **declaration_body)
    client = client_for("quality_manager")
    pdf = client.get(
        reverse("compliance:declaration_pdf", args=[pump.pk]), HTTP_ACCEPT_LANGUAGE="nb"
    )
    text = pdf_text(pdf.content)
    assert "EU declaration of conformity" in text and "Page 1 of" in text


@pytest.mark.django_db
def test_saving_copies_the_records_and_a_signed_version_needs_a_reason(
    pump, organisation, quality, approver, declaration_body
):
    declaration = services.declaration_save(actor=quality, device=pump, **declaration_body)
    assert (declaration.device_class, declaration.classification_rule) == ("IIb", "Rule 12")
    assert declaration.manufacturer_srn == "NO-MF-000012345"
    assert declaration.intended_purpose == pump.intended_purpose
    record_sign(actor=approver, record=declaration, meaning="released", password=PASSWORD)
    with pytest.raises(ValidationError) as refused:
        services.declaration_save(
            actor=quality, device=pump, **{**declaration_body, "place_of_issue": "Bergen"}
        )
    assert "reason" in refused.value.message_dict
    updated = services.declaration_save(
        actor=quality,
        device=pump,
        reason="Moved the signing to Bergen",
        **{**declaration_body, "place_of_issue": "Bergen"},
    )
    assert updated.version == 2
    assert updated.frozen_versions().get(version=1).content["fields"]["place_of_issue"] == "Oslo"


@pytest.mark.django_db
def test_the_form_is_prefilled_from_the_standards_register(pump, organisation, client_for):
    page = client_for("engineer").get(reverse("compliance:declaration_edit", args=[pump.pk]))
    form = page.context["form"]
    assert form.fields["notified_body_number"].required  # class IIb
    assert "references" in form.initial and "date_of_issue" in form.initial
    assert services.applied_references(pump) == form.initial["references"]


@pytest.mark.django_db
def test_the_web_form_saves_and_the_page_shows_it(pump, organisation, client_for, declaration_body):
    client = client_for("regulatory_affairs")
    body = {**declaration_body, "references": "EN ISO 14971:2019+A11:2021\n\nEN 62304:2006+A1:2015"}
    response = client.post(reverse("compliance:declaration_edit", args=[pump.pk]), body)
    assert response.status_code == 302
    declaration = Declaration.objects.get()
    assert declaration.references == ["EN ISO 14971:2019+A11:2021", "EN 62304:2006+A1:2015"]
    page = client.get(response["Location"]).content.decode()
    assert "Example Notified Body" in page and "Basic UDI-DI" in page
    assert "To be given" in page  # the pump has no Basic UDI-DI yet: a gap, shown


@pytest.mark.django_db
def test_the_api_shows_a_prefilled_declaration_then_saves_it(
    pump, organisation, client_for, declaration_body
):
    client = client_for("engineer")
    url = f"/api/v1/devices/{pump.pk}/declaration/"
    before = client.get(url).json()
    assert before["exists"] is False and before["id"] is None
    assert before["class_label"] == "IIb" and before["notified_body_required"] is True
    saved = client.put(url, declaration_body, content_type="application/json")
    assert saved.status_code == 200, saved.json()
    body = saved.json()
    assert body["exists"] is True and body["classification_rule"] == "Rule 12"
    assert body["manufacturer_srn"] == "NO-MF-000012345"
    assert Declaration.objects.get().notified_body_number == "0000"
