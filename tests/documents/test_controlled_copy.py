"""Controlled copies carry number, title, revision, effective date, page x of y and the
"uncontrolled when printed" notice on every page, from Markdown or stamped onto an attached PDF."""

import datetime as dt
import io
import re
import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from pypdf import PdfReader, PdfWriter

from samsvar.documents.controlled_copy import controlled_copy_pdf, css_string
from samsvar.documents.markdown import render_markdown

GENERATED = dt.datetime(2025, 3, 3, 9, 30, tzinfo=dt.UTC)
IDENTITY = {
    "number": "SOP-007",
    "title": "Complaint handling and reporting",
    "revision": "C",
    "effective_date": dt.date(2025, 3, 1),
    "organisation": "Fjordmed AS",
    "generated_at": GENERATED,
}


def page_texts(pdf: bytes, tmp_path) -> list[str]:
    path = tmp_path / "copy.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    pages = text.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    return pages


def long_markdown(sections: int) -> str:
    body = (
        "Complaints are logged on form F-021 the day they arrive, assessed for reportability "
        "under MDR Article 87 and trended monthly. "
    ) * 6
    parts = ["# Purpose\n\nHow Fjordmed receives, assesses and closes complaints.\n"]
    for n in range(1, sections + 1):
        parts.append(
            f"## {n}. Step {n}\n\nSECTION-{n:03d} {body}\n\n"
            "| Activity | Owner | Record |\n|---|---|---|\n| Log | QA | F-021 |\n"
            "| Assess | RA | F-022 |\n\n- first point\n- second point\n"
        )
    return "\n".join(parts)


def original_pdf(pages: int, *, landscape=(), letter=(), links=True) -> bytes:
    """An attached PDF as a supplier might send it: its own header, text, one link per page."""
    from weasyprint import HTML

    rules = []
    sections = []
    for n in range(1, pages + 1):
        size = "A4 landscape" if n in landscape else "letter" if n in letter else "A4"
        rules.append(
            f"@page p{n} {{ size: {size}; margin: 20mm; "
            f"@top-right {{ content: 'Supplier header {n}'; }} }}"
        )
        link = f'<a href="https://supplier.example/spec#{n}">spec link</a>' if links else ""
        sections.append(
            f'<section style="page: p{n}"><h1>Original page {n}</h1>'
            f"<p>ORIGINAL-TEXT-{n:02d} {link} " + "Specification text. " * 30 + "</p></section>"
        )
    html = f"<style>{' '.join(rules)} section {{ break-after: page; }}</style>{''.join(sections)}"
    return HTML(string=html).write_pdf()


def assert_header_and_footer(pages, *, number, title, revision, effective):
    total = len(pages)
    for index, text in enumerate(pages, start=1):
        flat = " ".join(text.split())
        assert number in flat, index
        assert f"Revision {revision}" in flat, index
        assert title in flat, index
        assert f"Effective date: {effective}" in flat, index
        assert "Uncontrolled when printed" in flat, index
        assert f"Page {index} of {total}" in flat, index


# --- from Markdown -----------------------------------------------------------------------------


def test_a_thirty_page_markdown_copy_has_header_and_footer_on_every_page(tmp_path):
    sections = 75
    pdf = controlled_copy_pdf(
        **IDENTITY, status="effective", content_html=render_markdown(long_markdown(sections))
    )
    pages = page_texts(pdf, tmp_path)
    assert len(pages) >= 30
    assert len(PdfReader(io.BytesIO(pdf)).pages) == len(pages)
    assert_header_and_footer(
        pages, number="SOP-007", title=IDENTITY["title"], revision="C", effective="2025-03-01"
    )
    text = "\n".join(pages)
    positions = [text.find(f"SECTION-{n:03d}") for n in range(1, sections + 1)]
    assert all(p >= 0 for p in positions)
    assert positions == sorted(positions)
    assert "SUPERSEDED" not in text
    assert "not for use" not in text


@pytest.mark.parametrize(
    ("status", "banner"),
    [
        ("superseded", "SUPERSEDED — not for use"),
        ("obsolete", "OBSOLETE — not for use"),
        ("draft", "DRAFT — not for use"),
        ("in_review", "IN REVIEW — not for use"),
        ("approved", "NOT YET EFFECTIVE — not for use"),
    ],
)
def test_a_revision_that_is_not_effective_is_marked_on_every_page(tmp_path, status, banner):
    pdf = controlled_copy_pdf(
        **IDENTITY, status=status, content_html=render_markdown(long_markdown(8))
    )
    pages = page_texts(pdf, tmp_path)
    assert len(pages) >= 2
    for text in pages:
        assert banner in " ".join(text.split())


