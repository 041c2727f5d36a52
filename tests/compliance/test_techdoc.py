"""The technical documentation index (Annexes II and III): what fills each section, the gaps."""

import pytest
from django.urls import reverse

from samsvar.compliance import selectors, services
from samsvar.compliance.models import TechdocReference
from samsvar.core.models import AuditEvent


def gap_numbers(user, device):
    _rows, gaps = selectors.techdoc_index(user=user, device=device)
    return {(row.section.annex, row.section.number) for row in gaps}


@pytest.mark.django_db
def test_samsvar_fills_section_1_1_and_4_and_lists_the_other_gaps(pump, engineer):
    rows, _gaps = selectors.techdoc_index(user=engineer, device=pump)
    by_number = {(r.section.annex, r.section.number): r for r in rows}
    labels = [e.label for e in by_number[("II", "1.1")].entries]
    assert any("Fjordmed InsuPump 3" in label for label in labels)
    assert any("class IIb" in label for label in labels)  # the classification record
    assert by_number[("II", "4")].entries[0].url == f"/standards/devices/{pump.pk}/gspr/"
    assert not by_number[("II", "5")].entries  # risk files come later
    numbers = gap_numbers(engineer, pump)
    assert ("II", "5") in numbers and ("II", "2") in numbers and ("III", "1.1") in numbers
    assert ("II", "1.1") not in numbers and ("II", "1.1(a)") not in numbers  # covered above
    assert ("II", "4(a)") not in numbers
    assert ("II", "5(a)") not in numbers  # listed once, at section 5
    assert ("II", "1") not in numbers  # a heading is never a gap


@pytest.mark.django_db
def test_a_referenced_document_closes_its_gap(pump, engineer, client_for):
    section = next(s.key for s in services.techdoc.sections("mdr") if s.number == "5(b)")
    client = client_for("engineer")
    response = client.post(
        reverse("compliance:techdoc_add", args=[pump.pk]),
        {
            "section_key": section,
            "document_number": "RMF-IP3",
            "title": "Risk management file",
            "location": "DMS/IP3/RMF",
        },
    )
    assert response.status_code == 302
    numbers = gap_numbers(engineer, pump)
    assert ("II", "5") not in numbers and ("II", "5(b)") not in numbers
    assert ("II", "5(a)") in numbers  # its sibling is still empty
    page = client.get(reverse("compliance:techdoc", args=[pump.pk])).content.decode()
    assert "RMF-IP3" in page and "DMS/IP3/RMF" in page
    api = client.get(f"/api/v1/devices/{pump.pk}/techdoc/").json()
    five_b = next(s for s in api["sections"] if s["key"] == section)
    assert five_b["entries"][0]["document_number"] == "RMF-IP3" and not five_b["gap"]
    assert "mdr-annex-ii-5(a)" in api["gaps"]
    reference = TechdocReference.objects.get()
    client.post(reverse("compliance:techdoc_remove", args=[reference.pk]))
    assert not TechdocReference.objects.exists()
    assert AuditEvent.objects.filter(object_type="compliance.techdocreference", action="delete")


@pytest.mark.django_db
def test_an_ivdr_device_gets_the_ivdr_sections(meter, engineer):
    rows, _gaps = selectors.techdoc_index(user=engineer, device=meter)
    assert all(r.section.regime == "ivdr" for r in rows)
    numbers = gap_numbers(engineer, meter)
    assert ("II", "6") in numbers and ("II", "6.1.2.1(a)") not in numbers  # once, at the top
    # IVDR section 3 only groups 3.1 and 3.2, so those are the gaps, not the heading.
    assert {("II", "3.1"), ("II", "3.2")} <= numbers and ("II", "3") not in numbers


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"section_key": "mdr-annex-ii-99"}, "section_key"),
        ({"section_key": "mdr-annex-ii-1"}, "section_key"),  # a heading
        ({"section_key": "ivdr-annex-ii-2(a)"}, "section_key"),  # the other Regulation
        ({"document_number": ""}, "document_number"),
        ({"title": ""}, "title"),
        ({"title": "x" * 301}, "title"),
        ({"document_number": "x" * 61}, "document_number"),
    ],
)
def test_bad_references_are_refused_naming_the_field(pump, client_for, change, field):
    body = {"section_key": "mdr-annex-ii-2", "document_number": "LBL-1", "title": "Labels"}
    response = client_for("engineer").post(
        reverse("compliance:techdoc_add", args=[pump.pk]), {**body, **change}
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not TechdocReference.objects.exists()
