from django.urls import path

from samsvar.core import views

app_name = "core"
urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("healthz", views.healthz, name="healthz"),
    path("audit/", views.AuditLogView.as_view(), name="audit_log"),
    path("audit/export.csv", views.AuditExportView.as_view(), name="audit_export"),
    path("signatures/", views.SignatureRequestListView.as_view(), name="signatures"),
    path(
        "signatures/<int:pk>/cancel/",
        views.SignatureRequestCancelView.as_view(),
        name="signature_request_cancel",
    ),
]
