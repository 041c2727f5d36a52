"""Issued risk management reports are immutable (ISO 14971:2019 9); FMEA rows feed the analysis."""

import hashlib

import pytest
from django.core.exceptions import ValidationError

from samsvar.core.audit import audited
from samsvar.core.services import record_sign
from samsvar.risk import selectors, services
from samsvar.risk.models import FmeaRow, Hazard, IssuedReport
from tests.conftest import PASSWORD

PDF = b"%PDF-1.7\n% risk management report\n%%EOF\n"


@pytest.fixture
def report(device, engineer):
    return services.report_issue(
        actor=engineer, device=device, fmt="pdf", content=PDF, filename="RMR InsuPump.pdf"
    )


def test_an_issued_report_keeps_the_exact_file_and_its_sha256(report, engineer):
    stored = IssuedReport.objects.get(pk=report.pk)
    assert stored.sha256 == hashlib.sha256(PDF).hexdigest()
    assert stored.size == len(PDF) and stored.issued_by == engineer
    with stored.file.open("rb") as handle:
        assert handle.read() == PDF
    assert stored.filename == "RMR_InsuPump.pdf"
    assert selectors.report_intact(stored)


def test_an_issued_report_is_never_changed(report, engineer):
    with pytest.raises(ValidationError, match="cannot be changed"):
        services.report_update(actor=engineer, report=report, title="Edited")
    report.title = "Edited"
    with pytest.raises(ValidationError, match="cannot be changed"), audited(actor=engineer):
        report.save()
    with pytest.raises(ValidationError, match="cannot be deleted"), audited(actor=engineer):
        report.delete()
    assert IssuedReport.objects.get(pk=report.pk).title.startswith("Risk management report")


def test_an_issued_report_can_be_signed(report, approver):
    signature = record_sign(actor=approver, record=report, meaning="approved", password=PASSWORD)
    assert signature.record_version.content["fields"]["sha256"] == report.sha256


def test_a_tampered_file_is_detected(report):
    with open(report.file.path, "ab") as handle:
        handle.write(b"tampered")
    assert not selectors.report_intact(report)


def test_bad_report_input_is_refused_by_field(device, engineer):
    with pytest.raises(ValidationError) as caught:
        services.report_issue(actor=engineer, device=device, fmt="odt", content=b"", filename="")
    assert set(caught.value.message_dict) == {"fmt", "content", "filename"}
    with pytest.raises(ValidationError) as caught:
        services.report_issue(
            actor=engineer, device=device, fmt="docx", content=PDF, filename="r.docx"
        )
    assert "not a DOCX file" in caught.value.message_dict["content"][0]
    assert not IssuedReport.objects.exists()


@pytest.fixture
def worksheet(device, engineer):
    return services.fmea_worksheet_create(
        actor=engineer, device=device, kind="design", title="Pump drive"
    )


def row_values(**extra):
    values = {
        "item_function": "Motor driver",
        "failure_mode": "Motor runs on after the dose",
        "effect": "Over-delivery of insulin",
        "cause": "Stuck FET",
        "severity": 9,
        "occurrence": 3,
        "detection": 4,
    }
    values.update(extra)
    return values


def test_the_rpn_is_s_times_o_times_d(worksheet, engineer):
    row = services.fmea_row_create(actor=engineer, worksheet=worksheet, **row_values())
    assert (row.position, row.rpn) == (1, 108)
    services.fmea_row_update(actor=engineer, row=row, detection="2")
    assert FmeaRow.objects.get(pk=row.pk).rpn == 54


def test_ratings_outside_1_to_10_are_refused(worksheet, engineer):
    with pytest.raises(ValidationError) as caught:
        services.fmea_row_create(
            actor=engineer, worksheet=worksheet, **row_values(severity=11, occurrence=0)
        )
    assert set(caught.value.message_dict) == {"severity", "occurrence"}


def test_a_row_creates_its_hazard_in_the_analysis(worksheet, engineer, device):
    row = services.fmea_row_create(actor=engineer, worksheet=worksheet, **row_values())
    hazard = services.fmea_row_create_hazard(actor=engineer, row=row, origin="own")
    row.refresh_from_db()
    assert row.hazard == hazard and hazard.device == device
    assert hazard.title == "Motor runs on after the dose"
    assert "Over-delivery of insulin" in hazard.description
    with pytest.raises(ValidationError, match="already linked"):
        services.fmea_row_create_hazard(actor=engineer, row=row, origin="own")
    with pytest.raises(ValidationError, match="FMEA rows"):
        services.hazard_delete(actor=engineer, hazard=hazard)
    assert Hazard.objects.count() == 1


def test_a_worksheet_with_rows_cannot_be_deleted(worksheet, engineer):
    row = services.fmea_row_create(actor=engineer, worksheet=worksheet, **row_values())
    with pytest.raises(ValidationError, match="rows"):
        services.fmea_worksheet_delete(actor=engineer, worksheet=worksheet)
    services.fmea_row_delete(actor=engineer, row=row)
    services.fmea_worksheet_delete(actor=engineer, worksheet=worksheet)
