"""Upload checks: the type comes from the content, the name must agree, the digest is streamed."""

import hashlib
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from hypothesis import given
from hypothesis import strategies as st

from samsvar.documents import files
from samsvar.documents.files import check_upload, safe_filename

OOXML = "application/vnd.openxmlformats-officedocument"


# --- sample files, built here so each test says what it feeds in ------------------------------


def pdf_bytes(text="Fjordmed SOP-007"):
    from weasyprint import HTML

    return HTML(string=f"<p>{text}</p>").write_pdf()


def docx_bytes():
    from docx import Document

    document = Document()
    document.add_paragraph("Complaint handling procedure")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def xlsx_bytes():
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active["A1"] = "Training matrix"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def zip_bytes(members, *, compression=zipfile.ZIP_DEFLATED):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def content_types(part, content_type):
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/{part}" ContentType="{content_type}"/>'
        "</Types>"
    )


def pptx_bytes():
    part = "ppt/presentation.xml"
    return zip_bytes(
        {
            "[Content_Types].xml": content_types(
                part, f"{OOXML}.presentationml.presentation.main+xml"
            ),
            part: "<p:presentation/>",
        }
    )


def odf_bytes(mimetype):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", "<office:document-content/>")
        archive.writestr("META-INF/manifest.xml", "<manifest:manifest/>")
    return buffer.getvalue()


def image_bytes(fmt):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (11, 79, 108)).save(buffer, format=fmt)
    return buffer.getvalue()


def upload(name, data):
    return SimpleUploadedFile(name, data)


def refusal(name, data, **kwargs):
    with pytest.raises(ValidationError) as caught:
        check_upload(upload(name, data), **kwargs)
    errors = caught.value.message_dict
    assert list(errors) == ["attachment"]
    (message,) = errors["attachment"]
    return message


# --- accepted files ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "build", "content_type"),
    [
        ("SOP-007 Klagebehandling.pdf", pdf_bytes, "application/pdf"),
        ("procedure.docx", docx_bytes, f"{OOXML}.wordprocessingml.document"),
        ("matrix.XLSX", xlsx_bytes, f"{OOXML}.spreadsheetml.sheet"),
        ("training.pptx", pptx_bytes, f"{OOXML}.presentationml.presentation"),
        (
            "plan.odt",
            lambda: odf_bytes("application/vnd.oasis.opendocument.text"),
            "application/vnd.oasis.opendocument.text",
        ),
        (
            "budget.ods",
            lambda: odf_bytes("application/vnd.oasis.opendocument.spreadsheet"),
            "application/vnd.oasis.opendocument.spreadsheet",
        ),
        ("label.png", lambda: image_bytes("PNG"), "image/png"),
        ("photo.jpg", lambda: image_bytes("JPEG"), "image/jpeg"),
        ("photo.jpeg", lambda: image_bytes("JPEG"), "image/jpeg"),
        ("notes.txt", lambda: "Avvik, opplæring\n".encode(), "text/plain"),
        ("register.csv", lambda: b"number;title\nSOP-001;Dokumentstyring\n", "text/csv"),
        ("README.md", lambda: b"# Scope\n\n<br> is fine, so is 2 < 3.\n", "text/markdown"),
    ],
)
def test_accepted_files_are_described_by_their_content(name, build, content_type):
    data = build()
    f = upload(name, data)
    check = check_upload(f)
    assert check.sha256 == hashlib.sha256(data).hexdigest()
    assert check.size == len(data)
    assert check.content_type == content_type
    assert check.extension == name.rsplit(".", 1)[1].lower()
    assert check.original_name == name
    assert f.tell() == 0
    assert f.read() == data


def test_a_file_larger_than_one_chunk_is_hashed_whole():
    data = ("Linje med tekst om opplæring og kompetanse.\n" * 20_000).encode()
    assert len(data) > 3 * files.CHUNK
    check = check_upload(upload("long.txt", data))
    assert check.sha256 == hashlib.sha256(data).hexdigest()
    assert check.size == len(data)


def test_a_plain_binary_file_object_without_chunks_works_too():
    data = pdf_bytes()
    f = io.BytesIO(data)
    f.name = "uploads/2025/spec.pdf"
    check = check_upload(f)
    assert check.original_name == "spec.pdf"
    assert check.sha256 == hashlib.sha256(data).hexdigest()


