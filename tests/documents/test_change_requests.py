"""Change requests (ISO 13485 4.2.4, 7.3.9): what, why and impact; approval by e-signature
before any revision opens; one request opens new revisions of several documents; the change
history of a document shows the request behind each revision."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from samsvar.documents import selectors, services
from samsvar.documents.models import ChangeRequest, Revision


@pytest.fixture
def documents(desk):
    return [desk.effective_document(title=f"Procedure {n}") for n in range(3)]


def raise_request(desk, documents, device=None, **fields):
    values = {
        "title": "Align with MDCG 2023-3 vigilance terms",
        "what": "Replace 'incident' wording in the vigilance procedures.",
        "why": "Terms in MDCG 2023-3 differ from ours; auditors asked for alignment.",
        "documents": documents,
        "devices": [device] if device else [],
        "impact_training": "Read-and-understood for RA and QA.",
        "impact_risk": "None: no change to hazards or controls.",
        "impact_regulatory": "None.",
    }
    values.update(fields)
    return services.change_request_create(actor=desk.users["engineer"], **values)


def approved_request(desk, documents, **fields):
    request = raise_request(desk, documents, **fields)
    desk.sign(request)
    return services.change_request_approve(actor=desk.approver, change_request=request)


def test_change_requests_are_numbered_cr_001_onwards(desk, documents, device):
    first = raise_request(desk, documents[:1], device=device)
    second = raise_request(desk, documents[1:])
    assert (first.number, second.number) == ("CR-001", "CR-002")
    assert list(first.devices.all()) == [device]
    assert first.requested_by == desk.users["engineer"]
    assert first.status == "draft"


@pytest.mark.parametrize("field", ["title", "what", "why"])
def test_what_why_and_title_are_required(desk, documents, field):
    with pytest.raises(ValidationError) as error:
        raise_request(desk, documents, **{field: "  "})
    assert field in error.value.message_dict
    assert not ChangeRequest.objects.exists()


def test_an_unknown_document_or_device_is_named(desk, documents):
    with pytest.raises(ValidationError) as error:
        raise_request(desk, ["SOP-999"])
    assert "documents" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        raise_request(desk, documents, devices=["pump"])
    assert "devices" in error.value.message_dict


def test_approval_needs_an_approved_signature(desk, documents):
    request = raise_request(desk, documents)
    with pytest.raises(ValidationError, match="Sign version 1 of CR-001"):
        services.change_request_approve(actor=desk.approver, change_request=request)
    desk.sign(request, signer=desk.quality, meaning="reviewed")
    with pytest.raises(ValidationError, match="as approved"):
        services.change_request_approve(actor=desk.approver, change_request=request)
    desk.sign(request)
    request = services.change_request_approve(actor=desk.approver, change_request=request)
    assert request.status == "approved" and request.approved_at is not None


def test_no_revision_opens_under_a_request_that_is_not_approved(desk, documents):
    request = raise_request(desk, documents)
    with pytest.raises(ValidationError, match="not approved"):
        services.change_request_open_revisions(
            actor=desk.quality, change_request=request, documents=documents, reason="Go"
        )
    assert Revision.objects.filter(status="draft").count() == 0


def test_one_request_opens_new_revisions_of_several_documents(desk, documents):
    request = approved_request(desk, documents)
    opened = services.change_request_open_revisions(
        actor=desk.quality,
        change_request=request,
        documents=documents[:2],
        reason="Vigilance terms aligned",
    )
    assert [(r.document.number, r.label, r.status) for r in opened] == [
        ("SOP-001", "B", "draft"),
        ("SOP-002", "B", "draft"),
    ]
    assert {r.change_request_id for r in opened} == {request.pk}
    assert opened[0].reason_for_change == "CR-001: Vigilance terms aligned"
    auditor = desk.users["auditor"]
    history = selectors.document_change_history(user=auditor, document=documents[0])
    assert [(r.label, r.change_request.number if r.change_request else None) for r in history] == [
        ("B", "CR-001"),
        ("A", None),
    ]


def test_opening_revisions_is_all_or_nothing(desk, documents):
    request = approved_request(desk, documents)
    services.revision_create(
        actor=desk.quality, document=documents[1], reason_for_change="Unrelated fix"
    )
    with pytest.raises(ValidationError) as error:
        services.change_request_open_revisions(
            actor=desk.quality, change_request=request, documents=documents, reason="Aligned"
        )
    assert "already has revision B in progress" in str(error.value.message_dict["documents"])
    assert not Revision.objects.filter(change_request=request).exists()


def test_a_document_the_request_does_not_name_is_refused(desk, documents):
    request = approved_request(desk, documents[:1])
    with pytest.raises(ValidationError, match="does not name SOP-002"):
        services.change_request_open_revisions(
            actor=desk.quality, change_request=request, documents=documents[:2], reason="Go"
        )


def test_the_reason_is_required_to_open_revisions(desk, documents):
    request = approved_request(desk, documents)
    with pytest.raises(ValidationError) as error:
        services.change_request_open_revisions(
            actor=desk.quality, change_request=request, documents=documents, reason=""
        )
    assert "reason" in error.value.message_dict


def test_the_request_is_implemented_when_its_revisions_are_effective(desk, documents):
    request = approved_request(desk, documents)
    opened = services.change_request_open_revisions(
        actor=desk.quality, change_request=request, documents=documents[:2], reason="Aligned"
    )
    desk.issue(opened[0])
    request.refresh_from_db()
    assert request.status == "approved"
    with pytest.raises(ValidationError, match=r"SOP-002 rev\. B"):
        services.change_request_implement(actor=desk.quality, change_request=request)
    desk.issue(opened[1])
    request.refresh_from_db()
    assert request.status == "implemented" and request.implemented_at is not None


def test_changing_the_documents_of_a_signed_request_makes_a_new_version(desk, documents):
    request = raise_request(desk, documents[:1])
    desk.sign(request)
    with pytest.raises(ValidationError) as error:
        services.change_request_update(
            actor=desk.quality, change_request=request, documents=documents
        )
    assert "reason" in error.value.message_dict
    request = services.change_request_update(
        actor=desk.quality, change_request=request, documents=documents, reason="Scope widened"
    )
    assert request.version == 2
    assert request.signed_content()["fields"]["documents"] == ["SOP-001", "SOP-002", "SOP-003"]
    # The signature was on version 1; version 2 needs its own before approval.
    with pytest.raises(ValidationError, match="Sign version 2"):
        services.change_request_approve(actor=desk.approver, change_request=request)


def test_an_approved_or_rejected_request_cannot_be_edited(desk, documents):
    request = approved_request(desk, documents)
    with pytest.raises(ValidationError, match="approved and can no longer be edited"):
        services.change_request_update(actor=desk.quality, change_request=request, title="X")
    other = raise_request(desk, documents)
    with pytest.raises(ValidationError):
        services.change_request_reject(actor=desk.approver, change_request=other, reason="")
    other = services.change_request_reject(
        actor=desk.approver, change_request=other, reason="Covered by CR-001"
    )
    assert other.status == "rejected"
    with pytest.raises(ValidationError, match="rejected"):
        services.change_request_approve(actor=desk.approver, change_request=other)


def test_the_auditor_raises_no_change_request(desk, documents):
    with pytest.raises(PermissionDenied):
        services.change_request_create(
            actor=desk.users["auditor"], title="T", what="W", why="Y", documents=documents
        )
