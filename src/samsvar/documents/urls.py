from django.urls import path

from samsvar.documents import views

app_name = "documents"
urlpatterns = [
    path("", views.DocumentListView.as_view(), name="list"),
    path("new/", views.DocumentCreateView.as_view(), name="create"),
    path("preview/", views.PreviewView.as_view(), name="preview"),
    path("<int:pk>/", views.DocumentDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.DocumentEditView.as_view(), name="edit"),
    path("<int:pk>/revise/", views.RevisionCreateView.as_view(), name="revise"),
    path("<int:pk>/obsolete/", views.DocumentObsoleteView.as_view(), name="obsolete"),
    path("<int:pk>/copy.pdf", views.DocumentCopyView.as_view(), name="copy"),
    path("<int:pk>/review/", views.PeriodicReviewRecordView.as_view(), name="review_record"),
    # Revisions and their life cycle.
    path("revisions/<int:pk>/", views.RevisionDetailView.as_view(), name="revision"),
    path("revisions/<int:pk>/edit/", views.RevisionEditView.as_view(), name="revision_edit"),
    path("revisions/<int:pk>/submit/", views.RevisionSubmitView.as_view(), name="revision_submit"),
    path("revisions/<int:pk>/return/", views.RevisionReturnView.as_view(), name="revision_return"),
    path(
        "revisions/<int:pk>/approve/",
        views.RevisionApproveView.as_view(),
        name="revision_approve",
    ),
    path(
        "revisions/<int:pk>/make-effective/",
        views.RevisionMakeEffectiveView.as_view(),
        name="revision_make_effective",
    ),
    path(
        "revisions/<int:pk>/discard/",
        views.RevisionDiscardView.as_view(),
        name="revision_discard",
    ),
    path("revisions/<int:pk>/sign/", views.RevisionSignView.as_view(), name="revision_sign"),
    path(
        "revisions/<int:pk>/request-signature/",
        views.RevisionSignatureRequestView.as_view(),
        name="revision_request_signature",
    ),
    path(
        "revisions/<int:pk>/comment/",
        views.RevisionCommentView.as_view(),
        name="revision_comment",
    ),
    path("revisions/<int:pk>/copy.pdf", views.RevisionCopyView.as_view(), name="revision_copy"),
    path("revisions/<int:pk>/file/", views.RevisionFileView.as_view(), name="revision_file"),
    path("comments/<int:pk>/resolve/", views.CommentResolveView.as_view(), name="comment_resolve"),
    # Change requests.
    path("change-requests/", views.ChangeRequestListView.as_view(), name="change_requests"),
    path(
        "change-requests/new/",
        views.ChangeRequestCreateView.as_view(),
        name="change_request_create",
    ),
    path(
        "change-requests/<int:pk>/",
        views.ChangeRequestDetailView.as_view(),
        name="change_request",
    ),
    path(
        "change-requests/<int:pk>/edit/",
        views.ChangeRequestEditView.as_view(),
        name="change_request_edit",
    ),
    path(
        "change-requests/<int:pk>/sign/",
        views.ChangeRequestSignView.as_view(),
        name="change_request_sign",
    ),
    path(
        "change-requests/<int:pk>/request-signature/",
        views.ChangeRequestSignatureRequestView.as_view(),
        name="change_request_request_signature",
    ),
    path(
        "change-requests/<int:pk>/approve/",
        views.ChangeRequestApproveView.as_view(),
        name="change_request_approve",
    ),
    path(
        "change-requests/<int:pk>/reject/",
        views.ChangeRequestRejectView.as_view(),
        name="change_request_reject",
    ),
    path(
        "change-requests/<int:pk>/open-revisions/",
        views.ChangeRequestOpenRevisionsView.as_view(),
        name="change_request_open_revisions",
    ),
    path(
        "change-requests/<int:pk>/implement/",
        views.ChangeRequestImplementView.as_view(),
        name="change_request_implement",
    ),
    # Periodic reviews.
    path("reviews/", views.ReviewListView.as_view(), name="reviews"),
    path("reviews/<int:pk>/", views.PeriodicReviewDetailView.as_view(), name="periodic_review"),
    path(
        "reviews/<int:pk>/edit/",
        views.PeriodicReviewEditView.as_view(),
        name="periodic_review_edit",
    ),
    path(
        "reviews/<int:pk>/sign/",
        views.PeriodicReviewSignView.as_view(),
        name="periodic_review_sign",
    ),
    path(
        "reviews/<int:pk>/request-signature/",
        views.PeriodicReviewSignatureRequestView.as_view(),
        name="periodic_review_request_signature",
    ),
    path(
        "reviews/<int:pk>/complete/",
        views.PeriodicReviewCompleteView.as_view(),
        name="periodic_review_complete",
    ),
    # The quality system around the documents.
    path("map/", views.QualityManualMapView.as_view(), name="map"),
    path("records/", views.RecordsRegisterView.as_view(), name="records"),
    path("numbering/", views.NumberingView.as_view(), name="numbering"),
]
