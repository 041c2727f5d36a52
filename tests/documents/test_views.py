"""Document control through the web pages: the register and search, the document page an auditor
reads, the revision life cycle step by step, change requests, periodic reviews, the quality
manual map, the records register, the numbering rules, and what the pages refuse."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from samsvar.core.models import AuditEvent, Signature
from samsvar.documents import services
from samsvar.documents.models import (
    ChangeRequest,
    Document,
    NumberingRule,
    PeriodicReview,
    Revision,
)
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def html_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def text_of(response) -> str:
    """The page as a reader sees it: tags removed, whitespace collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html_of(response)).split())


def sign_as(client, person, url, meaning="approved"):
    client.force_login(person)
    return client.post(url, {"meaning": meaning, "password": PASSWORD})


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture(scope="module")
def pdf_bytes():
    from weasyprint import HTML

    return HTML(string="<h1>Attached procedure</h1><p>Steps of the procedure.</p>").write_pdf()


# --- the register and search ------------------------------------------------------------------


def test_the_list_searches_numbers_titles_and_content_and_filters(desk, client_for, users):
    complaints = desk.effective_document(
        title="Complaint handling",
        iso_clauses=["8.2.2"],
        content_md="# Purpose\n\nVigilance assessment and reporting to DMP.",
    )
    form = desk.document(
        doc_type="form", title="Training record form", content_md="Name, date, signature."
    )
    audits = desk.document(title="Internal audit", iso_clauses=["8.2.4"], owner=users["engineer"])
    client = client_for("auditor")

    def listing(**params):
        """The table of the list as htmx fetches it (the filter form names clause titles)."""
        return html_of(client.get(reverse("documents:list"), params, HTTP_HX_REQUEST="true"))

    everything = listing()
    for document in (complaints, form, audits):
        assert document.number in everything and document.title in everything

    found = listing(q="vigilance")
    assert complaints.number in found
    assert form.number not in found and audits.number not in found

    by_number = listing(q=form.number)
    assert form.title in by_number and complaints.title not in by_number

    by_type = listing(doc_type="form")
    assert form.number in by_type and complaints.number not in by_type

    by_clause = listing(clause="8.2")
    assert complaints.number in by_clause and audits.number in by_clause
    assert form.number not in by_clause

    effective = listing(status="effective")
    assert complaints.number in effective and audits.number not in effective

    drafts = listing(status="draft")
    assert audits.number in drafts and complaints.number not in drafts

    owned = listing(owner=users["engineer"].pk)
    assert audits.number in owned and complaints.number not in owned


def test_bad_filters_get_field_errors_not_a_server_error(desk, client_for):
    document = desk.document()
    client = client_for("engineer")
    page = client.get(reverse("documents:list"), {"doc_type": "memo", "owner": "nobody"})
    html = html_of(page)
    assert "Type: Select a valid choice. memo is not one of the available choices." in html
    assert "Owner: Select a valid choice." in html
    assert document.number in html  # the invalid filters are left out, the list still shows
    partial = client.get(reverse("documents:list"), {"clause": "4.x"}, HTTP_HX_REQUEST="true")
    assert "ISO 13485 clause: Select a valid choice." in html_of(partial)


def test_the_list_answers_htmx_with_the_table_only(desk, client_for):
    document = desk.document(title="Purchasing control")
    page = client_for("engineer").get(
        reverse("documents:list"), {"q": "purchasing"}, HTTP_HX_REQUEST="true"
    )
    html = html_of(page)
    assert "<html" not in html and "<table" in html
    assert document.number in html


def test_the_list_takes_the_same_queries_however_many_documents(desk, client_for):
    for _ in range(3):
        desk.effective_document()
    client = client_for("auditor")
    url = reverse("documents:list")
    client.get(url)  # session and content types cached

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, {"q": "procedure"}).status_code == 200
        return len(queries)

    few = count()
    for _ in range(6):
        desk.document()
    assert count() == few


