"""The Article 10 compliance statement: a frozen snapshot the PRRC signs, and its PDF."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from samsvar.compliance import services
from samsvar.compliance.models import ComplianceStatement, Obligation
from samsvar.core.models import Signature
from tests.conftest import PASSWORD


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.mark.django_db
def test_the_prrc_signs_the_statement_and_the_pdf_shows_the_manifestation(
    synced, organisation, quality, client_for
):
    item = Obligation.objects.get(device=synced["pump"], key="mdr-10-2")
    services.obligation_update(actor=quality, obligation=item, status="met")
    client = client_for("quality_manager")
    response = client.post(reverse("compliance:statement_create"), {"note": "Before the audit"})
    statement = ComplianceStatement.objects.get()
    assert response["Location"] == statement.get_absolute_url()
    signed = client.post(
        reverse("compliance:statement_sign", args=[statement.pk]),
        {"meaning": "approved", "password": PASSWORD},
    )
    assert signed.status_code == 302
    signature = Signature.objects.get()
    assert signature.content_sha256 == statement.content_sha256()
    pdf = client.get(reverse("compliance:statement_pdf", args=[statement.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content)
    assert "Article 10 compliance overview" in text
    assert "Fjordmed AS" in text and "NO-MF-000012345" in text
    assert "Kari Nordmann" in text  # the PRRC, and the signer
    assert quality.full_name in text and "Approved" in text
    assert signature.signed_at.strftime("%Y-%m-%d %H:%M") in text and "UTC" in text
    assert signature.content_sha256[:16] in text.replace("\n", "")
    assert "Fjordmed InsuPump 3" in text and "Fjordmed GlucoSure" in text
    assert "Art. 10(2)" in text


@pytest.mark.django_db
def test_the_statement_is_a_snapshot_later_changes_do_not_alter_it(synced, organisation, quality):
    statement = services.compliance_statement_create(actor=quality)
    sha = statement.content_sha256()
    item = Obligation.objects.get(device=synced["pump"], key="mdr-10-2")
    services.obligation_update(actor=quality, obligation=item, status="met")
    statement.refresh_from_db()
    assert statement.content_sha256() == sha
    snapshot_item = next(
        i
        for i in statement.content["items"]
        if i["paragraph"] == "10(2)" and i["device"] == "Fjordmed InsuPump 3"
    )
    assert snapshot_item["status"] == "not_started"
    assert statement.content["manufacturer"]["srn"] == "NO-MF-000012345"
    assert [p["name"] for p in statement.content["prrcs"]] == ["Kari Nordmann"]


@pytest.mark.django_db
def test_the_statement_page_shows_signatures_and_the_matrix(
    synced, organisation, quality, client_for
):
    from samsvar.core.services import record_sign

    statement = services.compliance_statement_create(actor=quality)
    record_sign(actor=quality, record=statement, meaning="approved", password=PASSWORD)
    page = client_for("auditor").get(reverse("compliance:statement", args=[statement.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Kari Nordmann" in html and "Approved" in html
    assert "Fjordmed GlucoSure" in html
    listing = client_for("auditor").get(reverse("compliance:statements")).content.decode()
    assert f"Approved: {quality.full_name}" in listing


@pytest.mark.django_db
def test_auditors_and_approvers_cannot_draw_up_a_statement(synced, client_for):
    for role in ("auditor", "approver"):
        response = client_for(role).post(reverse("compliance:statement_create"), {"note": "x"})
        assert response.status_code == 403
    assert not ComplianceStatement.objects.exists()
