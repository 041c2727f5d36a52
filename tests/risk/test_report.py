"""The risk management report (ISO 14971:2019 9): PDF and DOCX generated from the live file, in
English and Norwegian, issued as an immutable record and signed."""

import datetime as dt
import hashlib
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from samsvar.core.models import Signature
from samsvar.core.services import record_sign
from samsvar.regulatory.risk import catalogue
from samsvar.risk import report, selectors, services
from samsvar.risk.models import IssuedReport
from samsvar.risk.report_pdf import Table
from tests.conftest import PASSWORD
from tests.risk.conftest import approve


def category(index: int) -> str:
    return catalogue.hazard_categories()[index].subcategories[0].key


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def docx_tables(content: bytes):
    from docx import Document

    document = Document(io.BytesIO(content))
    tables = [[[cell.text for cell in row.cells] for row in t.rows] for t in document.tables]
    return document, tables


@pytest.fixture
def rich_file(build, plan, device, engineer, approver, quality):
    """A complete file: four risks over three hazard groups, controls of all three kinds,
    an approved benefit-risk analysis, a disclosure, post-production information, an FMEA,
    the plan approved, the overall evaluation and the review signed."""
    shock = build.hazard(
        title="Leakage current through the infusion set",
        category_key=category(0),
        origin="catalogue",
    )
    germs = build.hazard(
        title="Contaminated reservoir", category_key=category(1), origin="catalogue"
    )
    bolus = build.hazard(title="Bolus entered twice", category_key=category(2), origin="catalogue")
    death = build.harm(severity=5, name="Severe hypoglycaemia")
    critical = build.harm(severity=4, name="Skin burn at the infusion site")
    serious = build.harm(severity=3, name="Infusion-site infection")
    a = build.risk(
        situation=build.situation(shock, description="Current flows through the cannula."),
        harm=death,
        p1=4,
        p2=5,
        control_option_rationale="A design change cannot remove the cannula's conductivity.",
    )
    b = build.risk(
        situation=build.situation(shock, description="Warm housing touches the skin."),
        harm=critical,
        p1=3,
        p2=3,
        afap_justification="Housing temperature is limited by the battery chemistry already.",
    )
    c = build.risk(
        situation=build.situation(germs, description="Bacteria enter the subcutaneous tissue."),
        harm=serious,
        p1=5,
        p2=5,
    )
    d = build.risk(
        situation=build.situation(bolus, description="The user delivers a double bolus."),
        harm=death,
        p1=5,
        p2=5,
        control_option_rationale="The pump cannot tell an intended second bolus from an error.",
    )
    build.control([a], kind="protective", description="Galvanic isolation of the motor drive.")
    build.control([c], kind="inherent_safety", description="Sterile single-use reservoir.")
    build.control([d], kind="information", description="IFU warning on repeated boluses.")
    services.risk_update(actor=engineer, risk=a, residual_p1=2, residual_p2=2)
    services.risk_update(actor=engineer, risk=c, residual_p1=4, residual_p2=4)
    services.risk_update(
        actor=engineer,
        risk=d,
        residual_p1=5,
        residual_p2=4,
        disclose=True,
        disclosure_text="Check the bolus history before giving a correction bolus.",
    )
    analysis = services.benefit_risk_create(
        actor=engineer,
        device=device,
        risks=[d],
        title="Double bolus residual risk",
        benefits="Insulin pump therapy lowers HbA1c and severe hypoglycaemia overall.",
        analysis="The residual risk is outweighed by the clinical benefit.",
        conclusion="favourable",
    )
    approve(analysis, approver)
    overall = services.overall_evaluation_save(
        actor=engineer,
        device=device,
        analysis="All residual risks reviewed together with a clinical expert.",
        conclusion="acceptable",
    )
    approve(overall, approver)
    situation_a = a.situation
    services.production_info_create(
        actor=engineer,
        device=device,
        source="complaint",
        date=dt.date(2026, 5, 4),
        reference="CMP-2026-014",
        description="A user reported a tingling at the infusion site.",
        situation=situation_a,
        occurrences=1,
        exposure=200_000,
        risks=[a],
    )
    worksheet = services.fmea_worksheet_create(
        actor=engineer, device=device, kind="design", title="Pump drive"
    )
    services.fmea_row_create(
        actor=engineer,
        worksheet=worksheet,
        item_function="Motor driver",
        failure_mode="Driver stuck on",
        effect="Over-delivery",
        cause="FET short",
        severity=9,
        occurrence=4,
        detection=5,
        actions="Add an independent watchdog.",
        hazard=bolus,
    )
    approve(plan, approver)
    assert selectors.risk_file_gaps(device) == []
    review = services.risk_review_complete(
        actor=quality, device=device, conclusions="The file is complete; release approved."
    )
    record_sign(actor=quality, record=review, meaning="reviewed", password=PASSWORD)
    return {"risks": [a, b, c, d], "analysis": analysis, "overall": overall, "review": review}