# --- the document page ------------------------------------------------------------------------


def test_an_auditor_finds_the_current_sop_who_approved_it_and_who_is_trained(
    desk, client, users, make_user
):
    """The question from the issue, answered in three clicks: Documents, the search, the SOP."""
    from samsvar.training import services as training

    quality = users["quality_manager"]
    document = desk.document(
        title="Complaint handling", content_md="# Purpose\n\nHow complaints are handled."
    )
    role = training.job_role_create(
        actor=quality, name="Customer support", required_documents=[document]
    )
    trainee = make_user(role="engineer", username="siri", full_name="Siri Haugen")
    training.role_assignment_create(actor=quality, user=trainee, job_role=role)
    desk.issue(desk.draft(document))
    revision = Revision.objects.get(document=document, status="effective")
    signature = Signature.objects.get(meaning="approved")

    client.force_login(users["auditor"])
    start = html_of(client.get(reverse("documents:list")))
    assert reverse("documents:list") in start
    results = html_of(client.get(reverse("documents:list"), {"q": "complaint"}))
    detail_url = reverse("documents:detail", args=[document.pk])
    assert detail_url in results
    page = client.get(detail_url)
    text = text_of(page)
    assert f"{document.number} Complaint handling" in text
    assert "Current revision" in text and f"Revision {revision.label}" in text
    assert "Who approved it and when" in text
    assert signature.signer_full_name == "Approver Person"
    assert "Approved Approver Person" in text
    assert timezone.localtime(signature.signed_at).strftime("%Y-%m-%d %H:%M") in text
    assert "Who is trained" in text
    assert "Siri Haugen" in text and "Customer support" in text and "Open" in text
    assert "How complaints are handled." in text

    task = trainee.training_tasks.get(revision=revision)
    training.task_complete_read(actor=trainee, task=task, password=PASSWORD)
    trained = text_of(client.get(detail_url))
    assert "Trained on the current revision" in trained


def test_the_page_marks_superseded_revisions_and_the_change_request_behind_each(
    desk, client_for, users, device
):
    document = desk.effective_document(title="Design control")
    change_request = services.change_request_create(
        actor=users["engineer"],
        title="Usability engineering",
        what="Add usability engineering steps.",
        why="IEC 62366-1 applied.",
        documents=[document],
    )
    desk.sign(change_request)
    services.change_request_approve(actor=users["approver"], change_request=change_request)
    (draft,) = services.change_request_open_revisions(
        actor=users["quality_manager"],
        change_request=change_request,
        documents=[document],
        reason="Usability steps added",
    )
    desk.issue(draft)
    first = Revision.objects.get(document=document, label="A")
    html = html_of(client_for("engineer").get(reverse("documents:detail", args=[document.pk])))
    history = html.split('id="revisions"')[1].split("</section>")[0]
    assert "st-superseded" in history and "Superseded" in history
    assert change_request.number in history
    assert "CR-001: Usability steps added" in history
    assert "First issue" in history
    # The superseded revision is not offered as current, and its copy is restricted for this role.
    assert reverse("documents:revision_copy", args=[first.pk]) not in html
    assert "restricted" in history

    old = html_of(client_for("engineer").get(reverse("documents:revision", args=[first.pk])))
    assert "SUPERSEDED — not for use." in old
    assert "The current revision is B." in old


def test_malicious_markdown_is_shown_inert(desk, client_for):
    hostile = (
        "# Purpose\n\n<script>alert('x')</script>\n\n"
        "[click](javascript:alert(1)) and [enc](jav&#x61;script:alert(2))\n\n"
        '<img src=x onerror="alert(3)">\n\n![pic](javascript:alert(4))\n\n'
        '<a href="https://example.com" onclick="alert(5)">raw</a>'
    )
    document = desk.effective_document(content_md=hostile)
    html = html_of(client_for("auditor").get(reverse("documents:detail", args=[document.pk])))
    content = html.split('class="md-content"')[1].split("</section>")[0]
    tags = re.findall(r"<[^>]+>", content)
    assert not [tag for tag in tags if re.match(r"<\s*(script|img|iframe)", tag, re.I)]
    assert not [tag for tag in tags if re.search(r"\bon\w+\s*=", tag, re.I)]
    assert not [tag for tag in tags if "javascript" in tag.lower()]
    assert "&lt;script&gt;alert" in content  # shown as text, never run

    preview = client_for("engineer").post(reverse("documents:preview"), {"content_md": hostile})
    assert "<script" not in preview.content.decode()
    assert "&lt;script&gt;" in preview.content.decode()


