"""The documents demo: Fjordmed's QMS issued through the services with real signatures, the
quality manual map showing realistic coverage with its honest gaps, periodic reviews that give
the dashboard work, and a loader that changes nothing the second time."""

import pytest
from django.utils import timezone

from samsvar.core.models import AuditEvent, RecordVersion, Signature
from samsvar.core.selectors import current_signatures
from samsvar.documents import demo, selectors
from samsvar.documents.demo_content import CHANGE_REQUESTS, DOCUMENTS
from samsvar.documents.models import ChangeRequest, Document, PeriodicReview, Revision
from samsvar.documents.search import document_search
from tests.conftest import PASSWORD


@pytest.fixture
def people(db):
    from samsvar.accounts.demo import load_organisation, load_users
    from samsvar.devices.demo import load_classifications, load_devices

    people = load_users(PASSWORD)
    load_organisation(people)
    load_devices(people, PASSWORD)
    load_classifications(people, PASSWORD)
    return people


@pytest.fixture
def loaded(people):
    assert demo.load(people, PASSWORD) is True
    return people


def test_the_qms_has_a_manual_twenty_procedures_forms_and_external_documents(loaded):
    by_type = {}
    for doc_type in Document.objects.values_list("doc_type", flat=True):
        by_type[doc_type] = by_type.get(doc_type, 0) + 1
    assert by_type["quality_manual"] == 1
    assert by_type["procedure"] >= 20
    assert by_type["form"] >= 5
    assert by_type["external"] >= 3
    assert by_type["work_instruction"] >= 1
    numbers = list(Document.objects.order_by("pk").values_list("number", flat=True))
    assert numbers == [spec.number for spec in DOCUMENTS]
    assert Document.objects.get(number="SOP-001").title == "Document control"
    assert Document.objects.get(number="SOP-002").title == "Control of records"
    external = Document.objects.get(number="EXT-002")
    assert (external.publisher, external.edition) == (
        "CEN / Standard Norge",
        "EN ISO 14971:2019 + A11:2021",
    )


def test_every_effective_document_has_exactly_one_effective_revision_signed_by_its_approvers(
    loaded,
):
    for document in Document.objects.prefetch_related("approvers"):
        effective = Revision.objects.filter(document=document, status="effective")
        if document.status == "effective":
            assert list(effective) == [document.current_revision], document.number
            signed = {
                s.signer_id
                for s in current_signatures(obj=document.current_revision).filter(
                    meaning="approved"
                )
            }
            assert signed == {p.pk for p in document.approvers.all()}, document.number
        else:
            assert not effective.exists(), document.number
    assert Document.objects.filter(status="effective").count() == len(DOCUMENTS) - 1
    assert Document.objects.get(number="SOP-021").status == "draft"


def test_signatures_bind_the_frozen_content(loaded):
    signatures = Signature.objects.select_related("record_version")
    assert signatures.count() > len(DOCUMENTS)
    for signature in signatures:
        assert signature.content_sha256 == signature.record_version.content_sha256
    revision = Document.objects.get(number="QM-001").current_revision
    frozen = RecordVersion.objects.get(
        content_type__model="revision", object_id=str(revision.pk), version=revision.version
    )
    assert frozen.content_sha256 == revision.content_sha256()


def test_revisions_carry_their_history_and_change_requests(loaded):
    manual = Document.objects.get(number="QM-001")
    history = list(selectors.document_change_history(user=loaded["auditor"], document=manual))
    assert [(r.label, r.status) for r in history] == [
        ("C", "effective"),
        ("B", "superseded"),
        ("A", "superseded"),
    ]
    assert all(r.reason_for_change for r in history)
    assert "IVDR" in history[0].content_md and "IVDR" not in history[1].content_md

    eudamed, software, labelling = (
        ChangeRequest.objects.get(title=spec.title) for spec in CHANGE_REQUESTS
    )
    assert eudamed.status == "implemented"
    complaints = Document.objects.get(number="SOP-007")
    assert complaints.current_revision.label == "C"
    assert complaints.current_revision.change_request == eudamed
    assert "## 8 Vigilance assessment" in complaints.current_revision.content_md
    assert sorted(eudamed.revisions.values_list("document__number", flat=True)) == [
        "FRM-003",
        "SOP-007",
        "SOP-008",
    ]
    assert software.status == "approved"
    pending = Revision.objects.get(document__number="SOP-019", label="B")
    assert pending.status == "in_review" and pending.change_request == software
    waiting = selectors.revisions_awaiting_approval(user=loaded["approver"])
    assert pending in waiting
    assert labelling.status == "draft" and not labelling.revisions.exists()