# --- the name must agree with the content ------------------------------------------------------


def exe_bytes():
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


def _mark_encrypted(data):
    data = bytearray(data)
    local = data.find(b"PK\x03\x04")
    data[local + 6] |= 0x1
    central = data.find(b"PK\x01\x02")
    data[central + 8] |= 0x1
    return bytes(data)


@pytest.mark.parametrize(
    ("name", "build", "words"),
    [
        ("procedure.docx", pdf_bytes, ["PDF", ".pdf"]),
        ("matrix.xlsx", docx_bytes, ["Word", ".docx"]),
        ("invoice.pdf", exe_bytes, ["program"]),
        ("report.docx", lambda: zip_bytes({"report.txt": "hello", "a.png": "x"}), ["ZIP"]),
        ("broken.docx", lambda: docx_bytes()[:3000], ["damaged"]),
        ("locked.docx", lambda: _mark_encrypted(docx_bytes()), ["password"]),
        ("old.doc", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, ["DOCX"]),
        ("cut.pdf", lambda: pdf_bytes()[:-200], ["complete PDF"]),
        (
            "slides.odt",
            lambda: odf_bytes("application/vnd.oasis.opendocument.presentation"),
            ["OpenDocument"],
        ),
        ("fake.pdf", lambda: b"just some text pretending\n", ["plain text", ".txt"]),
        ("liste.csv", lambda: "nr;tittel\n1;Opplæring\n".encode("latin-1"), ["UTF-8"]),
        ("notes.txt", lambda: b"line one\x00line two\n", ["NUL"]),
        ("anim.gif", lambda: b"GIF89a\x01\x00\x01\x00\x00;" + b"\x00" * 20, ["docx", "pdf"]),
    ],
)
def test_a_file_whose_content_does_not_fit_is_refused_naming_file_and_reason(name, build, words):
    message = refusal(name, build())
    assert name in message
    for word in words:
        assert word in message


def test_a_macro_enabled_word_file_named_docx_is_refused():
    part = "word/document.xml"
    docm = zip_bytes(
        {
            "[Content_Types].xml": content_types(
                part, "application/vnd.ms-word.document.macroEnabled.main+xml"
            ),
            part: "<w:document/>",
        }
    )
    message = refusal("sop.docx", docm)
    assert "sop.docx" in message
    assert "macro" in message


def test_a_docx_carrying_a_vba_project_is_refused():
    part = "word/document.xml"
    sneaky = zip_bytes(
        {
            "[Content_Types].xml": content_types(
                part, f"{OOXML}.wordprocessingml.document.main+xml"
            ),
            part: "<w:document/>",
            "word/vbaProject.bin": b"\xd0\xcf\x11\xe0" + b"\x00" * 64,
        }
    )
    assert "macros" in refusal("sop.docx", sneaky)


def test_the_main_part_must_exist_not_only_be_declared():
    declared_only = zip_bytes(
        {
            "[Content_Types].xml": content_types(
                "word/document.xml", f"{OOXML}.wordprocessingml.document.main+xml"
            ),
        }
    )
    assert "sop.docx" in refusal("sop.docx", declared_only)


def test_a_zip_bomb_is_refused_without_being_unpacked():
    buffer = io.BytesIO()
    part = "word/document.xml"
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            content_types(part, f"{OOXML}.wordprocessingml.document.main+xml"),
        )
        archive.writestr(part, "<w:document/>")
        with archive.open("word/media/zeros.bin", "w") as member:
            block = b"\x00" * (1024 * 1024)
            for _ in range(24):
                member.write(block)
    data = buffer.getvalue()
    assert len(data) < 200_000
    message = refusal("bomb.docx", data)
    assert "bomb.docx" in message
    assert "unpack" in message


def test_an_archive_with_too_many_parts_is_refused(monkeypatch):
    monkeypatch.setattr(files, "MAX_ZIP_ENTRIES", 5)
    members = {f"xl/part{n}.xml": "<x/>" for n in range(8)}
    members["[Content_Types].xml"] = content_types(
        "xl/workbook.xml", f"{OOXML}.spreadsheetml.sheet.main+xml"
    )
    members["xl/workbook.xml"] = "<workbook/>"
    assert "unpack" in refusal("many.xlsx", zip_bytes(members))