# --- the life cycle through the pages ---------------------------------------------------------


def test_the_whole_life_cycle_through_the_pages(client, users, media):
    quality, approver = users["quality_manager"], users["approver"]
    client.force_login(quality)
    created = client.post(
        reverse("documents:create"),
        {
            "doc_type": "procedure",
            "title": "Control of records",
            "owner": quality.pk,
            "iso_clauses": "4.2.5",
            "regulation_refs": "mdr:10(9)(a)",
            "review_interval_months": "24",
            "approvers": [approver.pk],
            "reason_for_change": "First issue",
            "content_md": "# Purpose\n\nRecords are kept legible.",
        },
    )
    document = Document.objects.get()
    assert created.status_code == 302 and created["Location"] == document.get_absolute_url()
    assert document.number == "SOP-001" and document.retention_years == 10
    draft = Revision.objects.get(document=document)

    form = html_of(client.get(reverse("documents:revision_edit", args=[draft.pk])))
    assert "# Purpose\n\nRecords are kept legible.</textarea>" in form
    assert "\nFirst issue</textarea>" in form
    edited = client.post(
        reverse("documents:revision_edit", args=[draft.pk]),
        {
            "content_md": "# Purpose\n\nRecords are kept legible and retrievable.",
            "reason_for_change": "First issue",
        },
    )
    assert edited.status_code == 302
    draft.refresh_from_db()
    assert "retrievable" in draft.content_md

    assert client.post(reverse("documents:revision_submit", args=[draft.pk])).status_code == 302
    draft.refresh_from_db()
    assert draft.status == "in_review"

    # No signature, no approval: the refusal is shown and nothing changes.
    client.force_login(approver)
    refused = client.post(reverse("documents:revision_approve", args=[draft.pk]))
    assert "Waiting for the approval signature of Approver Person" in html_of(refused)
    draft.refresh_from_db()
    assert draft.status == "in_review"

    signed = sign_as(client, approver, reverse("documents:revision_sign", args=[draft.pk]))
    assert signed.status_code == 302 and signed["Location"] == draft.get_absolute_url()
    approved = client.post(reverse("documents:revision_approve", args=[draft.pk]))
    assert approved.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "approved"

    # Making it effective is document control's step, not the approver's.
    assert (
        client.post(reverse("documents:revision_make_effective", args=[draft.pk])).status_code
        == 403
    )
    client.force_login(quality)
    made = client.post(reverse("documents:revision_make_effective", args=[draft.pk]))
    assert made["Location"] == document.get_absolute_url()
    draft.refresh_from_db()
    assert draft.status == "effective"

    page = text_of(client.get(document.get_absolute_url()))
    assert "Records are kept legible and retrievable." in page
    assert "Approved Approver Person" in page

    opened = client.post(
        reverse("documents:revise", args=[document.pk]), {"reason_for_change": "Backups added"}
    )
    second = Revision.objects.get(document=document, label="B")
    assert opened["Location"] == reverse("documents:revision_edit", args=[second.pk])
    assert second.status == "draft" and "retrievable" in second.content_md
    assert set(
        AuditEvent.objects.filter(object_type="documents.revision").values_list(
            "object_id", flat=True
        )
    ) == {str(draft.pk), str(second.pk)}