def test_the_identification_table_and_empty_content(tmp_path):
    pdf = controlled_copy_pdf(**IDENTITY, status="effective", content_html=None)
    (text,) = page_texts(pdf, tmp_path)
    flat = " ".join(text.split())
    assert "Issued by Fjordmed AS" in flat
    assert "its content is the attached file" in flat


def test_special_characters_in_the_identity_are_shown_literally(tmp_path):
    title = 'Q"b\\s</style><script>x</script>&«æ»'
    pdf = controlled_copy_pdf(
        **{**IDENTITY, "title": title}, status="effective", content_html=render_markdown("Hi")
    )
    (text,) = page_texts(pdf, tmp_path)
    assert text.count(title) >= 2  # header and identification table


def test_a_missing_effective_date_shows_a_dash(tmp_path):
    pdf = controlled_copy_pdf(
        **{**IDENTITY, "effective_date": None}, status="draft", content_html=render_markdown("x")
    )
    (text,) = page_texts(pdf, tmp_path)
    assert "Effective date: —" in text


def test_the_language_is_set_for_the_copy_and_restored_afterwards():
    with translation.override("en"):
        pdf = controlled_copy_pdf(
            **IDENTITY, status="effective", content_html=render_markdown("x"), language="nb"
        )
        assert translation.get_language() == "en"
    root = PdfReader(io.BytesIO(pdf)).trailer["/Root"]
    assert root["/Lang"] == "nb"


def test_css_string_escapes_everything_that_could_end_the_string_or_the_style():
    escaped = css_string('a"b\\c</style>\nd\x07')
    assert escaped.startswith('"') and escaped.endswith('"')
    inner = escaped[1:-1]
    assert '"' not in inner
    assert "<" not in inner and ">" not in inner
    assert "\n" not in inner and "\x07" not in inner
    assert "\\A " in inner


# --- stamped onto an attached PDF -------------------------------------------------------------


def test_every_page_of_a_thirty_page_attachment_is_stamped_and_keeps_its_content(tmp_path):
    original = original_pdf(30, landscape={5}, letter={7})
    source = PdfReader(io.BytesIO(original))
    pdf = controlled_copy_pdf(**IDENTITY, status="effective", attachment_pdf=original)
    stamped = PdfReader(io.BytesIO(pdf))
    assert len(stamped.pages) == 30

    pages = page_texts(pdf, tmp_path)
    assert len(pages) == 30
    assert_header_and_footer(
        pages, number="SOP-007", title=IDENTITY["title"], revision="C", effective="2025-03-01"
    )
    for n, text in enumerate(pages, start=1):
        assert f"ORIGINAL-TEXT-{n:02d}" in text
        assert f"Supplier header {n}" in text
        assert f"Original page {n}" in text

    for before, after in zip(source.pages, stamped.pages, strict=True):
        assert float(after.mediabox.width) == pytest.approx(float(before.mediabox.width), abs=0.01)
        assert float(after.mediabox.height) == pytest.approx(
            float(before.mediabox.height), abs=0.01
        )
    assert float(stamped.pages[4].mediabox.width) > float(stamped.pages[4].mediabox.height)
    assert float(stamped.pages[6].mediabox.width) == pytest.approx(612, abs=0.01)


def words_with_boxes(pdf: bytes, tmp_path, page: int) -> tuple[float, list[tuple[str, float]]]:
    """(page height, [(word, top y)]) of one page as displayed, y growing downwards."""
    path = tmp_path / "copy.pdf"
    path.write_bytes(pdf)
    html = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    height = float(re.search(r'<page width="[\d.]+" height="([\d.]+)"', html).group(1))
    words = [
        (word, float(top))
        for top, word in re.findall(
            r'<word xMin="[\d.]+" yMin="([\d.]+)"[^>]*>([^<]*)</word>', html
        )
    ]
    return height, words


