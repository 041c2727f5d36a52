"""Document control over /api/v1/: the life cycle through the services, e-signatures before
approval, search and filters, strict bodies with field-named errors, controlled copies for the
right roles, change requests, periodic reviews, the records register and the manual map."""

import datetime as dt
import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from samsvar.core.models import AuditEvent, Signature
from samsvar.documents.models import ChangeRequest, Document, Revision
from samsvar.regulatory import qms
from tests.api.conftest import field_errors
from tests.conftest import PASSWORD


@pytest.fixture
def api_as(users):
    def client_for(role):
        client = APIClient()
        client.force_authenticate(users[role])
        return client

    return client_for


@pytest.fixture
def qa(api_as):
    return api_as("quality_manager")


def pdf_bytes(text="Fjordmed SOP"):
    from weasyprint import HTML

    return HTML(string=f"<p>{text}</p>").write_pdf()


def new_document(client, owner, **fields):
    body = {
        "doc_type": "procedure",
        "title": "Complaint handling",
        "owner": owner.pk,
        "reason_for_change": "First issue",
        "content_md": "# Purpose\n\nHow complaints are received and assessed.",
        **fields,
    }
    response = client.post("/api/v1/documents/", body, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def sign(client, revision_id, meaning="approved"):
    return client.post(
        f"/api/v1/document-revisions/{revision_id}/sign/",
        {"meaning": meaning, "password": PASSWORD},
        format="json",
    )


def step(client, revision_id, name, **body):
    return client.post(f"/api/v1/document-revisions/{revision_id}/{name}/", body, format="json")


def test_a_document_goes_from_draft_to_effective_only_with_the_approvers_signature(
    qa, api_as, quality, approver
):
    document = new_document(qa, quality, approvers=[approver.pk], iso_clauses=["8.2.2"])
    assert document["number"] == "SOP-001" and document["status"] == "draft"
    draft = document["working_revision"]
    assert draft["label"] == "A" and draft["status"] == "draft"
    assert document["current_revision"] is None

    edited = qa.patch(
        f"/api/v1/document-revisions/{draft['id']}/",
        {"content_md": "# Purpose\n\nComplaints are assessed for reporting to DMP."},
        format="json",
    )
    assert edited.status_code == 200 and "DMP" in edited.json()["content_md"]
    assert step(qa, draft["id"], "submit").json()["status"] == "in_review"

    refused = step(qa, draft["id"], "approve")
    assert approver.full_name in field_errors(refused)["non_field_errors"][0]
    assert Revision.objects.get(pk=draft["id"]).status == "in_review"

    pending = qa.get(f"/api/v1/document-revisions/{draft['id']}/").json()
    assert pending["awaiting_approval_from"] == [approver.full_name]
    signature = sign(api_as("approver"), draft["id"])
    assert signature.status_code == 201, signature.json()
    assert signature.json()["signer_full_name"] == approver.full_name

    approved = step(api_as("approver"), draft["id"], "approve")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert [s["meaning"] for s in approved.json()["signatures"]] == ["approved"]
    effective = step(qa, draft["id"], "make-effective")
    assert effective.status_code == 200 and effective.json()["status"] == "effective"

    shown = qa.get(f"/api/v1/documents/{document['id']}/").json()
    assert shown["status"] == "effective"
    assert shown["current_revision"]["id"] == draft["id"]
    assert shown["working_revision"] is None
    assert shown["next_review_due"] is not None

    versions = qa.get(f"/api/v1/document-revisions/{draft['id']}/versions/").json()
    assert versions["count"] == 1
    assert versions["results"][0]["content"]["fields"]["document_number"] == "SOP-001"
    history = qa.get(f"/api/v1/document-revisions/{draft['id']}/history/").json()
    assert {"signature_applied", "update", "create"} <= {e["action"] for e in history["results"]}
    document_history = qa.get(f"/api/v1/documents/{document['id']}/history/").json()
    assert document_history["count"] >= 2


def test_the_steps_refuse_what_the_life_cycle_does_not_allow(qa, desk):
    document = desk.effective_document()
    revision = document.current_revision
    edit = qa.patch(
        f"/api/v1/document-revisions/{revision.pk}/", {"content_md": "Changed"}, format="json"
    )
    assert "non_field_errors" in field_errors(edit)
    assert "no longer be edited" in edit.json()["non_field_errors"][0]
    assert Revision.objects.get(pk=revision.pk).content_md == revision.content_md
    assert "reason" in field_errors(step(qa, revision.pk, "discard"))
    opened = qa.post(f"/api/v1/documents/{document.pk}/revisions/", {}, format="json")
    assert "reason_for_change" in field_errors(opened)
    second = qa.post(
        f"/api/v1/documents/{document.pk}/revisions/",
        {"reason_for_change": "Vigilance timelines"},
        format="json",
    )
    assert second.status_code == 201 and second.json()["label"] == "B"
    assert second.json()["content_md"] == revision.content_md
    again = qa.post(
        f"/api/v1/documents/{document.pk}/revisions/",
        {"reason_for_change": "Another"},
        format="json",
    )
    assert "already has revision B in progress" in field_errors(again)["non_field_errors"][0]
    past = qa.patch(
        f"/api/v1/document-revisions/{second.json()['id']}/",
        {"effective_date": "2001-01-01"},
        format="json",
    )
    assert "effective_date" in field_errors(past)


def test_bodies_are_strict_and_errors_name_the_field(qa, quality, engineer):
    before = Document.objects.count()
    unknown = qa.post(
        "/api/v1/documents/",
        {
            "doc_type": "procedure",
            "title": "X",
            "owner": quality.pk,
            "reason_for_change": "First issue",
            "colour": "red",
            "number": "SOP-999",
        },
        format="json",
    )
    errors = field_errors(unknown)
    assert errors["colour"] == ["Unknown field."]
    assert errors["number"] == ["This field is read-only."]
    missing = qa.post(
        "/api/v1/documents/", {"doc_type": "procedure", "owner": quality.pk}, format="json"
    )
    assert {"title", "reason_for_change"} <= set(field_errors(missing))
    clause = qa.post(
        "/api/v1/documents/",
        {
            "doc_type": "procedure",
            "title": "X",
            "owner": quality.pk,
            "reason_for_change": "First issue",
            "iso_clauses": ["4.2.9"],
        },
        format="json",
    )
    assert "4.2.9" in field_errors(clause)["iso_clauses"][0]
    external = qa.post(
        "/api/v1/documents/",
        {"doc_type": "external", "title": "MDR", "owner": quality.pk, "reason_for_change": "In"},
        format="json",
    )
    assert "publisher" in field_errors(external)
    auditor_owner = qa.post(
        "/api/v1/documents/",
        {
            "doc_type": "procedure",
            "title": "X",
            "owner": engineer.pk + 1000,
            "reason_for_change": "First issue",
        },
        format="json",
    )
    assert "owner" in field_errors(auditor_owner)
    assert Document.objects.count() == before


def test_an_attachment_is_checked_by_content_and_downloaded_unchanged(qa, quality, approver):
    fake = qa.post(
        "/api/v1/documents/",
        {
            "doc_type": "form",
            "title": "Complaint form",
            "owner": quality.pk,
            "reason_for_change": "First issue",
            "attachment": SimpleUploadedFile("form.pdf", b"MZ\x90\x00 not a pdf"),
        },
        format="multipart",
    )
    assert "attachment" in field_errors(fake)
    assert not Document.objects.exists()
    data = pdf_bytes("Complaint form FRM-001")
    created = qa.post(
        "/api/v1/documents/",
        {
            "doc_type": "form",
            "title": "Complaint form",
            "owner": quality.pk,
            "reason_for_change": "First issue",
            "attachment": SimpleUploadedFile("form.pdf", data),
        },
        format="multipart",
    )
    assert created.status_code == 201, created.json()
    revision = created.json()["working_revision"]["id"]
    shown = qa.get(f"/api/v1/document-revisions/{revision}/").json()
    assert shown["attachment_sha256"] == hashlib.sha256(data).hexdigest()
    assert shown["attachment_content_type"] == "application/pdf"
    original = qa.get(f"/api/v1/document-revisions/{revision}/copy/?original=true")
    assert original.status_code == 200
    assert b"".join(original.streaming_content) == data
    copy = qa.get(f"/api/v1/document-revisions/{revision}/copy/")
    assert copy["Content-Type"] == "application/pdf"
    stamped = copy.content
    assert stamped.startswith(b"%PDF") and stamped != data


def test_earlier_revisions_are_downloaded_by_the_archive_roles_only(api_as, desk):
    document = desk.effective_document(title="Vigilance and FSCA reporting")
    first = document.current_revision
    desk.revise(document, reason="EUDAMED reporting added")
    first.refresh_from_db()
    assert first.status == "superseded"
    document.refresh_from_db()
    current = document.current_revision

    engineer = api_as("engineer")
    response = engineer.get(f"/api/v1/document-revisions/{current.pk}/copy/")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert "SOP-001-rev-B.pdf" in response["Content-Disposition"]
    refused = engineer.get(f"/api/v1/document-revisions/{first.pk}/copy/")
    assert refused.status_code == 403
    assert "archive roles" in refused.json()["detail"]
    assert engineer.get(f"/api/v1/document-revisions/{first.pk}/").status_code == 200
    archived = api_as("auditor").get(f"/api/v1/document-revisions/{first.pk}/copy/")
    assert archived.status_code == 200
    no_file = api_as("auditor").get(f"/api/v1/document-revisions/{first.pk}/copy/?original=1")
    assert no_file.status_code == 404
    unknown = api_as("auditor").get(f"/api/v1/document-revisions/{first.pk}/copy/?copies=2")
    assert field_errors(unknown) == {"copies": ["Unknown filter."]}


def test_search_and_filters_find_the_right_documents(qa, desk, users):
    desk.effective_document(
        title="Håndtering av klager",
        content_md="Klager vurderes for rapportering til DMP.",
        iso_clauses=["8.2.2"],
    )
    desk.effective_document(title="Document control", iso_clauses=["4.2.4"])
    desk.document(doc_type="work_instruction", title="Cleaning the pump", owner=users["engineer"])

    def numbers(query):
        response = qa.get(f"/api/v1/documents/{query}")
        assert response.status_code == 200, response.json()
        return [row["number"] for row in response.json()["results"]]

    assert numbers("") == ["SOP-001", "SOP-002", "WI-001"]
    assert numbers("?q=dmp") == ["SOP-001"]
    assert numbers("?q=klage") == ["SOP-001"]
    assert numbers("?q=sop-002") == ["SOP-002"]
    assert numbers("?q=nothing-like-this") == []
    assert numbers("?type=work_instruction") == ["WI-001"]
    assert numbers("?status=effective") == ["SOP-001", "SOP-002"]
    assert numbers("?status=draft") == ["WI-001"]
    assert numbers(f"?owner={users['engineer'].pk}") == ["WI-001"]
    assert numbers("?clause=4.2") == ["SOP-002"]
    assert numbers("?clause=8&q=klager") == ["SOP-001"]
    ranked = qa.get("/api/v1/documents/?q=klager").json()["results"][0]
    assert ranked["rank"] is not None and ranked["rank"] > 0
    assert "type" in field_errors(qa.get("/api/v1/documents/?type=novel"))
    assert "clause" in field_errors(qa.get("/api/v1/documents/?clause=four"))
    assert "colour" in field_errors(qa.get("/api/v1/documents/?colour=red"))


def test_the_list_takes_the_same_number_of_queries_however_long_it_is(qa, desk):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            assert qa.get(url).status_code == 200
        return len(captured)

    for _ in range(2):
        desk.effective_document()
    small = queries("/api/v1/documents/"), queries("/api/v1/documents/?q=procedure")
    for _ in range(4):
        desk.effective_document()
    desk.document()
    assert (queries("/api/v1/documents/"), queries("/api/v1/documents/?q=procedure")) == small


def test_roles_without_the_permission_are_refused_and_nothing_is_saved(api_as, desk):
    document = desk.document(approvers=[desk.approver])
    revision = desk.draft(document)
    auditor = api_as("auditor")
    assert auditor.post("/api/v1/documents/", {"title": "X"}, format="json").status_code == 403
    assert (
        auditor.patch(
            f"/api/v1/documents/{document.pk}/", {"title": "X"}, format="json"
        ).status_code
        == 403
    )
    assert step(auditor, revision.pk, "submit").status_code == 403
    engineer = api_as("engineer")
    desk.approve(revision)
    trail = AuditEvent.objects.count()
    assert step(engineer, revision.pk, "make-effective").status_code == 403
    assert (
        engineer.post(
            f"/api/v1/documents/{document.pk}/obsolete/", {"reason": "x"}, format="json"
        ).status_code
        == 403
    )
    assert Revision.objects.get(pk=revision.pk).status == "approved"
    assert AuditEvent.objects.count() == trail
    assert Document.objects.get(pk=document.pk).title == document.title
    assert api_as("engineer").get("/api/v1/documents/424242/").status_code == 404
    assert api_as("engineer").get("/api/v1/document-revisions/424242/copy/").status_code == 404


def test_review_comments_hold_up_approval_until_resolved(api_as, desk):
    document = desk.document(reviewers=[desk.users["engineer"]], approvers=[desk.approver])
    revision = desk.draft(document)
    engineer = api_as("engineer")
    comment = engineer.post(
        f"/api/v1/document-revisions/{revision.pk}/comments/",
        {"text": "Name the form used for complaint intake."},
        format="json",
    )
    assert comment.status_code == 201 and comment.json()["resolved"] is False
    desk.sign(revision)
    approver = api_as("approver")
    step(api_as("quality_manager"), revision.pk, "submit")
    refused = step(approver, revision.pk, "approve")
    assert "not resolved" in field_errors(refused)["non_field_errors"][0]
    listed = approver.get(f"/api/v1/document-revisions/{revision.pk}/comments/").json()
    assert [c["text"] for c in listed["results"]] == ["Name the form used for complaint intake."]
    resolved = engineer.post(
        f"/api/v1/document-comments/{comment.json()['id']}/resolve/",
        {"resolution": "FRM-003 named in step 1."},
        format="json",
    )
    assert resolved.status_code == 200 and resolved.json()["resolved"] is True
    assert resolved.json()["resolved_by_name"] == desk.users["engineer"].full_name
    assert step(approver, revision.pk, "approve").json()["status"] == "approved"


def test_a_change_request_opens_revisions_of_several_documents(api_as, desk, device):
    complaints = desk.effective_document(title="Complaint handling")
    vigilance = desk.effective_document(title="Vigilance reporting")
    engineer = api_as("engineer")
    created = engineer.post(
        "/api/v1/change-requests/",
        {
            "title": "Trend reporting (MDR Art. 88)",
            "what": "Add trend reporting to complaint handling and vigilance.",
            "why": "MDR Art. 88 requires trend reports.",
            "documents": [complaints.pk, vigilance.pk],
            "devices": [device.pk],
            "impact_training": "Read and understood by QA/RA.",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    change = created.json()
    assert change["number"] == "CR-001" and change["status"] == "draft"
    assert change["document_numbers"] == ["SOP-001", "SOP-002"]
    url = f"/api/v1/change-requests/{change['id']}/"
    early = engineer.post(
        f"{url}open-revisions/", {"documents": [complaints.pk], "reason": "x"}, format="json"
    )
    assert "is not approved" in field_errors(early)["change_request"][0]
    approver = api_as("approver")
    assert "non_field_errors" in field_errors(approver.post(f"{url}approve/", {}, format="json"))
    signed = approver.post(
        f"{url}sign/", {"meaning": "approved", "password": PASSWORD}, format="json"
    )
    assert signed.status_code == 201
    assert approver.post(f"{url}approve/", {}, format="json").json()["status"] == "approved"
    opened = engineer.post(
        f"{url}open-revisions/",
        {"documents": [complaints.pk, vigilance.pk], "reason": "Trend reporting added"},
        format="json",
    )
    assert opened.status_code == 201, opened.json()
    assert [(r["document_number"], r["label"]) for r in opened.json()] == [
        ("SOP-001", "B"),
        ("SOP-002", "B"),
    ]
    assert all(r["change_request_number"] == "CR-001" for r in opened.json())
    history = engineer.get(f"/api/v1/documents/{complaints.pk}/revisions/").json()["results"]
    assert [(r["label"], r["change_request_number"]) for r in history] == [
        ("B", "CR-001"),
        ("A", ""),
    ]
    shown = engineer.get(url).json()
    assert {r["document_number"] for r in shown["revisions"]} == {"SOP-001", "SOP-002"}
    assert engineer.get("/api/v1/change-requests/?status=approved").json()["count"] == 1
    assert "status" in field_errors(engineer.get("/api/v1/change-requests/?status=maybe"))
    locked = engineer.patch(url, {"why": "Changed mind."}, format="json")
    assert "non_field_errors" in field_errors(locked)
    assert ChangeRequest.objects.get(pk=change["id"]).why == "MDR Art. 88 requires trend reports."


def test_a_periodic_review_is_recorded_signed_and_completed(api_as, desk):
    document = desk.effective_document()
    overdue_day = timezone.localdate() - dt.timedelta(days=10)
    from samsvar.documents.services import document_update

    document_update(actor=desk.quality, document=document, next_review_due=overdue_day)
    qa = api_as("quality_manager")
    due = qa.get("/api/v1/periodic-reviews/due/").json()["results"]
    assert [(d["number"], d["overdue"], d["review_recorded"]) for d in due] == [
        ("SOP-001", True, False)
    ]
    missing = qa.post(f"/api/v1/documents/{document.pk}/periodic-reviews/", {}, format="json")
    assert {"outcome", "notes"} <= set(field_errors(missing))
    recorded = qa.post(
        f"/api/v1/documents/{document.pk}/periodic-reviews/",
        {"outcome": "still_valid", "notes": "Checked against MDR and EN ISO 13485."},
        format="json",
    )
    assert recorded.status_code == 201, recorded.json()
    review = recorded.json()
    assert review["due_date"] == overdue_day.isoformat() and review["status"] == "recorded"
    url = f"/api/v1/periodic-reviews/{review['id']}/"
    assert "non_field_errors" in field_errors(qa.post(f"{url}complete/", {}, format="json"))
    assert (
        qa.post(
            f"{url}sign/", {"meaning": "reviewed", "password": PASSWORD}, format="json"
        ).status_code
        == 201
    )
    completed = qa.post(f"{url}complete/", {}, format="json")
    assert completed.status_code == 200 and completed.json()["status"] == "completed"
    document.refresh_from_db()
    assert document.next_review_due > timezone.localdate()
    assert qa.get("/api/v1/periodic-reviews/due/").json()["count"] == 0
    listed = qa.get(f"/api/v1/periodic-reviews/?document={document.pk}").json()
    assert [r["id"] for r in listed["results"]] == [review["id"]]
    assert "document" in field_errors(qa.get("/api/v1/periodic-reviews/?document=424242"))


def test_the_records_register_lists_superseded_revisions_with_their_disposal_date(qa, desk, device):
    document = desk.effective_document()
    first = document.current_revision
    desk.revise(document)
    register = qa.get("/api/v1/records/?record_type=documents.revision").json()
    entries = register["results"]
    assert [e["object_id"] for e in entries] == [str(first.pk)]
    entry = entries[0]
    assert entry["retention_years"] == 10 and entry["protected"] is True
    recorded = dt.date.fromisoformat(entry["record_date"])
    assert dt.date.fromisoformat(entry["disposal_due"]) == recorded.replace(year=recorded.year + 10)
    desk.sign(device)  # a signed version of any record is a record too
    everything = qa.get("/api/v1/records/").json()["results"]
    assert {e["record_type"] for e in everything} == {"documents.revision", "devices.device"}
    devices = qa.get("/api/v1/records/?record_type=devices.device").json()["results"]
    assert [(e["object_id"], e["version"]) for e in devices] == [(str(device.pk), 1)]
    assert "record_type" in field_errors(qa.get("/api/v1/records/?record_type=DROP TABLE"))
    assert "disposal_due_before" in field_errors(
        qa.get("/api/v1/records/?disposal_due_before=soon")
    )


def test_the_quality_manual_map_shows_coverage_and_gaps(qa, desk):
    desk.effective_document(title="Document control", iso_clauses=["4.2.4"])
    desk.effective_document(
        title="Vigilance", iso_clauses=["8.2.3"], regulation_refs=["mdr:10(9)(k)"]
    )
    desk.document(title="Records", iso_clauses=["4.2.5"])
    report = qa.get("/api/v1/quality-manual-map/").json()
    rows = {row["key"]: row for row in report["clauses"]}
    assert rows["4.2.4"]["covered"] and rows["4.2.4"]["direct"] == ["SOP-001"]
    assert rows["4.2.5"]["status"] == "gap" and "4.2.5" in report["gaps"]
    assert rows["4.2.4"]["title"] == "Control of documents"
    mdr = {row["key"]: row for row in report["mdr_items"]}
    assert mdr["mdr:10(9)(k)"]["documents"] == ["SOP-002"]
    assert "mdr:10(9)(a)" in report["mdr_gaps"]
    assert report["mdr_covered_count"] == 1
    wider = qa.get("/api/v1/quality-manual-map/?include_in_preparation=true").json()
    assert "4.2.5" not in wider["gaps"]
    desk.quality.language = "nb"
    norsk = APIClient()
    norsk.force_authenticate(desk.quality)
    rows = {row["key"]: row for row in norsk.get("/api/v1/quality-manual-map/").json()["clauses"]}
    assert rows["4.2.4"]["title"] == qms.clause("4.2.4").title_nb != "Control of documents"


def test_signing_needs_the_password_and_a_meaning_the_role_holds(api_as, desk):
    document = desk.document(approvers=[desk.approver])
    revision = desk.draft(document)
    engineer = api_as("engineer")
    wrong = engineer.post(
        f"/api/v1/document-revisions/{revision.pk}/sign/",
        {"meaning": "authored", "password": "not it"},
        format="json",
    )
    assert "password" in field_errors(wrong)
    assert sign(engineer, revision.pk, "approved").status_code == 403
    assert sign(engineer, revision.pk, "authored").status_code == 201
    assert Signature.objects.filter(signer__username="engineer").count() == 1


def test_metadata_changes_and_withdrawal_are_audited_with_their_reason(qa, desk, engineer):
    document = desk.effective_document()
    url = f"/api/v1/documents/{document.pk}/"
    changed = qa.patch(
        url,
        {
            "title": "Complaint handling and trending",
            "reviewers": [engineer.pk],
            "reason": "Scope now includes trending",
        },
        format="json",
    )
    assert changed.status_code == 200, changed.json()
    assert changed.json()["title"] == "Complaint handling and trending"
    assert changed.json()["reviewers"] == [engineer.pk]
    events = AuditEvent.objects.filter(
        object_type="documents.document", object_id=str(document.pk)
    ).order_by("seq")
    titled = [e for e in events if "title" in e.changes]
    assert titled[-1].reason == "Scope now includes trending"
    assert titled[-1].changes["title"] == [document.title, "Complaint handling and trending"]

    withdrawn = qa.post(f"{url}obsolete/", {"reason": "Merged into SOP-007"}, format="json")
    assert withdrawn.status_code == 200
    assert withdrawn.json()["status"] == "obsolete"
    assert withdrawn.json()["current_revision"] is None
    assert Revision.objects.get(pk=document.current_revision_id).status == "obsolete"
    refused = qa.patch(url, {"title": "Again"}, format="json")
    assert "obsolete" in field_errors(refused)["non_field_errors"][0]