def test_a_second_revision_while_one_is_in_progress_is_refused_on_the_form(desk, client_for):
    document = desk.effective_document()
    services.revision_create(actor=desk.quality, document=document, reason_for_change="Typo")
    page = client_for("quality_manager").post(
        reverse("documents:revise", args=[document.pk]), {"reason_for_change": "Another"}
    )
    assert "already has revision B in progress" in html_of(page)
    assert Revision.objects.filter(document=document).count() == 2


def test_a_new_revision_needs_a_reason(desk, client_for):
    document = desk.effective_document()
    page = client_for("engineer").post(
        reverse("documents:revise", args=[document.pk]), {"reason_for_change": "  "}
    )
    assert "This field is required." in html_of(page)
    assert Revision.objects.filter(document=document).count() == 1


def test_bad_document_input_gets_field_errors(client_for, users):
    client = client_for("quality_manager")
    page = client.post(
        reverse("documents:create"),
        {
            "doc_type": "procedure",
            "title": "Implant tracking",
            "owner": users["quality_manager"].pk,
            "iso_clauses": "4.2.4, 99.9",
            "implantable_devices": "on",
            "retention_years": "10",
            "review_interval_months": "24",
            "reason_for_change": "First issue",
            "effective_date": "2001-01-01",
        },
    )
    html = html_of(page)
    assert "Not clauses of EN ISO 13485: 99.9." in html
    assert not Document.objects.exists()
    fixed = client.post(
        reverse("documents:create"),
        {
            "doc_type": "procedure",
            "title": "Implant tracking",
            "owner": users["quality_manager"].pk,
            "iso_clauses": "4.2.4",
            "implantable_devices": "on",
            "retention_years": "10",
            "review_interval_months": "24",
            "reason_for_change": "First issue",
        },
    )
    assert "Keep it at least 15 years (MDR Art. 10(8))." in html_of(fixed)
    assert not Document.objects.exists()


def test_a_malicious_upload_is_refused_with_the_field_error(desk, client_for, media):
    document = desk.document()
    draft = desk.draft(document)
    client = client_for("engineer")
    for name, data in (
        ("procedure.pdf", b"MZ\x90\x00\x03 an executable, not a PDF"),
        ("notes.txt", b"<html><script>alert(1)</script></html>"),
    ):
        page = client.post(
            reverse("documents:revision_edit", args=[draft.pk]),
            {
                "content_md": "Changed text",
                "reason_for_change": "First issue",
                "attachment": SimpleUploadedFile(name, data),
            },
        )
        html = html_of(page)
        error = html.split('id="id_attachment_error"')
        assert len(error) == 2, name
        assert "has-error" in html
        draft.refresh_from_db()
        assert draft.attachment.name == "" and draft.content_md != "Changed text"


def test_an_attached_pdf_is_stored_listed_and_stamped(desk, client_for, media, pdf_bytes):
    document = desk.document(content_md="")
    draft = desk.draft(document)
    client = client_for("engineer")
    saved = client.post(
        reverse("documents:revision_edit", args=[draft.pk]),
        {
            "reason_for_change": "First issue",
            "attachment": SimpleUploadedFile("Prosedyre for sporbarhet.pdf", pdf_bytes),
        },
    )
    assert saved.status_code == 302
    draft.refresh_from_db()
    page = html_of(client.get(reverse("documents:revision", args=[draft.pk])))
    assert "Prosedyre for sporbarhet.pdf" in page and draft.attachment_sha256 in page
    download = client.get(reverse("documents:revision_file", args=[draft.pk]))
    assert b"".join(download.streaming_content) == pdf_bytes
    assert "attachment;" in download["Content-Disposition"]
    copy = client.get(reverse("documents:revision_copy", args=[draft.pk]))
    assert copy["Content-Type"] == "application/pdf" and copy.content.startswith(b"%PDF")


