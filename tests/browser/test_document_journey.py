"""End to end in headless chromium: document control drafts a procedure with a live Markdown
preview, submits it, the approver signs and approves it, document control makes it effective,
and the trainee whose job role requires it signs the training task read-and-understood."""

import re

import pytest

from samsvar.core.models import Signature
from samsvar.documents.models import Document, Revision
from samsvar.training.models import TrainingTask
from tests.browser_fixtures import log_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_draft_review_approve_effective_and_trained(open_page, users, make_user):
    from samsvar.training import services as training

    quality, approver = users["quality_manager"], users["approver"]
    trainee = make_user(role="engineer", username="siri", full_name="Siri Haugen")

    qm = open_page("en-GB")
    log_in(qm, "quality_manager", PASSWORD)
    qm.goto("/documents/")
    qm.click("a.button:has-text('New document')")
    qm.select_option("#id_doc_type", "procedure")
    qm.fill("#id_title", "Complaint handling")
    qm.select_option("#id_owner", str(quality.pk))
    qm.fill("#id_iso_clauses", "8.2.2")
    qm.select_option("#id_approvers", [str(approver.pk)])
    qm.fill("#id_content_md", "# Purpose\n\nComplaints are logged the day they arrive.")
    # The preview is rendered by the server as it is typed (htmx), never as raw HTML.
    qm.locator("#md-preview h1").wait_for()
    assert qm.locator("#md-preview h1").inner_text() == "Purpose"
    qm.click("form.card button[type=submit]")
    qm.wait_for_url(re.compile(r"/documents/\d+/$"))
    document = Document.objects.get(title="Complaint handling")
    assert document.number == "SOP-001"
    assert "SOP-001 was registered" in qm.locator(".messages").inner_text()

    # Training follows the document: the support role requires it (set up by training).
    role = training.job_role_create(
        actor=quality, name="Customer support", required_documents=[document]
    )
    training.role_assignment_create(actor=quality, user=trainee, job_role=role)

    qm.click("text=Open it")
    qm.wait_for_url(re.compile(r"/documents/revisions/\d+/$"))
    revision_url = qm.url
    qm.click("button:has-text('Submit for review')")
    qm.wait_for_url(revision_url)
    assert "In review" in qm.locator(".heading h1").inner_text()
    assert "Approver Person" in qm.locator(".doc-steps").inner_text()

    ap = open_page("en-GB")
    log_in(ap, "approver", PASSWORD)
    ap.goto(revision_url)
    ap.click("a.button:has-text('Sign')")
    ap.select_option("#id_meaning", "approved")
    ap.fill("#id_password", PASSWORD)
    ap.click("form.card button[type=submit]")
    ap.wait_for_url(revision_url)
    assert "Approver Person" in ap.locator(".signatures").inner_text()
    ap.click(".doc-steps button:has-text('Approve')")
    ap.wait_for_url(revision_url)
    assert "Approved" in ap.locator(".heading h1").inner_text()

    qm.goto(revision_url)
    qm.click("a.button:has-text('Make effective')")
    qm.click("form.card button[type=submit]")
    qm.wait_for_url(re.compile(rf"/documents/{document.pk}/$"))
    current = qm.locator("section[aria-labelledby=current-heading]").inner_text()
    assert "Effective" in current and "Approver Person" in current
    trained = qm.locator("#training").inner_text()
    assert "Siri Haugen" in trained and "Open" in trained

    revision = Revision.objects.get(document=document)
    assert revision.status == "effective"
    assert Signature.objects.filter(meaning="approved", signer=approver).count() == 1
    task = TrainingTask.objects.get(user=trainee, revision=revision)
    assert task.status == "open"

    reader = open_page("en-GB")
    log_in(reader, "siri", PASSWORD)
    reader.goto("/training/")
    reader.click(f"tr[data-task='{task.pk}'] a:has-text('Read and sign')")
    assert "Complaints are logged the day they arrive." in reader.locator("main").inner_text()
    reader.fill("#id_password", PASSWORD)
    reader.click("form.form button[type=submit]")
    reader.wait_for_load_state()
    task.refresh_from_db()
    assert task.status == "completed"
    assert Signature.objects.filter(signer=trainee, meaning="read_understood").exists()

    qm.reload()
    assert "Trained on the current revision" in qm.locator("#training").inner_text()