def test_the_quality_manual_map_shows_realistic_coverage_and_honest_gaps(loaded):
    report = selectors.quality_manual_map(user=loaded["auditor"])
    # The gaps the demo content describes: non-applicable clauses, no calibration procedure
    # yet (7.6), and the analysis of data (8.4) only in a draft.
    assert set(report.gaps) == {"7.5", "7.5.3", "7.5.5", "7.5.7", "7.5.9.2", "7.6", "8.4"}
    assert report.covered_count >= len(report.clauses) - 7
    assert report.row("4.2.4").documents == ("SOP-001",)
    assert "SOP-008" in report.row("8.2.3").documents
    assert set(report.mdr_gaps) == {"mdr:10(9)(b)", "mdr:10(9)(m)"}
    assert report.row("mdr:10(9)(k)").documents == ("SOP-008",)
    wider = selectors.quality_manual_map(user=loaded["auditor"], include_in_preparation=True)
    assert "8.4" not in wider.gaps and "mdr:10(9)(m)" not in wider.mdr_gaps


def test_periodic_reviews_give_the_dashboard_work(loaded):
    today = timezone.localdate()
    overdue = {d.number for d in selectors.reviews_overdue(today)}
    assert overdue == {"SOP-005", "SOP-012", "SOP-013", "FRM-005"}
    due = list(selectors.reviews_due(today, 30))
    assert [d.number for d in due] == ["SOP-003"]
    waiting = next(d for d in selectors.reviews_overdue(today) if d.number == "SOP-013")
    assert waiting.review_recorded
    completed = PeriodicReview.objects.get(document__number="SOP-016")
    assert completed.status == "completed" and completed.outcome == "still_valid"
    revise = PeriodicReview.objects.get(document__number="SOP-014")
    assert revise.status == "completed" and revise.new_revision.status == "draft"
    assert "Norwegian" in revise.new_revision.content_md
    assert selectors.working_revision(revise.document) == revise.new_revision


def test_procedures_read_as_procedures(loaded):
    for document in Document.objects.filter(doc_type="procedure"):
        revision = document.current_revision or selectors.working_revision(document)
        text = revision.content_md
        for heading in ("## 1 Purpose", "## 2 Scope", "## 3 Responsibilities", "## 6 References"):
            assert heading in text, (document.number, heading)
        assert len(text.split()) >= 150, document.number
    found = [d.number for d in document_search(user=loaded["auditor"], q="serious incident")]
    assert found[0] == "SOP-008" and {"SOP-007", "SOP-008"} <= set(found)


def test_the_records_register_holds_the_superseded_revisions_and_signed_reviews(loaded):
    entries = selectors.records_register(user=loaded["auditor"])
    types = {entry.record_type for entry in entries}
    assert {"documents.revision", "documents.periodicreview", "documents.changerequest"} <= types
    superseded = [e for e in entries if e.record_type == "documents.revision"]
    assert len(superseded) == Revision.objects.filter(status="superseded").count()


def test_loading_twice_changes_nothing(loaded):
    events = AuditEvent.objects.count()
    documents = Document.objects.count()
    assert demo.load(loaded, PASSWORD) is False
    assert AuditEvent.objects.count() == events
    assert Document.objects.count() == documents


def test_the_documents_load_without_the_device_register(db):
    from samsvar.accounts.demo import load_users

    people = load_users(PASSWORD)
    assert demo.load(people, PASSWORD) is True
    eudamed = ChangeRequest.objects.get(title=CHANGE_REQUESTS[0].title)
    assert eudamed.status == "implemented" and not eudamed.devices.exists()