def test_rotated_pages_become_upright_with_the_header_at_the_top_as_read(tmp_path):
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(original_pdf(3, links=False))))
    writer.pages[1].rotate(90)
    writer.pages[2].rotate(270)
    buffer = io.BytesIO()
    writer.write(buffer)
    pdf = controlled_copy_pdf(**IDENTITY, status="effective", attachment_pdf=buffer.getvalue())
    stamped = PdfReader(io.BytesIO(pdf))
    for index in (1, 2):
        page = stamped.pages[index]
        assert page.rotation == 0
        assert float(page.mediabox.width) > float(page.mediabox.height)
    mm = 72 / 25.4
    for n in (1, 2, 3):
        height, words = words_with_boxes(pdf, tmp_path, n)
        tops = dict(words)
        assert tops["SOP-007"] < 14 * mm
        assert tops["Uncontrolled"] > height - 11 * mm
        assert f"ORIGINAL-TEXT-{n:02d}" in tops
        original = tops[f"ORIGINAL-TEXT-{n:02d}"]
        assert 14 * mm < original < height - 11 * mm


def test_the_original_content_is_scaled_between_the_header_and_footer_bands():
    pdf = controlled_copy_pdf(**IDENTITY, status="effective", attachment_pdf=original_pdf(2))
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    height = float(page.mediabox.height)
    annotations = [a.get_object() for a in page.get("/Annots", [])]
    links = [a for a in annotations if a.get("/Subtype") == "/Link"]
    assert links
    for link in links:
        x1, y1, x2, y2 = (float(v) for v in link["/Rect"])
        assert 11 * 72 / 25.4 <= y1 < y2 <= height - 14 * 72 / 25.4
        assert 0 <= x1 < x2 <= float(page.mediabox.width)


def test_stamping_in_norwegian_keeps_odd_page_sizes(tmp_path):
    original = original_pdf(3, letter={2})
    pdf = controlled_copy_pdf(
        **IDENTITY, status="effective", attachment_pdf=original, language="nb"
    )
    stamped = PdfReader(io.BytesIO(pdf))
    assert float(stamped.pages[1].mediabox.width) == pytest.approx(612, abs=0.01)
    assert float(stamped.pages[0].mediabox.width) == pytest.approx(595.28, abs=0.01)
    pages = page_texts(pdf, tmp_path)
    assert len(pages) == 3
    assert all("SOP-007" in text for text in pages)


def test_a_stamped_superseded_attachment_is_marked_on_every_page(tmp_path):
    pdf = controlled_copy_pdf(**IDENTITY, status="superseded", attachment_pdf=original_pdf(4))
    for text in page_texts(pdf, tmp_path):
        assert "SUPERSEDED — not for use" in " ".join(text.split())


def test_the_attachment_wins_over_markdown_when_both_are_given(tmp_path):
    pdf = controlled_copy_pdf(
        **IDENTITY,
        status="effective",
        content_html=render_markdown("MARKDOWN-TEXT"),
        attachment_pdf=original_pdf(2),
    )
    text = "\n".join(page_texts(pdf, tmp_path))
    assert "ORIGINAL-TEXT-01" in text
    assert "MARKDOWN-TEXT" not in text


def test_an_encrypted_attachment_is_refused():
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(original_pdf(1))))
    writer.encrypt(user_password="", owner_password="owner-secret")
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(ValidationError) as caught:
        controlled_copy_pdf(**IDENTITY, status="effective", attachment_pdf=buffer.getvalue())
    (message,) = caught.value.message_dict["attachment"]
    assert "SOP-007" in message
    assert "encrypted" in message


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"not a pdf at all",
        b"%PDF-1.7\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF",
        b"%PDF-1.4\n" + bytes(range(256)) * 20,
    ],
)
def test_a_broken_attachment_is_refused(data):
    with pytest.raises(ValidationError) as caught:
        controlled_copy_pdf(**IDENTITY, status="effective", attachment_pdf=data)
    (message,) = caught.value.message_dict["attachment"]
    assert "SOP-007" in message
    assert "damaged" in message


def test_a_truncated_attachment_is_refused_or_stamped_whole_never_a_crash():
    data = original_pdf(3)
    for cut in (len(data) // 3, len(data) // 2, len(data) - 50):
        try:
            pdf = controlled_copy_pdf(**IDENTITY, status="effective", attachment_pdf=data[:cut])
        except ValidationError as exc:
            assert "attachment" in exc.message_dict
        else:
            assert PdfReader(io.BytesIO(pdf)).pages
