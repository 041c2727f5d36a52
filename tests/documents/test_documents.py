"""The document register: what describes a document, its validation, and the list selectors."""

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from samsvar.core.models import AuditEvent
from samsvar.documents import selectors, services
from samsvar.documents.models import Document


def test_clauses_and_references_are_checked_and_normalised(desk):
    document = desk.document(
        iso_clauses="7.3.2, ISO 13485:2016 4.2.4; 4.2.4",
        regulation_refs=["MDR:10(9)(a)", "mdr: 10(8)", "ivdr:10(8)(b)", "mdr:annex-ix"],
    )
    assert document.iso_clauses == ["4.2.4", "7.3.2"]
    assert document.regulation_refs == [
        "ivdr:10(8)(b)", "mdr:10(8)", "mdr:10(9)(a)", "mdr:annex-ix",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"iso_clauses": ["4.2.9"]}, "iso_clauses", "4.2.9"),
        ({"iso_clauses": ["quality"]}, "iso_clauses", "quality"),
        ({"regulation_refs": ["mdr:10(9)(z)"]}, "regulation_refs", "mdr:10(9)(z)"),
        ({"regulation_refs": ["article 10"]}, "regulation_refs", "article10"),
        ({"regulation_refs": ["<script>"]}, "regulation_refs", "script"),
        ({"title": ""}, "title", "required"),
        ({"title": "x" * 301}, "title", "300"),
        ({"doc_type": "memo"}, "doc_type", "valid"),
        ({"review_interval_months": 0}, "review_interval_months", "1 to 120"),
        ({"next_review_due": "2026-13-01"}, "next_review_due", "YYYY-MM-DD"),
        ({"owner": 999999}, "owner", "active person"),
        ({"publisher": "CEN"}, "publisher", "Only external"),
        ({"doc_type": "external"}, "publisher", "publishes"),
        ({"effective_date": "2001-01-01"}, "effective_date", "past"),
        ({"content_md": "x" * 500_001}, "content_md", "500000"),
        ({"shelf": "B2"}, "shelf", "Unknown"),
    ],
)
def test_bad_document_input_is_named_and_nothing_is_saved(desk, fields, field, message):
    with pytest.raises(ValidationError) as error:
        desk.document(**fields)
    assert field in error.value.message_dict
    assert message in " ".join(error.value.message_dict[field])
    assert not Document.objects.exists()


def test_approvers_must_be_allowed_to_approve_and_owners_to_own(desk, users):
    with pytest.raises(ValidationError, match="Engineer Person's role") as error:
        desk.document(approvers=[users["engineer"]])
    assert "approvers" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        desk.document(owner=users["auditor"])
    assert "owner" in error.value.message_dict
    document = desk.document(owner=users["approver"], reviewers=[users["engineer"]])
    assert list(document.reviewers.all()) == [users["engineer"]]


def test_changing_approvers_is_audited(desk, make_user):
    document = desk.document()
    other = make_user(role="approver", full_name="Ingrid Solberg")
    services.document_update(
        actor=desk.quality, document=document, approvers=[other], reason="Ingrid takes over"
    )
    event = AuditEvent.objects.filter(
        object_type="documents.document", object_id=str(document.pk)
    ).order_by("-seq")[0]
    assert event.changes == {"approvers": [["Approver Person"], ["Ingrid Solberg"]]}
    assert event.reason == "Ingrid takes over"


def test_a_title_change_reaches_the_search_index(desk):
    from samsvar.documents.search import document_search

    document = desk.document(title="Supplier control")
    services.document_update(actor=desk.quality, document=document, title="Purchasing control")
    assert [d.number for d in document_search(user=desk.quality, q="purchasing")] == ["SOP-001"]


def test_an_obsolete_document_keeps_its_data_except_retention(desk):
    document = desk.effective_document()
    services.document_obsolete(actor=desk.quality, document=document, reason="Withdrawn")
    with pytest.raises(ValidationError, match="only its retention"):
        services.document_update(actor=desk.quality, document=document, title="New")
    document = services.document_update(actor=desk.quality, document=document, retention_years=20)
    assert document.retention_years == 20


def test_the_list_takes_a_constant_number_of_queries(desk, django_assert_num_queries):
    def listing():
        return [
            (d.number, d.owner.username, d.current_revision.label if d.current_revision else "")
            for d in selectors.document_list(user=desk.quality)
        ]

    desk.effective_document()
    with django_assert_num_queries(1):
        assert len(listing()) == 1
    for _ in range(4):
        desk.effective_document()
    with django_assert_num_queries(1):
        assert len(listing()) == 5


def test_the_index_rows_take_two_queries(desk, django_assert_max_num_queries):
    for _ in range(3):
        desk.effective_document()
    desk.document()
    with django_assert_max_num_queries(2):
        rows = selectors.document_index(user=desk.quality)
    assert [(r[0], r[3], r[4]) for r in rows] == [
        ("SOP-001", "A", "Effective"),
        ("SOP-002", "A", "Effective"),
        ("SOP-003", "A", "Effective"),
        ("SOP-004", "A", "Draft"),
    ]


def test_access_by_id_and_number_is_not_found_for_nonsense(desk, users):
    document = desk.document()
    assert (
        selectors.access_document_by_id(user=users["auditor"], document_id=document.pk) == document
    )
    assert selectors.access_document_by_number(user=users["auditor"], number="sop-001") == document
    for value in ("x", None, 99999):
        with pytest.raises(Http404):
            selectors.access_document_by_id(user=users["auditor"], document_id=value)
    users["auditor"].is_active = False
    with pytest.raises(Http404):
        selectors.access_document_by_id(user=users["auditor"], document_id=document.pk)


def test_revisions_awaiting_an_approvers_signature(desk, make_user):
    second = make_user(role="approver", full_name="Ingrid Solberg")
    document = desk.document(approvers=[desk.approver, second])
    revision = services.revision_submit(actor=desk.quality, revision=desk.draft(document))
    assert list(selectors.revisions_awaiting_approval(user=desk.approver)) == [revision]
    desk.sign(revision)
    assert list(selectors.revisions_awaiting_approval(user=desk.approver)) == []
    assert list(selectors.revisions_awaiting_approval(user=second)) == [revision]
    assert list(selectors.revisions_awaiting_approval(user=desk.users["engineer"])) == []


def test_the_working_revision_is_the_one_in_progress(desk):
    document = desk.effective_document()
    assert selectors.working_revision(document) is None
    draft = services.revision_create(actor=desk.quality, document=document, reason_for_change="B")
    assert selectors.working_revision(document) == draft
    assert selectors.current_revision(document).label == "A"


def test_the_quality_manual_map_counts_effective_documents_only(desk):
    desk.effective_document(iso_clauses=["4.2.4"], regulation_refs=["mdr:10(9)(a)"])
    desk.document(iso_clauses=["4.2.5"])  # in preparation
    report = selectors.quality_manual_map(user=desk.quality)
    assert report.row("4.2.4").documents == ("SOP-001",)
    assert report.row("mdr:10(9)(a)").documents == ("SOP-001",)
    assert "4.2.5" in report.gaps
    with_drafts = selectors.quality_manual_map(user=desk.quality, include_in_preparation=True)
    assert with_drafts.row("4.2.5").documents == ("SOP-002",)
