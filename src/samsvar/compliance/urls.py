from django.urls import path

from samsvar.compliance import views

app_name = "compliance"
urlpatterns = [
    path("", views.OverviewView.as_view(), name="overview"),
    path("sync/", views.SyncView.as_view(), name="sync"),
    path(
        "manufacturer/",
        views.ManufacturerObligationsView.as_view(),
        name="manufacturer_obligations",
    ),
    path("devices/<int:pk>/", views.DeviceObligationsView.as_view(), name="device_obligations"),
    path("obligations/<int:pk>/", views.ObligationEditView.as_view(), name="obligation_edit"),
    path(
        "obligations/<int:pk>/evidence/",
        views.EvidenceAddView.as_view(),
        name="evidence_add",
    ),
    path("evidence/<int:pk>/remove/", views.EvidenceRemoveView.as_view(), name="evidence_remove"),
    path("devices/<int:pk>/techdoc/", views.TechdocView.as_view(), name="techdoc"),
    path(
        "devices/<int:pk>/techdoc/add/",
        views.TechdocReferenceAddView.as_view(),
        name="techdoc_add",
    ),
    path(
        "techdoc-references/<int:pk>/remove/",
        views.TechdocReferenceRemoveView.as_view(),
        name="techdoc_remove",
    ),
    path("devices/<int:pk>/declaration/", views.DeclarationView.as_view(), name="declaration"),
    path(
        "devices/<int:pk>/declaration/edit/",
        views.DeclarationEditView.as_view(),
        name="declaration_edit",
    ),
    path(
        "devices/<int:pk>/declaration/sign/",
        views.DeclarationSignView.as_view(),
        name="declaration_sign",
    ),
    path(
        "devices/<int:pk>/declaration/request-signature/",
        views.DeclarationSignatureRequestView.as_view(),
        name="declaration_request_signature",
    ),
    path(
        "devices/<int:pk>/declaration.pdf",
        views.DeclarationDocumentView.as_view(kind="pdf"),
        name="declaration_pdf",
    ),
    path(
        "devices/<int:pk>/declaration.docx",
        views.DeclarationDocumentView.as_view(kind="docx"),
        name="declaration_docx",
    ),
    path(
        "declarations/<int:pk>/",
        views.DeclarationRecordView.as_view(),
        name="declaration_record",
    ),
    path("statements/", views.StatementListView.as_view(), name="statements"),
    path("statements/new/", views.StatementCreateView.as_view(), name="statement_create"),
    path("statements/<int:pk>/", views.StatementDetailView.as_view(), name="statement"),
    path("statements/<int:pk>/sign/", views.StatementSignView.as_view(), name="statement_sign"),
    path(
        "statements/<int:pk>/request-signature/",
        views.StatementSignatureRequestView.as_view(),
        name="statement_request_signature",
    ),
    path(
        "statements/<int:pk>/statement.pdf",
        views.StatementPdfView.as_view(),
        name="statement_pdf",
    ),
]