# --- text --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("page.txt", b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"),
        ("logo.txt", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'),
        ("data.csv", b"a,b\n1,<script>alert(1)</script>\n"),
        ("notes.md", b"# Notes\n\n<ScRiPt >alert(1)</script>\n"),
        ("feed.txt", b'<?xml version="1.0"?><x/>'),
        ("frame.md", b"text <iframe src=javascript:alert(1)></iframe>"),
    ],
)
def test_markup_a_browser_would_run_is_refused_as_text(name, data):
    message = refusal(name, data)
    assert name in message
    assert "markup" in message


def test_a_script_tag_across_a_chunk_boundary_is_found():
    data = b"a" * (files.CHUNK - 3) + b"<script>alert(1)</script>"
    assert "markup" in refusal("long.txt", data)


# --- size, emptiness, names --------------------------------------------------------------------


def test_a_file_over_the_given_limit_is_refused():
    message = refusal("big.txt", b"x" * 2_000, max_bytes=1_000)
    assert "big.txt" in message
    assert "MB" in message


def test_the_limit_holds_even_when_the_declared_size_is_missing():
    f = io.BytesIO(b"y" * 5_000)
    f.name = "nosize.txt"
    with pytest.raises(ValidationError) as caught:
        check_upload(f, max_bytes=4_096)
    assert "nosize.txt" in caught.value.message_dict["attachment"][0]


@override_settings(SAMSVAR_MAX_UPLOAD_MB=1)
def test_the_limit_comes_from_the_setting():
    assert files.max_upload_bytes() == 1024 * 1024
    message = refusal("big.txt", b"z" * (1024 * 1024 + 1))
    assert "1 MB" in message
    assert check_upload(upload("ok.txt", b"z" * (1024 * 1024))).size == 1024 * 1024


def test_the_default_limit_is_25_mb(settings):
    if hasattr(settings, "SAMSVAR_MAX_UPLOAD_MB"):
        del settings.SAMSVAR_MAX_UPLOAD_MB
    assert files.max_upload_bytes() == 25 * 1024 * 1024


def test_the_message_can_belong_to_another_field():
    with pytest.raises(ValidationError) as caught:
        check_upload(upload("cv.docx", pdf_bytes()), field="evidence_file")
    assert list(caught.value.message_dict) == ["evidence_file"]
    assert "cv.docx" in caught.value.message_dict["evidence_file"][0]


def test_an_empty_file_is_refused():
    assert "empty" in refusal("empty.txt", b"")


def test_a_name_without_extension_is_refused():
    message = refusal("README", b"# Scope\n")
    assert "README" in message
    assert ".pdf" in message or "pdf" in message


def test_the_folder_part_of_the_name_is_dropped():
    check = check_upload(upload("C:\\Users\\kari\\Desktop\\SOP-001.txt", b"hello\n"))
    assert check.original_name == "SOP-001.txt"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\kari\\Rapport æøå.PDF", "Rapport æøå.pdf"),
        ("CON.txt", "_CON.txt"),
        ("lpt1", "_lpt1"),
        (".htaccess", "htaccess"),
        ('a<b>:c"|?*.pdf', "a_b_c.pdf"),
        ("tab\tand\nnewline.txt", "tab_and_newline.txt"),
        ("   spaced   out   .md", "spaced out.md"),
        ("", "file"),
        ("...", "file"),
        ("right\u202etxt.exe", "right_txt.exe"),
    ],
)
def test_safe_filename(name, expected):
    assert safe_filename(name) == expected


def test_safe_filename_keeps_the_extension_when_shortening():
    name = safe_filename("x" * 300 + ".docx", max_length=40)
    assert len(name) == 40
    assert name.endswith(".docx")


@given(st.text(max_size=300))
def test_safe_filename_is_always_safe(name):
    result = safe_filename(name, max_length=80)
    assert result
    assert len(result) <= 80
    assert not result.startswith(".")
    assert not any(ch in result for ch in '/\\\x00<>:"|?*')
    assert all(ord(ch) >= 0x20 for ch in result)
    assert safe_filename(result, max_length=80) == result
