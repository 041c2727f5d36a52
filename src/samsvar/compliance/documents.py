"""The generated documents of the compliance app: the EU declaration of conformity (PDF, DOCX)
and the Article 10 compliance statement (PDF).

The declaration is in English whatever the reader's language (the Norwegian Medical Products
Agency accepts the technical documentation and the declaration in English or Norwegian); its
points follow `samsvar.regulatory.techdoc.doc_items` (Annex IV) in order.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC

from django.utils import timezone, translation

from samsvar.compliance.models import REGULATION_TITLES, Declaration
from samsvar.core import selectors as core_selectors
from samsvar.regulatory import techdoc
from samsvar.reports.render import DOCX_TYPE, docx_bytes, file_response, pdf_response

# What an empty point says in the declaration, where "Not applicable" would be wrong.
EMPTY = {"manufacturer-srn": "Not issued yet"}

REGULATION_SHORT = {"mdr": "Regulation (EU) 2017/745", "ivdr": "Regulation (EU) 2017/746"}


@dataclass(frozen=True)
class DocLine:
    point: str
    title: str
    value: str
    required: str
    missing: bool


def _value(declaration: Declaration, name: str) -> str:
    regulation = REGULATION_SHORT[declaration.regime]
    variants = declaration.variants or []
    values = {
        "manufacturer-name": declaration.manufacturer_name,
        "manufacturer-srn": declaration.manufacturer_srn,
        "manufacturer-address": declaration.manufacturer_address,
        "authorised-representative": declaration.authorised_representative,
        "sole-responsibility": "This declaration of conformity is issued under the sole "
        "responsibility of the manufacturer.",
        "basic-udi-di": declaration.basic_udi_di,
        "product-name": declaration.device_name,
        "product-reference": "\n".join(
            [f"Model {declaration.model_number}", *[f"Variant: {v}" for v in variants]]
        ),
        "intended-purpose": declaration.intended_purpose,
        "risk-class": f"Class {declaration.class_label}",
        "classification-rule": f"{declaration.classification_rule}, Annex VIII of {regulation}"
        if declaration.classification_rule
        else "",
        "conformity-statement": "The device described above is in conformity with "
        f"{REGULATION_TITLES[declaration.regime]}.",
        "other-legislation": declaration.other_legislation,
        "common-specifications": "\n".join(declaration.common_specifications or []),
        "notified-body": (
            f"{declaration.notified_body_name}, notified body number "
            f"{declaration.notified_body_number}"
            if declaration.notified_body_name
            else ""
        ),
        "procedure": declaration.conformity_procedure,
        "certificates": declaration.certificate,
        "additional-information": declaration.additional_information,
        "harmonised-standards": "\n".join(declaration.references or []),
        "place-date": f"{declaration.place_of_issue}, {declaration.date_of_issue.isoformat()}"
        if declaration.date_of_issue
        else declaration.place_of_issue,
        "signatory": f"{declaration.signatory_name}, {declaration.signatory_function}",
        "on-behalf-of": f"For and on behalf of {declaration.manufacturer_name}",
    }
    return values.get(name, "")


def declaration_lines(declaration: Declaration) -> list[DocLine]:
    """Annex IV point by point, with the value this declaration gives (English)."""
    lines = []
    for item in techdoc.doc_items(declaration.regime):
        name = item.key.removeprefix(f"{declaration.regime}-doc-")
        if name == "signature":
            continue  # the e-signatures follow the table
        value = _value(declaration, name)
        missing = not value and item.required == "always"
        if not value:
            value = EMPTY.get(name, "To be given" if missing else "Not applicable")
        lines.append(
            DocLine(
                point=item.point,
                title=item.title_en,
                value=value,
                required=item.required,
                missing=missing,
            )
        )
    return lines


def declaration_gaps(declaration: Declaration) -> list[str]:
    """Titles of the Annex IV points that must be given and are still empty (English)."""
    return [line.title for line in declaration_lines(declaration) if line.missing]


def _context(declaration: Declaration) -> dict:
    return {
        "declaration": declaration,
        "lines": declaration_lines(declaration),
        "gaps": declaration_gaps(declaration),
        "signatures": list(core_selectors.current_signatures(obj=declaration)),
        "content_sha256": declaration.content_sha256(),
        "regulation": REGULATION_SHORT[declaration.regime],
    }


def _filename(declaration: Declaration, extension: str) -> str:
    safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in declaration.model_number)
    return f"EU-DoC-{safe}-v{declaration.version}.{extension}"


def declaration_pdf_response(declaration: Declaration, organisation):
    with translation.override("en"):
        return pdf_response(
            "compliance/declaration_pdf.html",
            {**_context(declaration), "organisation": organisation},
            _filename(declaration, "pdf"),
        )


def declaration_docx(declaration: Declaration) -> bytes:
    """The declaration as an editable Word document: heading, the Annex IV table, signatures."""
    from docx import Document
    from docx.shared import Pt

    context = _context(declaration)
    document = Document()
    document.styles["Normal"].font.name = "Calibri"
    document.styles["Normal"].font.size = Pt(10)
    document.add_heading("EU declaration of conformity", level=0)
    document.add_paragraph(
        f"{context['regulation']} ({REGULATION_TITLES[declaration.regime]}), Annex IV. "
        f"Version {declaration.version}."
    )
    document.add_heading("Content of the declaration", level=1)
    table = document.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    header = table.rows[0].cells
    header[0].text, header[1].text, header[2].text = "Point", "Item", "Declared"
    for line in context["lines"]:
        cells = table.add_row().cells
        cells[0].text = line.point
        cells[1].text = line.title
        cells[2].text = line.value
    document.add_heading("Electronic signatures", level=1)
    if context["signatures"]:
        for signature in context["signatures"]:
            document.add_paragraph(
                f"{signature.signer_full_name} — {signature.get_meaning_display()} — "
                f"{signature.signed_at.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC"
                f" — content SHA-256 {signature.content_sha256}",
                style="List Bullet",
            )
    else:
        document.add_paragraph("Not signed yet: this is a draft.")
    document.add_paragraph(
        f"Content SHA-256 of version {declaration.version}: {context['content_sha256']}"
    )
    return docx_bytes(document)


def declaration_docx_response(declaration: Declaration):
    with translation.override("en"):
        content = declaration_docx(declaration)
    return file_response(content, _filename(declaration, "docx"), DOCX_TYPE)


def statement_pdf_response(statement, signatures):
    return pdf_response(
        "compliance/statement_pdf.html",
        {
            "statement": statement,
            "snapshot": statement.content,
            "signatures": signatures,
            "content_sha256": statement.content_sha256(),
            "organisation": statement.content.get("manufacturer", {}),
        },
        f"Article-10-compliance-{timezone.localtime(statement.as_of):%Y%m%d-%H%M}-"
        f"v{statement.version}.pdf",
    )
