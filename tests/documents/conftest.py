"""Document-control fixtures: documents made through the services, and the steps of issuing a
revision (submit, sign as every approver, approve, make effective)."""

import pytest

from tests.conftest import PASSWORD


class Desk:
    """Document control as the quality manager runs it, through the services only."""

    def __init__(self, users):
        self.users = users
        self.quality = users["quality_manager"]
        self.approver = users["approver"]
        self.count = 0

    def document(self, *, actor=None, **fields):
        from samsvar.documents.services import document_create

        self.count += 1
        values = {
            "doc_type": "procedure",
            "title": f"Procedure {self.count}",
            "owner": self.quality,
            "reason_for_change": "First issue",
            "content_md": f"# Purpose\n\nHow procedure {self.count} is carried out.",
            "approvers": [self.approver],
        }
        values.update(fields)
        return document_create(actor=actor or self.quality, **values)

    def sign(self, record, *, signer=None, meaning="approved"):
        from samsvar.core.services import record_sign

        return record_sign(
            actor=signer or self.approver, record=record, meaning=meaning, password=PASSWORD
        )

    def draft(self, document):
        from samsvar.documents.models import Revision

        return Revision.objects.filter(document=document, status="draft").get()

    def approve(self, revision):
        """Submit a draft, sign it as every approver of its document, approve it."""
        from samsvar.documents.services import revision_approve, revision_submit

        revision = revision_submit(actor=self.quality, revision=revision)
        for person in revision.document.approvers.all():
            self.sign(revision, signer=person)
        return revision_approve(actor=self.quality, revision=revision)

    def issue(self, revision, **kwargs):
        """Take a draft all the way to effective."""
        from samsvar.documents.services import revision_make_effective

        revision = self.approve(revision)
        return revision_make_effective(actor=self.quality, revision=revision, **kwargs)

    def effective_document(self, **fields):
        document = self.document(**fields)
        self.issue(self.draft(document))
        document.refresh_from_db()
        return document

    def revise(self, document, reason="Updated after internal audit", **kwargs):
        from samsvar.documents.services import revision_create

        revision = revision_create(
            actor=self.quality, document=document, reason_for_change=reason, **kwargs
        )
        return self.issue(revision)


@pytest.fixture
def desk(users):
    return Desk(users)
