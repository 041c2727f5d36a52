"""Attached files of revisions: checked by their content, stored with their SHA-256, carried to
the next revision, and part of what the approvers sign."""

import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from samsvar.documents import services
from samsvar.documents.models import Document, Revision


@pytest.fixture(scope="module")
def pdf():
    from weasyprint import HTML

    return HTML(string="<h1>SOP-001 Complaint handling</h1>").write_pdf()


def upload(name, data):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def test_an_attached_pdf_is_stored_with_its_digest(desk, pdf, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    document = desk.document(content_md="", attachment=upload("../Klage prosedyre.pdf", pdf))
    revision = desk.draft(document)
    assert revision.attachment_sha256 == hashlib.sha256(pdf).hexdigest()
    assert (revision.attachment_size, revision.attachment_content_type) == (
        len(pdf),
        "application/pdf",
    )
    assert revision.attachment_name == "Klage prosedyre.pdf"
    assert revision.attachment.name.startswith("documents/SOP-001/A/")
    assert ".." not in revision.attachment.name
    with revision.attachment.open("rb") as stored:
        assert stored.read() == pdf
    # A file alone is content enough to submit.
    assert services.revision_submit(actor=desk.quality, revision=revision).status == "in_review"


def test_a_file_whose_content_is_not_what_its_name_says_is_refused(desk, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(ValidationError) as error:
        desk.document(attachment=upload("procedure.pdf", b"MZ\x90\x00 not a pdf at all"))
    assert "attachment" in error.value.message_dict
    assert not Document.objects.exists()


def test_the_next_revision_starts_with_the_file_and_may_replace_it(desk, pdf, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    document = desk.effective_document(attachment=upload("sop.pdf", pdf))
    draft = services.revision_create(
        actor=desk.quality, document=document, reason_for_change="Flow chart"
    )
    first = Revision.objects.get(document=document, label="A")
    assert (draft.attachment.name, draft.attachment_sha256) == (
        first.attachment.name,
        first.attachment_sha256,
    )
    other = pdf.replace(b"Complaint", b"Complaints")
    draft = services.revision_update(
        actor=desk.quality, revision=draft, attachment=upload("sop-b.pdf", other)
    )
    assert draft.attachment.name.startswith("documents/SOP-001/B/")
    assert draft.attachment_sha256 == hashlib.sha256(other).hexdigest()
    assert Revision.objects.get(pk=first.pk).attachment_sha256 == hashlib.sha256(pdf).hexdigest()
    draft = services.revision_update(actor=desk.quality, revision=draft, clear_attachment=True)
    assert (draft.attachment.name, draft.attachment_sha256, draft.attachment_size) == ("", "", None)


def test_the_signature_covers_the_files_digest(desk, pdf, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    document = desk.document(attachment=upload("sop.pdf", pdf))
    revision = desk.draft(document)
    signature = desk.sign(revision, signer=desk.quality, meaning="authored")
    content = signature.record_version.content["fields"]
    assert content["attachment_sha256"] == hashlib.sha256(pdf).hexdigest()
    assert content["document_number"] == "SOP-001"
    assert "status" not in content
