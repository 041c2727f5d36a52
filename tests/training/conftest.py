"""Training fixtures: controlled documents made effective through document control, a job
role that requires some of them, and people in that role.
"""

import pytest

from samsvar.core.permissions import Role
from tests.conftest import PASSWORD


class Docs:
    """Documents taken through document control: drafted, approved by e-signature, issued."""

    def __init__(self, actor, approver):
        self.actor = actor
        self.approver = approver

    def document(self, title="Document control", *, effective=True):
        from samsvar.documents.services import document_create

        document = document_create(
            actor=self.actor,
            doc_type="procedure",
            title=title,
            owner=self.actor,
            approvers=[self.approver],
            reason_for_change="First issue.",
            content_md=f"# {title}\n\nPurpose, scope and responsibilities.",
        )
        if effective:
            self.make_effective(document)
        return document

    def revise(self, document):
        """Open the next revision of the document and make it effective."""
        from samsvar.documents.services import revision_create

        revision_create(
            actor=self.actor,
            document=document,
            reason_for_change="Updated after the internal audit.",
            content_md=f"# {document.title}\n\nRevised after the internal audit.",
        )
        return self.make_effective(document)

    def make_effective(self, document):
        from samsvar.core.services import record_sign
        from samsvar.documents import services
        from samsvar.documents.models import Revision

        revision = Revision.objects.get(document=document, status="draft")
        revision = services.revision_submit(actor=self.actor, revision=revision)
        record_sign(actor=self.approver, record=revision, meaning="approved", password=PASSWORD)
        revision = services.revision_approve(actor=self.actor, revision=revision)
        return services.revision_make_effective(actor=self.actor, revision=revision)


@pytest.fixture
def docs(quality, approver):
    return Docs(quality, approver)


@pytest.fixture
def sop(docs):
    return docs.document("Complaint handling")


@pytest.fixture
def technician_role(quality, sop):
    from samsvar.training.services import job_role_create

    return job_role_create(
        actor=quality,
        name="Service technician",
        description="Services returned insulin pumps.",
        required_documents=[sop],
    )


@pytest.fixture
def assign(quality):
    from samsvar.training.services import role_assignment_create

    def make(user, job_role, **extra):
        return role_assignment_create(actor=quality, user=user, job_role=job_role, **extra)

    return make


@pytest.fixture
def trainee(make_user):
    return make_user(role=Role.ENGINEER, username="trainee", full_name="Ola Nordmann")
