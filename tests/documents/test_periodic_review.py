"""Periodic review of effective documents (ISO 13485 4.2.4 b): due and overdue lists, the outcome
recorded and signed, then applied."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from samsvar.documents import selectors, services
from samsvar.documents.models import Document, Revision

TODAY = timezone.localdate()


def set_due(desk, document, day):
    return services.document_update(actor=desk.quality, document=document, next_review_due=day)


def review(desk, document, outcome, notes="Checked against current practice and MDR."):
    recorded = services.periodic_review_record(
        actor=desk.quality, document=document, outcome=outcome, notes=notes
    )
    desk.sign(recorded, signer=desk.quality, meaning="reviewed")
    return services.periodic_review_complete(actor=desk.quality, review=recorded, today=TODAY)


def test_due_and_overdue_lists(desk):
    overdue = set_due(desk, desk.effective_document(), TODAY - dt.timedelta(days=3))
    due_today = set_due(desk, desk.effective_document(), TODAY)
    due_soon = set_due(desk, desk.effective_document(), TODAY + dt.timedelta(days=30))
    set_due(desk, desk.effective_document(), TODAY + dt.timedelta(days=31))  # later
    in_preparation = desk.document()
    set_due(desk, in_preparation, TODAY - dt.timedelta(days=9))  # not effective: not listed
    assert list(selectors.reviews_overdue(TODAY)) == [overdue]
    assert list(selectors.reviews_due(TODAY)) == [due_today, due_soon]
    assert list(selectors.reviews_due(TODAY, within_days=0)) == [due_today]
    assert list(selectors.reviews_due(TODAY, user=desk.users["auditor"])) == [due_today, due_soon]


def test_still_valid_sets_the_next_review_one_interval_ahead(desk):
    document = desk.effective_document(review_interval_months=12)
    document = set_due(desk, document, TODAY - dt.timedelta(days=20))
    done = review(desk, document, "still_valid")
    document.refresh_from_db()
    assert done.status == "completed" and done.completed_at is not None
    assert done.due_date == TODAY - dt.timedelta(days=20)
    assert document.next_review_due == TODAY.replace(year=TODAY.year + 1)
    assert list(selectors.reviews_overdue(TODAY)) == []


def test_revise_opens_a_draft_with_the_notes_as_reason(desk):
    document = desk.effective_document()
    done = review(desk, document, "revise", notes="Section 5 refers to the withdrawn MEDDEV.")
    draft = desk.draft(document)
    assert done.new_revision == draft
    assert (draft.label, draft.reason_for_change) == (
        "B",
        "Section 5 refers to the withdrawn MEDDEV.",
    )
    assert document.revisions.get(label="A").status == "effective"


def test_withdraw_makes_the_document_obsolete(desk):
    document = desk.effective_document()
    review(desk, document, "withdraw", notes="Replaced by SOP-010.")
    document.refresh_from_db()
    assert document.status == "obsolete"
    assert selectors.current_revision(document) is None
    assert Revision.objects.get(document=document).status == "obsolete"


def test_an_unsigned_review_changes_nothing(desk):
    document = desk.effective_document()
    before = Document.objects.get(pk=document.pk).next_review_due
    recorded = services.periodic_review_record(
        actor=desk.quality, document=document, outcome="still_valid", notes="Fine."
    )
    with pytest.raises(ValidationError, match="Sign version 1 of the review"):
        services.periodic_review_complete(actor=desk.quality, review=recorded)
    assert Document.objects.get(pk=document.pk).next_review_due == before
    # A second review waits until the first is completed.
    with pytest.raises(ValidationError, match="already recorded"):
        services.periodic_review_record(
            actor=desk.quality, document=document, outcome="revise", notes="Again"
        )


def test_a_correction_after_signing_needs_a_new_signature(desk):
    document = desk.effective_document()
    recorded = services.periodic_review_record(
        actor=desk.quality, document=document, outcome="still_valid", notes="Fine."
    )
    desk.sign(recorded, signer=desk.quality, meaning="reviewed")
    recorded = services.periodic_review_update(
        actor=desk.quality, review=recorded, outcome="revise", reason="Found an outdated reference"
    )
    assert recorded.version == 2
    with pytest.raises(ValidationError, match="Sign version 2"):
        services.periodic_review_complete(actor=desk.quality, review=recorded)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"outcome": "maybe", "notes": "x"}, "outcome"),
        ({"outcome": "revise", "notes": ""}, "notes"),
    ],
)
def test_bad_review_input_is_named(desk, fields, field):
    document = desk.effective_document()
    with pytest.raises(ValidationError) as error:
        services.periodic_review_record(actor=desk.quality, document=document, **fields)
    assert field in error.value.message_dict


def test_only_effective_documents_are_reviewed_and_only_by_document_control(desk, users):
    with pytest.raises(ValidationError, match="no effective revision"):
        services.periodic_review_record(
            actor=desk.quality, document=desk.document(), outcome="still_valid", notes="x"
        )
    with pytest.raises(PermissionDenied):
        services.periodic_review_record(
            actor=users["engineer"],
            document=desk.effective_document(),
            outcome="still_valid",
            notes="x",
        )