def test_earlier_revisions_download_for_archive_roles_only(desk, client_for, media, pdf_bytes):
    document = desk.effective_document(
        attachment=SimpleUploadedFile("sop.pdf", pdf_bytes), content_md=""
    )
    desk.revise(document)
    old = Revision.objects.get(document=document, label="A")
    current = Revision.objects.get(document=document, label="B")
    assert old.status == "superseded"

    engineer = client_for("engineer")
    assert engineer.get(reverse("documents:revision_copy", args=[old.pk])).status_code == 403
    assert engineer.get(reverse("documents:revision_file", args=[old.pk])).status_code == 403
    assert engineer.get(reverse("documents:revision_copy", args=[current.pk])).status_code == 200
    copy = engineer.get(reverse("documents:copy", args=[document.pk]))
    assert copy.status_code == 200 and copy["Content-Type"] == "application/pdf"
    assert f"{document.number}_rev_B.pdf" in copy["Content-Disposition"]

    auditor = client_for("auditor")
    old_copy = auditor.get(reverse("documents:revision_copy", args=[old.pk]))
    assert old_copy.status_code == 200 and old_copy.content.startswith(b"%PDF")
    assert f"{document.number}_rev_A.pdf" in old_copy["Content-Disposition"]
    assert auditor.get(reverse("documents:revision_file", args=[old.pk])).status_code == 200


def test_review_comments_block_approval_until_resolved(desk, client, users):
    document = desk.document(reviewers=[users["engineer"]])
    draft = services.revision_submit(actor=desk.quality, revision=desk.draft(document))
    client.force_login(users["engineer"])
    added = client.post(
        reverse("documents:revision_comment", args=[draft.pk]),
        {"text": "Name the retention of e-mails."},
    )
    assert added["Location"].endswith("#comments")
    comment = draft.comments.get()
    desk.sign(draft)
    client.force_login(users["approver"])
    refused = client.post(reverse("documents:revision_approve", args=[draft.pk]))
    assert "1 review comment(s) are not resolved." in html_of(refused)

    client.force_login(users["engineer"])
    empty = client.post(reverse("documents:comment_resolve", args=[comment.pk]), {})
    assert "This field is required." in html_of(empty)
    client.post(
        reverse("documents:comment_resolve", args=[comment.pk]),
        {"resolution": "Section 5 names it."},
    )
    comment.refresh_from_db()
    assert comment.resolved and comment.resolution == "Section 5 names it."
    page = text_of(client.get(reverse("documents:revision", args=[draft.pk])))
    assert "Resolved Section 5 names it." in page


def test_withdrawing_a_document_needs_a_reason_and_marks_it_obsolete(desk, client_for):
    document = desk.effective_document()
    client = client_for("quality_manager")
    url = reverse("documents:obsolete", args=[document.pk])
    assert "This field is required." in html_of(client.post(url, {"reason": ""}))
    client.post(url, {"reason": "Replaced by SOP-010"})
    document.refresh_from_db()
    assert document.status == "obsolete"
    page = text_of(client.get(document.get_absolute_url()))
    assert "Obsolete — not for use." in page
    assert "Controlled copy (PDF)" not in page
    assert client_for("engineer").post(url, {"reason": "x"}).status_code == 403


def test_an_edit_of_a_revision_in_review_is_refused_with_the_reason(desk, client_for):
    document = desk.document()
    draft = services.revision_submit(actor=desk.quality, revision=desk.draft(document))
    client = client_for("engineer")
    url = reverse("documents:revision_edit", args=[draft.pk])
    assert "can no longer be edited" in html_of(client.get(url))
    refused = client.post(url, {"content_md": "Sneaky", "reason_for_change": "First issue"})
    assert "can no longer be edited" in html_of(refused)
    draft.refresh_from_db()
    assert draft.content_md != "Sneaky"


# --- change requests --------------------------------------------------------------------------


