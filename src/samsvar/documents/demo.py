"""Demo data: Fjordmed's quality management system, built through the services from
`demo_content`.

The quality manual, twenty-one procedures, forms, work instructions, the pump's PMS plan and the
external documents, each issued the way document control issues it: drafted, submitted, signed
by every approver, approved and made effective. Several documents have a history (the quality
manual is at revision C); three change requests show the cycle at each stage (implemented,
approved with a revision in review, still a draft); periodic reviews are overdue, due soon,
recorded and waiting for a signature, or completed.

Loading twice changes nothing: a document whose number exists is left alone, as is a change
request whose title exists. Each document and each change request is built in one transaction,
so a failure leaves nothing half-built. The training demo looks the documents up by number, so
this loader runs before it.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from samsvar.core import permissions as perms
from samsvar.core.services import record_sign
from samsvar.devices.models import Device
from samsvar.documents import demo_content as content
from samsvar.documents import services
from samsvar.documents.models import (
    ChangeRequest,
    Document,
    NumberingRule,
    PeriodicReview,
    Revision,
)

CONTROL = content.QA  # document control: makes revisions effective, records periodic reviews
SCHEDULE_REASON = "Next periodic review carried over from the paper document register"


def load(people: dict, password: str) -> bool:
    """Load the documents and change requests that are missing; True when anything was added."""
    loader = _Loader(people, password)
    changed = False
    for spec in content.DOCUMENTS:
        if Document.objects.filter(number=spec.number).exists():
            continue
        with transaction.atomic():
            loader.document(spec)
        changed = True
    for spec in content.CHANGE_REQUESTS:
        if ChangeRequest.objects.filter(title=spec.title).exists():
            continue
        with transaction.atomic():
            loader.change_request(spec)
        changed = True
    return changed


def spec_for(number: str) -> content.DocumentSpec:
    return next(spec for spec in content.DOCUMENTS if spec.number == number)


class _Loader:
    def __init__(self, people: dict, password: str):
        self.people = people
        self.password = password
        self.today = timezone.localdate()

    # --- people ---------------------------------------------------------------------------

    def person(self, name: str):
        return self.people[name]

    def author(self, spec: content.DocumentSpec):
        """The owner drafts the document when the role may; otherwise document control."""
        owner = self.person(spec.owner)
        return owner if perms.has_perm(owner, perms.DOCUMENT_CHANGE) else self.person(CONTROL)

    def sign(self, record, who: str, meaning: str) -> None:
        record_sign(actor=self.person(who), record=record, meaning=meaning, password=self.password)

    # --- documents ------------------------------------------------------------------------

    def document(self, spec: content.DocumentSpec) -> Document:
        self._reserve_number(spec)
        first = spec.revisions[0]
        document = services.document_create(
            actor=self.author(spec),
            owner=self.person(spec.owner),
            reviewers=[self.person(name) for name in spec.reviewers],
            approvers=[self.person(name) for name in spec.approvers],
            reason_for_change=first.reason,
            content_md=spec.content(first.label),
            **spec.metadata(),
        )
        if document.number != spec.number:
            raise ImproperlyConfigured(
                f"the demo expects {spec.number} but the numbering rule gave {document.number}; "
                "load the demo into an installation without documents"
            )
        revision = Revision.objects.get(document=document)
        self.progress(spec, revision, first)
        for issue in spec.revisions[1:]:
            if issue.change_request or issue.via_review:
                break  # opened later by its change request or by the periodic review
            revision = services.revision_create(
                actor=self.author(spec),
                document=document,
                reason_for_change=issue.reason,
                content_md=spec.content(issue.label),
            )
            self._check_label(spec, revision, issue)
            self.progress(spec, revision, issue)
        if spec.review_due_in_days is not None:
            services.document_update(
                actor=self.person(CONTROL),
                document=document,
                next_review_due=self.today + dt.timedelta(days=spec.review_due_in_days),
                reason=SCHEDULE_REASON,
            )
        if spec.periodic_review is not None:
            self.periodic_review(spec, document)
        return document

    def _reserve_number(self, spec: content.DocumentSpec) -> None:
        """Point the type's counter at the number the demo gives this document."""
        wanted = int(spec.number.rsplit("-", 1)[1])
        rule = NumberingRule.objects.filter(doc_type=spec.doc_type).first()
        if (rule.next_number if rule else 1) != wanted:
            services.numbering_rule_update(
                actor=self.person(CONTROL),
                doc_type=spec.doc_type,
                next_number=wanted,
                reason="Numbers as in the paper document register",
            )

    def _check_label(self, spec, revision: Revision, issue: content.Issue) -> None:
        if revision.label != issue.label:
            raise ImproperlyConfigured(
                f"{spec.number}: expected revision {issue.label}, got {revision.label}"
            )

    def progress(self, spec: content.DocumentSpec, revision: Revision, issue: content.Issue):
        """Take a draft as far as the history says: effective, in review, or left a draft."""
        if issue.comment:
            reviewer = spec.reviewers[0] if spec.reviewers else CONTROL
            services.comment_add(actor=self.person(reviewer), revision=revision, text=issue.comment)
        if issue.stop == content.DRAFT:
            return revision
        revision = services.revision_submit(actor=self.author(spec), revision=revision)
        if issue.stop == content.IN_REVIEW:
            # The reviewers have signed; the approvers' signatures are what it waits for.
            for name in spec.reviewers:
                self.sign(revision, name, "reviewed")
            return revision
        for name in spec.approvers:
            self.sign(revision, name, "approved")
        revision = services.revision_approve(
            actor=self.person(spec.approvers[0]), revision=revision
        )
        return services.revision_make_effective(actor=self.person(CONTROL), revision=revision)

    def periodic_review(self, spec: content.DocumentSpec, document: Document) -> PeriodicReview:
        planned = spec.periodic_review
        review = services.periodic_review_record(
            actor=self.person(CONTROL),
            document=document,
            outcome=planned.outcome,
            notes=planned.notes,
        )
        if not planned.signed:
            return review
        self.sign(review, content.MD, "approved")
        if not planned.completed:
            return review
        review = services.periodic_review_complete(actor=self.person(CONTROL), review=review)
        issue = next((i for i in spec.revisions if i.via_review), None)
        if review.new_revision is not None and issue is not None:
            revision = review.new_revision
            self._check_label(spec, revision, issue)
            revision = services.revision_update(
                actor=self.author(spec), revision=revision, content_md=spec.content(issue.label)
            )
            self.progress(spec, revision, issue)
        return review

    # --- change requests ------------------------------------------------------------------

    def change_request(self, spec: content.ChangeRequestSpec) -> ChangeRequest:
        requester = self.person(spec.requested_by)
        change_request = services.change_request_create(
            actor=requester,
            title=spec.title,
            what=spec.what,
            why=spec.why,
            documents=list(Document.objects.filter(number__in=spec.documents)),
            devices=list(Device.objects.filter(name__in=spec.devices)),
            impact_training=spec.impact_training,
            impact_risk=spec.impact_risk,
            impact_regulatory=spec.impact_regulatory,
        )
        if not spec.approved:
            return change_request
        self.sign(change_request, spec.approver, "approved")
        change_request = services.change_request_approve(
            actor=self.person(spec.approver), change_request=change_request
        )
        planned = {
            number: issue
            for number in spec.documents
            for issue in spec_for(number).revisions
            if issue.change_request == spec.title
        }
        if not planned:
            return change_request
        opened = services.change_request_open_revisions(
            actor=requester,
            change_request=change_request,
            documents=list(Document.objects.filter(number__in=planned)),
            reason=spec.reason,
        )
        for revision in opened:
            document_spec = spec_for(revision.document.number)
            issue = planned[revision.document.number]
            self._check_label(document_spec, revision, issue)
            revision = services.revision_update(
                actor=self.author(document_spec),
                revision=revision,
                content_md=document_spec.content(issue.label),
            )
            self.progress(document_spec, revision, issue)
        change_request.refresh_from_db()
        return change_request