def test_the_pdf_holds_the_file_from_plan_to_signatures(rich_file, device):
    content = report.render_report(device, "pdf", "en")
    assert content.startswith(b"%PDF")
    text = pdf_text(content)
    for expected in (
        "Risk management report",
        "Leakage current through the infusion set",
        "Contaminated reservoir",
        "Bacteria enter the subcutaneous tissue.",
        "Galvanic isolation of the motor drive.",
        "Sterile single-use reservoir.",
        "IFU warning on repeated boluses.",
        "VER-IMP-1 rev A",
        "Housing temperature is limited by the battery chemistry already.",
        "Double bolus residual risk",
        "Check the bolus history before giving a correction bolus.",
        "CMP-2026-014",
        "Driver stuck on",
        "The file is complete; release approved.",
        "None: the completeness check finds no gap.",
    ):
        assert expected in text, expected
    compact = "".join(text.split())  # a SHA-256 wraps over two lines of its cell
    for signature in Signature.objects.all():
        assert signature.signer_full_name in text
        assert signature.content_sha256 in compact
    pages = len(PdfReader(io.BytesIO(content)).pages)
    assert f"Page {pages} of {pages}" in text


def heatmap_rows(built, title: str) -> dict[str, list[str]]:
    """The rows of the heatmap under the heading `title`: severity label -> cell counts."""
    blocks = built.blocks
    start = next(i for i, b in enumerate(blocks) if b.kind == "heading" and b.text.endswith(title))
    table = next(b for b in blocks[start:] if isinstance(b, Table))
    return {row[0].text: [cell.text for cell in row[1:]] for row in table.rows}


def test_the_heatmaps_count_the_risks_in_their_cells(rich_file, device):
    with translation.override("en"):
        built = report.build_report(device)
    before = heatmap_rows(built, "Before control")
    after = heatmap_rows(built, "After control")
    # Before: a S5 P3, b S4 P1, c S3 P5, d S5 P5.  After: a S5 P1, b S4 P1, c S3 P2, d S5 P3.
    assert before["5 Catastrophic"] == ["0", "0", "1", "0", "1"]
    assert before["4 Critical"] == ["1", "0", "0", "0", "0"]
    assert before["3 Serious"] == ["0", "0", "0", "0", "1"]
    assert after["5 Catastrophic"] == ["1", "0", "1", "0", "0"]
    assert after["3 Serious"] == ["0", "1", "0", "0", "0"]
    matrix = selectors.matrix(device, residual=True)
    assert sum(int(n) for row in after.values() for n in row) == matrix.total == 4
    text = pdf_text(report.render_built(built, "pdf"))
    assert "5 Catastrophic 0 0 1 0 1" in text
    assert "5 Catastrophic 1 0 1 0 0" in text