def test_a_change_request_opens_revisions_of_several_documents(desk, client, users, device):
    first = desk.effective_document(title="Complaint handling")
    second = desk.effective_document(title="Vigilance reporting")
    client.force_login(users["engineer"])
    raised = client.post(
        reverse("documents:change_request_create"),
        {
            "title": "Trend reporting",
            "what": "Add trend reporting.",
            "why": "MDR Art. 88.",
            "documents": [first.pk, second.pk],
            "devices": [device.pk],
            "impact_training": "QA/RA read and understood.",
            "impact_risk": "None.",
            "impact_regulatory": "PSUR content.",
        },
    )
    change_request = ChangeRequest.objects.get()
    assert raised["Location"] == change_request.get_absolute_url()
    page = text_of(client.get(change_request.get_absolute_url()))
    assert "Trend reporting" in page and device.name in page and "PSUR content." in page

    client.force_login(users["approver"])
    refused = client.post(reverse("documents:change_request_approve", args=[change_request.pk]))
    assert "as approved before approving it" in html_of(refused)
    sign_as(
        client,
        users["approver"],
        reverse("documents:change_request_sign", args=[change_request.pk]),
    )
    client.post(reverse("documents:change_request_approve", args=[change_request.pk]))
    change_request.refresh_from_db()
    assert change_request.status == "approved"

    client.force_login(users["engineer"])
    missing = client.post(
        reverse("documents:change_request_open_revisions", args=[change_request.pk]),
        {"documents": [first.pk, second.pk], "reason": ""},
    )
    assert "This field is required." in html_of(missing)
    opened = client.post(
        reverse("documents:change_request_open_revisions", args=[change_request.pk]),
        {"documents": [first.pk, second.pk], "reason": "Trend reporting added"},
    )
    assert opened.status_code == 302
    drafts = Revision.objects.filter(change_request=change_request).order_by("document__number")
    assert [r.document for r in drafts] == [first, second]
    assert all(r.reason_for_change == "CR-001: Trend reporting added" for r in drafts)
    page = text_of(client.get(change_request.get_absolute_url()))
    assert f"{first.number} rev. B" in page and f"{second.number} rev. B" in page
    listed = text_of(client.get(reverse("documents:change_requests"), {"status": "approved"}))
    assert "CR-001" in listed and "Trend reporting" in listed


# --- periodic reviews -------------------------------------------------------------------------


def test_periodic_reviews_are_listed_recorded_signed_and_completed(desk, client, users):
    today = timezone.localdate()
    late = desk.effective_document(title="Supplier control")
    soon = desk.effective_document(title="Calibration")
    later = desk.effective_document(title="Cleaning")
    services.document_update(
        actor=desk.quality, document=late, next_review_due=today - dt.timedelta(days=40)
    )
    services.document_update(
        actor=desk.quality, document=soon, next_review_due=today + dt.timedelta(days=10)
    )
    client.force_login(users["auditor"])
    listing = html_of(client.get(reverse("documents:reviews")))
    overdue = listing.split('id="overdue"')[1].split("</section>")[0]
    due = listing.split('id="due"')[1].split("</section>")[0]
    assert late.number in overdue and soon.number not in overdue
    assert soon.number in due and late.number not in due and later.number not in due

    client.force_login(users["quality_manager"])
    blank = client.post(reverse("documents:review_record", args=[late.pk]), {"notes": ""})
    html = html_of(blank)
    assert html.count("This field is required.") == 2  # outcome and notes
    client.post(
        reverse("documents:review_record", args=[late.pk]),
        {"outcome": "still_valid", "notes": "Checked against ISO 13485 7.4; current."},
    )
    review = PeriodicReview.objects.get()
    assert review.due_date == today - dt.timedelta(days=40)
    refused = client.post(reverse("documents:periodic_review_complete", args=[review.pk]))
    assert "Sign version 1 of the review" in html_of(refused)
    sign_as(
        client,
        users["quality_manager"],
        reverse("documents:periodic_review_sign", args=[review.pk]),
    )
    done = client.post(reverse("documents:periodic_review_complete", args=[review.pk]))
    assert done.status_code == 302
    late.refresh_from_db()
    assert late.next_review_due > today
    page = text_of(client.get(reverse("documents:periodic_review", args=[review.pk])))
    assert "Still valid" in page and "Completed" in page and "Quality Manager Person" in page


