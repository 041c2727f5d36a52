"""Documents endpoints under /api/v1/ (included by samsvar.api_urls, without a namespace).

A document's own revisions and periodic reviews are listed under documents/<pk>/; each
revision, change request and periodic review has its own address with its life-cycle steps and
history/, versions/ and sign/ beside it.
"""

from django.urls import path

from samsvar.documents import api


def evidence(prefix: str, name: str, views) -> list:
    history, versions, sign = views
    return [
        path(f"{prefix}history/", history.as_view(), name=f"{name}-history"),
        path(f"{prefix}versions/", versions.as_view(), name=f"{name}-versions"),
        path(f"{prefix}sign/", sign.as_view(), name=f"{name}-sign"),
    ]


DOCUMENT = "documents/<int:pk>/"
REVISION = "document-revisions/<int:pk>/"
CHANGE_REQUEST = "change-requests/<int:pk>/"
REVIEW = "periodic-reviews/<int:pk>/"

urlpatterns = [
    path("documents/", api.DocumentListView.as_view(), name="document-list"),
    path(DOCUMENT, api.DocumentDetailView.as_view(), name="document-detail"),
    path(f"{DOCUMENT}history/", api.DocumentHistoryView.as_view(), name="document-history"),
    path(f"{DOCUMENT}obsolete/", api.DocumentObsoleteView.as_view(), name="document-obsolete"),
    path(
        f"{DOCUMENT}revisions/", api.DocumentRevisionListView.as_view(), name="document-revisions"
    ),
    path(
        f"{DOCUMENT}periodic-reviews/",
        api.DocumentPeriodicReviewListView.as_view(),
        name="document-periodic-reviews",
    ),
    path(REVISION, api.RevisionDetailView.as_view(), name="document-revision-detail"),
    path(f"{REVISION}submit/", api.RevisionSubmitView.as_view(), name="document-revision-submit"),
    path(f"{REVISION}return/", api.RevisionReturnView.as_view(), name="document-revision-return"),
    path(
        f"{REVISION}approve/", api.RevisionApproveView.as_view(), name="document-revision-approve"
    ),
    path(
        f"{REVISION}make-effective/",
        api.RevisionMakeEffectiveView.as_view(),
        name="document-revision-make-effective",
    ),
    path(
        f"{REVISION}discard/", api.RevisionDiscardView.as_view(), name="document-revision-discard"
    ),
    path(
        f"{REVISION}comments/",
        api.RevisionCommentListView.as_view(),
        name="document-revision-comments",
    ),
    path(f"{REVISION}copy/", api.RevisionCopyView.as_view(), name="document-revision-copy"),
    *evidence(REVISION, "document-revision", api.REVISION_EVIDENCE),
    path(
        "document-comments/<int:pk>/resolve/",
        api.CommentResolveView.as_view(),
        name="document-comment-resolve",
    ),
    path("change-requests/", api.ChangeRequestListView.as_view(), name="change-request-list"),
    path(CHANGE_REQUEST, api.ChangeRequestDetailView.as_view(), name="change-request-detail"),
    path(
        f"{CHANGE_REQUEST}approve/",
        api.ChangeRequestApproveView.as_view(),
        name="change-request-approve",
    ),
    path(
        f"{CHANGE_REQUEST}reject/",
        api.ChangeRequestRejectView.as_view(),
        name="change-request-reject",
    ),
    path(
        f"{CHANGE_REQUEST}implement/",
        api.ChangeRequestImplementView.as_view(),
        name="change-request-implement",
    ),
    path(
        f"{CHANGE_REQUEST}open-revisions/",
        api.ChangeRequestOpenRevisionsView.as_view(),
        name="change-request-open-revisions",
    ),
    *evidence(CHANGE_REQUEST, "change-request", api.CHANGE_REQUEST_EVIDENCE),
    path("periodic-reviews/", api.PeriodicReviewListView.as_view(), name="periodic-review-list"),
    path("periodic-reviews/due/", api.PeriodicReviewDueView.as_view(), name="periodic-review-due"),
    path(REVIEW, api.PeriodicReviewDetailView.as_view(), name="periodic-review-detail"),
    path(
        f"{REVIEW}complete/",
        api.PeriodicReviewCompleteView.as_view(),
        name="periodic-review-complete",
    ),
    *evidence(REVIEW, "periodic-review", api.PERIODIC_REVIEW_EVIDENCE),
    path("records/", api.RecordsRegisterView.as_view(), name="records-register"),
    path("quality-manual-map/", api.QualityManualMapView.as_view(), name="quality-manual-map"),
]