def test_the_risk_table_shows_each_risk_before_and_after_control(rich_file, device):
    with translation.override("en"):
        built = report.build_report(device)
    table = next(
        b for b in built.blocks if isinstance(b, Table) and b.columns[0].title == "Risk"
        and len(b.columns) == 15
    )  # fmt: skip
    rows = {row[0].text: [cell.text for cell in row] for row in table.rows}
    a, b, c, d = rich_file["risks"]
    assert rows[a.code][4:9] == ["5", "4", "5", "3", "Not acceptable"]
    assert rows[a.code][10:] == ["5", "2", "2", "1", "Acceptable"]
    assert rows[b.code][9:] == ["—", "4", "3", "3", "1", "Acceptable"]  # no control: unchanged
    assert rows[d.code][-1] == "Not acceptable"
    assert rows[c.code][9].startswith("RC-")


def test_the_docx_is_editable_with_real_tables(rich_file, device):
    content = report.render_report(device, "docx", "en")
    document, tables = docx_tables(content)
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert any(h.endswith("Risk table before and after control (5.5, 6, 7.3)") for h in headings)
    risk_table = next(t for t in tables if "Hazardous situation and sequence of events" in t[1])
    assert risk_table[0][4] == "Before control" and risk_table[0][-1] == "After control"
    codes = [row[0] for row in risk_table[2:]]
    assert codes == [risk.code for risk in rich_file["risks"]]
    assert "Bacteria enter the subcutaneous tissue." in risk_table[4][2]
    controls = next(t for t in tables if "Verification of effectiveness" in t[0])
    assert any("Sterile single-use reservoir." in row[1] for row in controls)
    signatures = next(t for t in tables if "Content SHA-256" in t[0] and "Record" in t[0])
    assert len(signatures) - 1 == Signature.objects.count()


def test_the_norwegian_report_has_norwegian_headings(rich_file, device):
    content = report.render_report(device, "pdf", "nb")
    text = pdf_text(content)
    with translation.override("nb"):
        expected = [
            translation.gettext("Risk acceptability policy"),
            translation.gettext("Electronic signatures"),
            translation.gettext("Before control"),
        ]
    for heading in expected:
        assert heading in text
    assert "Elektroniske signaturer" in text
    assert "Katastrofal" in text and "Catastrophic" not in text
    assert "Side 1 av" in text
    document, _tables = docx_tables(report.render_report(device, "docx", "nb"))
    assert any(p.text.endswith("Elektroniske signaturer") for p in document.paragraphs)


def test_reading_the_file_takes_the_same_queries_whatever_its_size(rich_file, build, device):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured, translation.override("en"):
            report.build_report(device)
        return len(captured)

    small = queries()
    hazard = build.hazard(title="Extra hazard", category_key=category(3), origin="catalogue")
    harm = build.harm(severity=2, name="Bruise")
    for index in range(6):
        build.risk(
            situation=build.situation(hazard, description=f"Situation {index}"),
            harm=harm,
            p1=1,
            p2=1,
            afap_justification="Minor.",
        )
    assert queries() == small


def test_bad_format_or_language_is_refused(device, plan, engineer):
    with pytest.raises(ValueError, match="format"):
        report.render_report(device, "odt")
    with pytest.raises(ValueError, match="language"):
        report.render_report(device, "pdf", "sv")
    with pytest.raises(ValidationError) as caught:
        report.issue_report(actor=engineer, device=device, fmt="odt", language="sv")
    assert set(caught.value.message_dict) == {"fmt", "language"}


def test_a_file_with_gaps_or_no_review_is_not_issued(build, device, engineer, auditor):
    build.risk(severity=5, p1=5, p2=5)
    with pytest.raises(ValidationError, match="gaps"):
        report.issue_report(actor=engineer, device=device, fmt="pdf")
    with pytest.raises(PermissionDenied):
        report.issue_report(actor=auditor, device=device, fmt="pdf")
    assert not IssuedReport.objects.exists()


