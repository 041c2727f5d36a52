"""Documents generated from live data: PDF (WeasyPrint), XLSX (openpyxl) and DOCX (python-docx).

PDFs are rendered from Django templates that extend `reports/base_pdf.html`, so a document and
its web page share their markup; fonts and styles come from samsvar's own static files.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone


def _fetch_static(url: str):
    """Serve `static/...` URLs from the finders; anything else (network) is refused."""
    from weasyprint import default_url_fetcher

    prefix = "samsvar-static:"
    if url.startswith(prefix):
        path = finders.find(url[len(prefix) :])
        if path:
            return default_url_fetcher(f"file://{path}")
    if url.startswith("data:"):
        return default_url_fetcher(url)
    raise ValueError(f"samsvar documents load no external resources ({url})")


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render a template to PDF bytes."""
    from weasyprint import HTML

    context = {"generated_at": timezone.now(), **context}
    html = render_to_string(template_name, context)
    return HTML(string=html, base_url="samsvar-static:", url_fetcher=_fetch_static).write_pdf()


def file_response(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def pdf_response(template_name: str, context: dict, filename: str) -> HttpResponse:
    return file_response(render_pdf(template_name, context), filename, "application/pdf")


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def xlsx_bytes(sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence]]]) -> bytes:
    """A workbook of (title, header, rows) sheets, header bold and frozen, columns sized."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title=title[:31])
        sheet.append(list(header))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        widths = [len(str(h)) for h in header]
        for row in rows:
            values = ["" if v is None else v for v in row]
            sheet.append(values)
            widths = [max(w, min(60, len(str(v)))) for w, v in zip(widths, values, strict=False)]
        sheet.freeze_panes = "A2"
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = width + 2
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def docx_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
