"""Part of the risk app URL configuration, included by samsvar.risk.urls: the risk management
report of a device and the issued reports."""

from django.urls import path

from samsvar.risk import report_views as views

urlpatterns: list = [
    path("devices/<int:pk>/report/", views.ReportPreviewView.as_view(), name="device_report"),
    path(
        "devices/<int:pk>/report.pdf",
        views.ReportDocumentView.as_view(fmt="pdf"),
        name="device_report_pdf",
    ),
    path(
        "devices/<int:pk>/report.docx",
        views.ReportDocumentView.as_view(fmt="docx"),
        name="device_report_docx",
    ),
    path(
        "devices/<int:pk>/report/issue/",
        views.ReportIssueView.as_view(),
        name="device_report_issue",
    ),
    path("devices/<int:pk>/reports/", views.ReportListView.as_view(), name="device_reports"),
    path("reports/<int:pk>/", views.IssuedReportView.as_view(), name="report"),
    path(
        "reports/<int:pk>/download/",
        views.IssuedReportDownloadView.as_view(),
        name="report_download",
    ),
    path("reports/<int:pk>/sign/", views.IssuedReportSignView.as_view(), name="report_sign"),
    path(
        "reports/<int:pk>/request-signature/",
        views.IssuedReportSignatureRequestView.as_view(),
        name="report_request_signature",
    ),
]
