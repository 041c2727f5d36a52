"""Document-control records for the permission walks (see tests/app_worlds.py): one of each.

SOP "Complaint handling" has revision A superseded, B effective and C in draft under an
approved change request, with a review comment on C and a recorded periodic review; an
external standard is in preparation.
"""

# Page URL name prefixes and the record each is walked with. The walk takes the first prefix
# that matches, so the longer names come before "documents:revision".
URL_OBJECTS: dict[str, str] = {
    "documents:revision_edit": "documents.draft_revision",
    "documents:revision_submit": "documents.draft_revision",
    "documents:revision_return": "documents.draft_revision",
    "documents:revision_approve": "documents.draft_revision",
    "documents:revision_make_effective": "documents.draft_revision",
    "documents:revision_discard": "documents.draft_revision",
    "documents:revision_comment": "documents.draft_revision",
    "documents:revision": "documents.revision",
    "documents:comment_resolve": "documents.comment",
    "documents:change_request": "documents.change_request",
    "documents:periodic_review": "documents.periodic_review",
    "documents:": "documents.document",
}
# /api/v1/<segment>/<pk>/... -> the world object whose pk fills the URL. Revisions are walked
# with the effective one: a walk that discarded the draft would make its copy archive-only.
API_OBJECTS: dict[str, str] = {
    "documents": "documents.document",
    "document-revisions": "documents.revision",
    "document-comments": "documents.comment",
    "change-requests": "documents.change_request",
    "periodic-reviews": "documents.periodic_review",
}
# The same endpoints by URL name, for the walk that reverses names ("v1:document-revisions" and
# "v1:document-periodic-reviews" take a document, so the revision prefix ends with a dash).
URL_OBJECTS.update(
    {
        "v1:document-revision-": "documents.revision",
        "v1:document-comment-": "documents.comment",
        "v1:document-": "documents.document",
        "v1:change-request-": "documents.change_request",
        "v1:periodic-review-": "documents.periodic_review",
    }
)


def build(*, device, users) -> dict[str, object]:
    from samsvar.core.permissions import Role
    from samsvar.core.services import record_sign
    from samsvar.documents import services
    from tests.conftest import PASSWORD

    quality = users[Role.QUALITY_MANAGER]
    approver = users[Role.APPROVER]
    engineer = users[Role.ENGINEER]

    def issue(revision):
        revision = services.revision_submit(actor=quality, revision=revision)
        record_sign(actor=approver, record=revision, meaning="approved", password=PASSWORD)
        revision = services.revision_approve(actor=approver, revision=revision)
        return services.revision_make_effective(actor=quality, revision=revision)

    document = services.document_create(
        actor=quality,
        doc_type="procedure",
        title="Complaint handling",
        owner=quality,
        approvers=[approver],
        reviewers=[engineer],
        iso_clauses=["8.2.2"],
        regulation_refs=["mdr:10(9)(i)"],
        reason_for_change="First issue",
        content_md="# Purpose\n\nHow complaints are received, assessed and reported.",
    )
    superseded = issue(document.revisions.get())
    effective = issue(
        services.revision_create(
            actor=quality,
            document=document,
            reason_for_change="Vigilance reporting timelines added",
            content_md="# Purpose\n\nComplaints, vigilance assessment and reporting to DMP.",
        )
    )
    change_request = services.change_request_create(
        actor=engineer,
        title="Trend reporting (MDR Art. 88)",
        what="Add trend reporting to the complaint procedure.",
        why="MDR Art. 88 requires trend reports.",
        documents=[document],
        devices=[device],
        impact_training="Read and understood by QA/RA.",
    )
    record_sign(actor=approver, record=change_request, meaning="approved", password=PASSWORD)
    change_request = services.change_request_approve(actor=approver, change_request=change_request)
    (draft,) = services.change_request_open_revisions(
        actor=quality,
        change_request=change_request,
        documents=[document],
        reason="Trend reporting added",
    )
    comment = services.comment_add(
        actor=engineer, revision=draft, text="Name the statistical method for trends."
    )
    review = services.periodic_review_record(
        actor=quality,
        document=document,
        outcome="still_valid",
        notes="Current; trend reporting follows under CR-001.",
    )
    external = services.document_create(
        actor=quality,
        doc_type="external",
        title="Medical devices — Quality management systems",
        owner=users[Role.REGULATORY_AFFAIRS],
        publisher="CEN",
        edition="EN ISO 13485:2016 + A11:2021",
        reason_for_change="Edition in use registered",
    )
    objects = {
        "documents.document": document,
        "documents.revision": effective,
        "documents.superseded_revision": superseded,
        "documents.draft_revision": draft,
        "documents.change_request": change_request,
        "documents.comment": comment,
        "documents.periodic_review": review,
        "documents.external": external,
    }
    for obj in objects.values():
        obj.refresh_from_db()  # as stored after the later steps (e.g. A superseded by B)
    return objects


def api_bodies(pks, users) -> dict:
    """A valid body for every document-control write, so a 403 is about permission."""
    from samsvar.documents import api_urls
    from tests.conftest import PASSWORD

    document = "api/v1/documents/<int:pk>/"
    revision = "api/v1/document-revisions/<int:pk>/"
    change_request = "api/v1/change-requests/<int:pk>/"
    review = "api/v1/periodic-reviews/<int:pk>/"
    walk = {"reason": "Permission walk"}
    bodies = {
        ("api/v1/documents/", "POST"): {
            "doc_type": "procedure",
            "title": "Walk procedure",
            "owner": users["quality_manager"].pk,
            "reason_for_change": "First issue",
            "content_md": "# Purpose\n\nWalked.",
        },
        (document, "PATCH"): {"review_interval_months": 12},
        (f"{document}obsolete/", "POST"): walk,
        (f"{document}revisions/", "POST"): {"reason_for_change": "Walk revision"},
        (f"{document}periodic-reviews/", "POST"): {"outcome": "still_valid", "notes": "Walk."},
        (revision, "PATCH"): {"content_md": "# Purpose\n\nWalked again."},
        (f"{revision}submit/", "POST"): {},
        (f"{revision}return/", "POST"): walk,
        (f"{revision}approve/", "POST"): {},
        (f"{revision}make-effective/", "POST"): {},
        (f"{revision}discard/", "POST"): walk,
        (f"{revision}comments/", "POST"): {"text": "Walk comment."},
        ("api/v1/document-comments/<int:pk>/resolve/", "POST"): {"resolution": "Done."},
        ("api/v1/change-requests/", "POST"): {
            "title": "Walk change",
            "what": "A walked change.",
            "why": "The permission walk.",
            "documents": [pks["documents.document"]],
        },
        (change_request, "PATCH"): {"impact_training": "None."},
        (f"{change_request}approve/", "POST"): {},
        (f"{change_request}reject/", "POST"): walk,
        (f"{change_request}implement/", "POST"): {},
        (f"{change_request}open-revisions/", "POST"): {
            "documents": [pks["documents.document"]],
            "reason": "Walk",
        },
        (review, "PATCH"): {"notes": "Walked."},
        (f"{review}complete/", "POST"): {},
    }
    for pattern in api_urls.urlpatterns:
        route = f"api/v1/{pattern.pattern}"
        if route.endswith("/sign/"):
            bodies[(route, "POST")] = {"meaning": "reviewed", "password": PASSWORD}
    return bodies