# --- map, records, numbering ------------------------------------------------------------------


def test_the_quality_manual_map_shows_coverage_and_gaps(desk, client_for):
    covered = desk.effective_document(
        title="Document control", iso_clauses=["4.2.4"], regulation_refs=["mdr:10(9)(a)"]
    )
    desk.document(title="Draft CAPA", iso_clauses=["8.5.2"])
    client = client_for("auditor")
    html = html_of(client.get(reverse("documents:map")))
    row = html.split('id="clause-4.2.4"')[1].split("</tr>")[0]
    assert covered.number in row and "addressed" in row
    gaps = html.split('id="gaps"')[1].split("</section>")[0]
    assert "8.5.2" in gaps and "4.2.4" not in gaps.replace("#clause-4.2.4", "")
    mdr = html.split('id="mdr-mdr109a"')[1].split("</tr>")[0]
    assert covered.number in mdr
    with_drafts = html_of(client.get(reverse("documents:map"), {"include_in_preparation": "on"}))
    assert "8.5.2" not in with_drafts.split('id="gaps"')[1].split("</section>")[0]


def test_the_records_register_lists_retention_and_disposal(desk, client_for):
    document = desk.effective_document(title="Record control", retention_years=12)
    desk.revise(document)
    old = Revision.objects.get(document=document, label="A")
    client = client_for("auditor")
    text = text_of(client.get(reverse("documents:records"), {"record_type": "documents.revision"}))
    day = timezone.localdate(old.superseded_at)
    disposal = day.replace(year=day.year + 12)
    assert f"{document.number} rev. A" in text
    assert f"{day:%Y-%m-%d} 12 years {disposal:%Y-%m-%d}" in text
    bad = html_of(client.get(reverse("documents:records"), {"disposal_due_before": "soon"}))
    assert "Enter a valid date." in bad


def test_document_control_sets_the_numbering(client_for, users):
    client = client_for("quality_manager")
    url = reverse("documents:numbering")
    assert "SOP-001" in html_of(client.get(url))
    wrong = client.post(
        url,
        {
            "doc_type": "procedure",
            "prefix": "1X",
            "digits": "3",
            "revision_scheme": "numeric",
            "next_number": "7",
        },
    )
    assert "Use 1 to 10 capital letters and digits" in html_of(wrong)
    client.post(
        url,
        {
            "doc_type": "procedure",
            "prefix": "PRO",
            "digits": "2",
            "revision_scheme": "numeric",
            "next_number": "7",
            "reason": "New scheme",
        },
    )
    rule = NumberingRule.objects.get(doc_type="procedure")
    assert (rule.prefix, rule.digits, rule.revision_scheme, rule.next_number) == (
        "PRO",
        2,
        "numeric",
        7,
    )
    client.post(
        reverse("documents:create"),
        {
            "doc_type": "procedure",
            "title": "Numbered",
            "owner": users["quality_manager"].pk,
            "review_interval_months": "24",
            "reason_for_change": "First issue",
        },
    )
    document = Document.objects.get()
    assert document.number == "PRO-07"
    assert Revision.objects.get(document=document).label == "1.0"
    assert client_for("engineer").get(url).status_code == 403


def test_the_auditor_reads_every_page_and_changes_nothing(desk, client_for, users):
    document = desk.effective_document()
    client = client_for("auditor")
    for name in (
        "documents:list",
        "documents:change_requests",
        "documents:reviews",
        "documents:map",
        "documents:records",
    ):
        assert client.get(reverse(name)).status_code == 200, name
    assert client.get(reverse("documents:create")).status_code == 403
    assert (
        client.post(
            reverse("documents:revise", args=[document.pk]), {"reason_for_change": "x"}
        ).status_code
        == 403
    )
    assert Revision.objects.filter(document=document).count() == 1