def test_a_complete_file_without_review_is_not_issued(complete_file, device, engineer):
    assert selectors.risk_file_gaps(device) == []
    with pytest.raises(ValidationError, match="review"):
        report.issue_report(actor=engineer, device=device, fmt="pdf")
    assert not IssuedReport.objects.exists()


def test_an_issued_report_keeps_the_rendered_file_and_never_changes(rich_file, device, engineer):
    issued = report.issue_report(actor=engineer, device=device, fmt="pdf", language="en")
    with issued.file.open("rb") as handle:
        stored = handle.read()
    assert issued.sha256 == hashlib.sha256(stored).hexdigest()
    assert stored.startswith(b"%PDF") and issued.filename.endswith("-rev1-en.pdf")
    assert "The file is complete; release approved." in pdf_text(stored)
    with pytest.raises(ValidationError, match="cannot be changed"):
        services.report_update(actor=engineer, report=issued, title="Changed")
    second = report.issue_report(actor=engineer, device=device, fmt="docx", language="nb")
    assert second.filename.endswith("-rev2-nb.docx")
    issued.refresh_from_db()
    assert issued.sha256 == hashlib.sha256(stored).hexdigest()


# --- Pages ------------------------------------------------------------------------------------


def test_the_preview_shows_the_report_and_the_issue_form(rich_file, device, client_for):
    page = client_for("engineer").get(reverse("risk:device_report", args=[device.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Leakage current through the infusion set" in html
    assert "Galvanic isolation of the motor drive." in html
    assert reverse("risk:device_report_issue", args=[device.pk]) in html


def test_the_preview_cuts_long_tables(rich_file, device, client_for, monkeypatch):
    from samsvar.risk import report_views

    monkeypatch.setattr(report_views, "PREVIEW_ROWS", 2)
    html = client_for("auditor").get(reverse("risk:device_report", args=[device.pk]))
    assert "…and 2 more rows in the PDF and the DOCX." in html.content.decode()


def test_the_preview_says_why_a_report_cannot_be_issued(build, device, client_for):
    build.risk(severity=5, p1=5, p2=5)
    html = client_for("quality_manager").get(reverse("risk:device_report", args=[device.pk]))
    assert "Close them and record the risk management review" in html.content.decode()


def test_the_downloads_are_pdf_and_docx_in_the_language_asked(rich_file, device, client_for):
    client = client_for("auditor")
    pdf = client.get(reverse("risk:device_report_pdf", args=[device.pk]) + "?language=nb")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"].endswith('-rev1-nb.pdf"')
    assert "Katastrofal" in pdf_text(pdf.content)
    docx = client.get(reverse("risk:device_report_docx", args=[device.pk]))
    assert docx.content.startswith(b"PK\x03\x04")
    bad = client.get(reverse("risk:device_report_pdf", args=[device.pk]) + "?language=xx")
    assert bad.status_code == 302
    assert bad["Location"] == reverse("risk:device_report", args=[device.pk])


def test_issuing_through_the_page_then_download_and_sign(rich_file, device, client_for, users):
    client = client_for("quality_manager")
    response = client.post(
        reverse("risk:device_report_issue", args=[device.pk]),
        {"format": "pdf", "language": "en", "reason": "Release 1.0"},
    )
    issued = IssuedReport.objects.get()
    assert response.status_code == 302 and response["Location"] == issued.get_absolute_url()
    detail = client.get(issued.get_absolute_url()).content.decode()
    assert issued.sha256 in detail and "Intact" in detail
    listing = client.get(reverse("risk:device_reports", args=[device.pk])).content.decode()
    assert issued.sha256 in listing
    download = client.get(reverse("risk:report_download", args=[issued.pk]))
    body = b"".join(download.streaming_content)
    assert hashlib.sha256(body).hexdigest() == issued.sha256
    approver = client_for("approver")
    signed = approver.post(
        reverse("risk:report_sign", args=[issued.pk]),
        {"meaning": "approved", "password": PASSWORD},
    )
    assert signed.status_code == 302
    signature = Signature.objects.get(
        record_version__object_id=str(issued.pk),
        record_version__content_type__model="issuedreport",
    )
    assert signature.record_version.content["fields"]["sha256"] == issued.sha256
    assert signature.signer == users["approver"]


def test_a_tampered_issued_file_is_not_served(rich_file, device, engineer, client_for):
    issued = report.issue_report(actor=engineer, device=device, fmt="pdf")
    with open(issued.file.path, "ab") as handle:
        handle.write(b"tampered")
    client = client_for("auditor")
    response = client.get(reverse("risk:report_download", args=[issued.pk]))
    assert response.status_code == 302
    assert "Does not match its SHA-256" in client.get(issued.get_absolute_url()).content.decode()


def test_the_auditor_reads_but_cannot_issue(rich_file, device, client_for):
    client = client_for("auditor")
    url = reverse("risk:device_report_issue", args=[device.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"format": "pdf", "language": "en"}).status_code == 403
    assert not IssuedReport.objects.exists()


def test_bad_issue_input_is_answered_on_the_form(rich_file, device, client_for):
    client = client_for("engineer")
    url = reverse("risk:device_report_issue", args=[device.pk])
    response = client.post(url, {"format": "odt", "language": "en"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not IssuedReport.objects.exists()


def test_another_devices_report_is_not_found(client_for):
    client = client_for("engineer")
    assert client.get(reverse("risk:device_report", args=[99999])).status_code == 404
    assert client.get(reverse("risk:report", args=[99999])).status_code == 404
    assert client.get(reverse("risk:report_download", args=[99999])).status_code == 404


# --- The typesetter -------------------------------------------------------------------------------


def frame(**extra):
    from samsvar.risk.report_pdf import PageFrame

    return PageFrame("Fjordmed AS", "RMR-X rev 1", "Generated", "Page %(n)s of %(total)s", **extra)


def test_long_tables_repeat_their_header_and_tall_rows_split_over_pages():
    from samsvar.risk.report_pdf import Column, Heading, render

    words = " ".join(f"word{n}" for n in range(1500))
    special = "æøå ÆØÅ → ≥ \u00d7 µ"
    rows = [(f"R-{n:03d}", f"Situation {n} {special}") for n in range(120)] + [("R-tall", words)]
    table = Table(columns=[Column("Risk", 1), Column("Hazardous situation", 5)], rows=rows)
    reader = PdfReader(io.BytesIO(render([Heading("Risk table"), table], frame())))
    pages = [page.extract_text() for page in reader.pages]
    assert len(pages) >= 4
    assert all("Hazardous situation" in text for text in pages)
    assert all(f"Page {n} of {len(pages)}" in text for n, text in enumerate(pages, start=1))
    text = "\n".join(pages)
    assert all(f"R-{n:03d}" in text for n in range(120))
    assert f"Situation 7 {special}" in text
    assert all(f"word{n}" in text for n in range(1500))  # the tall row lost nothing
    assert reader.outline[0].title == "Risk table"


def test_a_row_must_fill_every_column():
    from samsvar.risk.report_pdf import Column

    with pytest.raises(ValueError, match="2 columns"):
        Table(columns=[Column("A", 1), Column("B", 1)], rows=[("only one",)])


def test_a_device_without_a_file_still_gets_a_report_that_says_so(device):
    text = pdf_text(report.render_report(device, "pdf"))
    assert "The device has no risk management plan." in text
    assert "The overall residual risk has not been evaluated." in text
    assert "The risk management review has not been recorded yet." in text
    document, _tables = docx_tables(report.render_report(device, "docx"))
    assert any("no risk management plan" in p.text for p in document.paragraphs)
