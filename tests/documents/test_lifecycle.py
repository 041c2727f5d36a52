"""The revision life cycle and its refusals (ISO 13485 4.2.4): draft → in review → approved →
effective → superseded or obsolete, exactly one effective revision, approval by e-signature."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from samsvar.core.audit import audited
from samsvar.core.models import AuditEvent
from samsvar.documents import selectors, services
from samsvar.documents.models import Document, Revision, RevisionStatus
from samsvar.documents.signals import revision_effective


def statuses(document):
    return list(
        Revision.objects.filter(document=document).order_by("pk").values_list("label", "status")
    )


def test_a_revision_goes_from_draft_to_effective(desk):
    document = desk.document(title="Document control")
    assert document.number == "SOP-001"
    revision = desk.draft(document)
    assert (revision.label, revision.status, revision.reason_for_change) == (
        "A",
        "draft",
        "First issue",
    )
    assert selectors.current_revision(document) is None

    revision = services.revision_submit(actor=desk.quality, revision=revision)
    assert revision.status == RevisionStatus.IN_REVIEW
    desk.sign(revision)
    revision = services.revision_approve(actor=desk.approver, revision=revision)
    assert revision.status == RevisionStatus.APPROVED
    assert revision.approved_at is not None
    assert revision.version == 1  # the status change did not make a new version

    revision = services.revision_make_effective(actor=desk.quality, revision=revision)
    document.refresh_from_db()
    assert revision.status == RevisionStatus.EFFECTIVE
    assert selectors.current_revision(document) == revision
    assert document.status == "effective"
    today = timezone.localdate()
    assert document.next_review_due == today.replace(year=today.year + 2)


def test_every_transition_is_audited_with_its_reason(desk):
    document = desk.document()
    revision = desk.draft(document)
    services.revision_submit(actor=desk.quality, revision=revision, reason="Ready for review")
    event = AuditEvent.objects.filter(
        object_type="documents.revision", object_id=str(revision.pk)
    ).order_by("-seq")[0]
    assert event.changes["status"] == ["draft", "in_review"]
    assert event.reason == "Ready for review"
    assert event.actor_id == desk.quality.pk


def test_a_new_revision_supersedes_the_effective_one_in_the_same_step(desk):
    document = desk.effective_document()
    first = document.current_revision
    second = desk.revise(document)
    assert second.label == "B"
    assert statuses(document) == [("A", "superseded"), ("B", "effective")]
    first.refresh_from_db()
    assert first.superseded_at is not None
    document.refresh_from_db()
    assert selectors.current_revision(document) == second
    # The superseded revision stays readable, marked as such, and is never offered as current.
    assert selectors.access_revision_by_id(user=desk.quality, revision_id=first.pk).is_archived
    assert [
        r.label for r in selectors.document_change_history(user=desk.quality, document=document)
    ] == ["B", "A"]


def test_a_second_effective_revision_is_refused_by_the_database_even_without_the_service(desk):
    document = desk.effective_document()
    revision = services.revision_create(
        actor=desk.quality, document=document, reason_for_change="Clarified scope"
    )
    with pytest.raises(IntegrityError), transaction.atomic(), audited(actor=desk.quality):
        revision.status = RevisionStatus.EFFECTIVE
        revision.save()
    assert statuses(document) == [("A", "effective"), ("B", "draft")]


def test_approval_without_every_approvers_signature_is_refused(desk, make_user):
    second = make_user(role="approver", full_name="Ingrid Solberg")
    document = desk.document(approvers=[desk.approver, second])
    revision = services.revision_submit(actor=desk.quality, revision=desk.draft(document))
    with pytest.raises(ValidationError, match="Approver Person, Ingrid Solberg"):
        services.revision_approve(actor=desk.quality, revision=revision)
    desk.sign(revision)
    with pytest.raises(ValidationError, match="Ingrid Solberg on version 1"):
        services.revision_approve(actor=desk.quality, revision=revision)
    # A signature with another meaning does not count as approval.
    desk.sign(revision, signer=second, meaning="reviewed")
    with pytest.raises(ValidationError, match="Ingrid Solberg"):
        services.revision_approve(actor=desk.quality, revision=revision)
    assert Revision.objects.get(pk=revision.pk).status == RevisionStatus.IN_REVIEW
    desk.sign(revision, signer=second)
    assert services.revision_approve(actor=desk.quality, revision=revision).status == "approved"


def test_open_review_comments_block_approval_until_resolved(desk, users):
    document = desk.document(reviewers=[users["engineer"]])
    revision = services.revision_submit(actor=desk.quality, revision=desk.draft(document))
    comment = services.comment_add(
        actor=users["engineer"], revision=revision, text="Section 3 contradicts SOP-004."
    )
    desk.sign(revision)
    with pytest.raises(ValidationError, match="1 review comment"):
        services.revision_approve(actor=desk.quality, revision=revision)
    services.comment_resolve(actor=desk.quality, comment=comment, resolution="Section 3 aligned.")
    assert services.revision_approve(actor=desk.quality, revision=revision).status == "approved"


def test_an_approver_named_on_the_document_may_comment_but_an_auditor_may_not(desk, users):
    document = desk.document()
    revision = desk.draft(document)
    services.comment_add(actor=desk.approver, revision=revision, text="Add the form number.")
    with pytest.raises(PermissionDenied):
        services.comment_add(actor=users["auditor"], revision=revision, text="Looks fine.")


def test_editing_an_approved_or_effective_revision_is_refused(desk):
    document = desk.document()
    revision = desk.approve(desk.draft(document))
    with pytest.raises(ValidationError, match="approved and can no longer be edited"):
        services.revision_update(actor=desk.quality, revision=revision, content_md="Changed")
    services.revision_make_effective(actor=desk.quality, revision=revision)
    with pytest.raises(ValidationError, match="effective and can no longer be edited"):
        services.revision_update(actor=desk.quality, revision=revision, content_md="Changed")
    assert Revision.objects.get(pk=revision.pk).content_md.startswith("# Purpose")


def test_editing_a_signed_draft_needs_a_reason_and_makes_a_new_version(desk):
    document = desk.document()
    revision = desk.draft(document)
    desk.sign(revision, signer=desk.quality, meaning="authored")
    with pytest.raises(ValidationError) as error:
        services.revision_update(actor=desk.quality, revision=revision, content_md="New text")
    assert "reason" in error.value.message_dict
    revision = services.revision_update(
        actor=desk.quality, revision=revision, content_md="New text", reason="Typo"
    )
    assert (revision.version, revision.content_md) == (2, "New text")


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_a_reason_for_change_is_required_for_every_revision(desk, reason):
    with pytest.raises(ValidationError) as error:
        desk.document(reason_for_change=reason)
    assert "reason_for_change" in error.value.message_dict
    assert not Document.objects.exists()
    document = desk.effective_document()
    with pytest.raises(ValidationError) as error:
        services.revision_create(actor=desk.quality, document=document, reason_for_change=reason)
    assert "reason_for_change" in error.value.message_dict
    assert statuses(document) == [("A", "effective")]


def test_a_second_revision_in_progress_is_refused(desk):
    document = desk.effective_document()
    services.revision_create(actor=desk.quality, document=document, reason_for_change="One")
    with pytest.raises(ValidationError, match="already has revision B in progress"):
        services.revision_create(actor=desk.quality, document=document, reason_for_change="Two")


def test_a_draft_without_content_or_file_cannot_be_submitted(desk):
    document = desk.document(content_md="")
    with pytest.raises(ValidationError) as error:
        services.revision_submit(actor=desk.quality, revision=desk.draft(document))
    assert "content_md" in error.value.message_dict


def test_a_document_without_approvers_cannot_be_submitted(desk):
    document = desk.document(approvers=[])
    with pytest.raises(ValidationError) as error:
        services.revision_submit(actor=desk.quality, revision=desk.draft(document))
    assert "approvers" in error.value.message_dict


def test_a_revision_becomes_effective_on_its_planned_date_not_before(desk):
    today = timezone.localdate()
    later = today + dt.timedelta(days=10)
    document = desk.document(effective_date=later)
    revision = desk.approve(desk.draft(document))
    with pytest.raises(ValidationError, match=later.isoformat()):
        services.revision_make_effective(actor=desk.quality, revision=revision)
    assert services.revisions_activate_due(today=today) == []
    done = services.revisions_activate_due(actor=desk.approver, today=later)
    assert [r.pk for r in done] == [revision.pk]
    document.refresh_from_db()
    assert document.current_revision_id == revision.pk
    # The approver lacks document control: the scheduled step is recorded as the system's.
    event = AuditEvent.objects.filter(
        object_type="documents.revision", object_id=str(revision.pk)
    ).order_by("-seq")[0]
    assert (event.actor_id, event.reason) == (None, f"Planned effective date {later} reached")
    assert document.next_review_due == later.replace(year=later.year + 2)


def test_revision_effective_is_sent_once_inside_the_transition(desk):
    document = desk.document()
    revision = desk.approve(desk.draft(document))
    received = []

    def listener(sender, actor, revision, **kwargs):
        received.append((actor, revision.pk, Revision.objects.get(pk=revision.pk).status))

    revision_effective.connect(listener)
    try:
        services.revision_make_effective(actor=desk.quality, revision=revision)
        services.revisions_activate_due(today=timezone.localdate() + dt.timedelta(days=400))
    finally:
        revision_effective.disconnect(listener)
    assert received == [(desk.quality, revision.pk, "effective")]


def test_a_failing_listener_rolls_the_transition_back(desk):
    document = desk.effective_document()
    revision = desk.approve(
        services.revision_create(actor=desk.quality, document=document, reason_for_change="B")
    )

    def broken(**kwargs):
        raise RuntimeError("training tasks could not be created")

    revision_effective.connect(broken)
    try:
        with pytest.raises(RuntimeError):
            services.revision_make_effective(actor=desk.quality, revision=revision)
    finally:
        revision_effective.disconnect(broken)
    assert statuses(document) == [("A", "effective"), ("B", "approved")]


def test_only_document_control_makes_a_revision_effective(desk, users):
    document = desk.document()
    revision = desk.approve(desk.draft(document))
    with pytest.raises(PermissionDenied):
        services.revision_make_effective(actor=users["engineer"], revision=revision)
    assert Revision.objects.get(pk=revision.pk).status == "approved"


def test_the_auditor_changes_nothing(desk, users):
    with pytest.raises(PermissionDenied):
        desk.document(actor=users["auditor"])
    assert not Document.objects.exists()


def test_a_revision_in_review_can_go_back_to_draft_with_a_reason(desk):
    revision = services.revision_submit(actor=desk.quality, revision=desk.draft(desk.document()))
    with pytest.raises(ValidationError):
        services.revision_return(actor=desk.quality, revision=revision, reason="")
    revision = services.revision_return(
        actor=desk.approver, revision=revision, reason="Add the flow chart"
    )
    assert revision.status == "draft"


def test_a_withdrawn_document_has_no_current_revision_and_stays_readable(desk):
    document = desk.effective_document()
    services.revision_create(actor=desk.quality, document=document, reason_for_change="B")
    with pytest.raises(ValidationError):
        services.document_obsolete(actor=desk.quality, document=document, reason=" ")
    document = services.document_obsolete(
        actor=desk.quality, document=document, reason="Merged into SOP-002"
    )
    assert document.status == "obsolete"
    assert selectors.current_revision(document) is None
    assert statuses(document) == [("A", "obsolete"), ("B", "obsolete")]
    assert selectors.document_list(user=desk.quality, status="effective").count() == 0
    with pytest.raises(ValidationError, match="obsolete; register a new document"):
        services.revision_create(actor=desk.quality, document=document, reason_for_change="C")


def test_archived_revisions_are_downloadable_by_the_archive_roles_only(desk, users):
    document = desk.effective_document()
    desk.revise(document)
    old = Revision.objects.get(document=document, label="A")
    assert selectors.can_download_revision(users["auditor"], old)
    assert not selectors.can_download_revision(users["engineer"], old)
    assert selectors.can_download_revision(users["engineer"], document.revisions.get(label="B"))


def test_a_discarded_draft_makes_room_for_a_new_one(desk):
    document = desk.effective_document()
    draft = services.revision_create(actor=desk.quality, document=document, reason_for_change="B")
    services.revision_discard(actor=desk.quality, revision=draft, reason="Started by mistake")
    again = services.revision_create(actor=desk.quality, document=document, reason_for_change="C")
    assert again.label == "C"
    assert statuses(document) == [("A", "effective"), ("B", "obsolete"), ("C", "draft")]


def test_a_new_draft_starts_from_the_newest_text(desk):
    document = desk.effective_document(content_md="Version one text")
    draft = services.revision_create(actor=desk.quality, document=document, reason_for_change="B")
    assert draft.content_md == "Version one text"
    replaced = services.revision_update(actor=desk.quality, revision=draft, content_md="Two")
    assert replaced.content_md == "Two"
    assert document.revisions.get(label="A").content_md == "Version one text"


def test_withdrawing_a_document_tells_the_followers_of_its_effective_revision(desk, monkeypatch):
    from django.dispatch import Signal

    from samsvar.documents import signals

    monkeypatch.setattr(signals, "revision_withdrawn", Signal(), raising=False)
    document = desk.effective_document()
    effective = document.current_revision
    received = []
    signals.revision_withdrawn.connect(
        lambda sender, actor, revision, reason, **kw: received.append((revision.pk, reason)),
        weak=False,
    )
    services.document_obsolete(actor=desk.quality, document=document, reason="Merged")
    assert received == [(effective.pk, "Merged")]
