"""Risk endpoints under /api/v1/ (included by samsvar.api_urls, without a namespace).

The file of a device lives under devices/<pk>/risk/; each record has its own address under a
risk-* segment (risk-hazards/<pk>/, ...) with history/, versions/ and sign/ beside it.
"""

from django.urls import path

from samsvar.risk import api


def evidence(prefix: str, name: str, views) -> list:
    history, versions, sign = views
    return [
        path(f"{prefix}history/", history.as_view(), name=f"{name}-history"),
        path(f"{prefix}versions/", versions.as_view(), name=f"{name}-versions"),
        path(f"{prefix}sign/", sign.as_view(), name=f"{name}-sign"),
    ]


def records(segment: str, name: str, list_view, detail_view, views) -> list:
    """devices/<pk>/risk/<segment>/ for the list, risk-<segment>/<pk>/ for one record."""
    return [
        path(f"devices/<int:pk>/risk/{segment}/", list_view.as_view(), name=f"device-{name}-list"),
        path(f"risk-{segment}/<int:pk>/", detail_view.as_view(), name=f"{name}-detail"),
        *evidence(f"risk-{segment}/<int:pk>/", name, views),
    ]


DEVICE = "devices/<int:pk>/risk/"

urlpatterns = [
    path(f"{DEVICE}plan/", api.PlanView.as_view(), name="device-risk-plan"),
    path(
        f"{DEVICE}plan/level-changes/",
        api.PlanLevelChangesView.as_view(),
        name="device-risk-plan-level-changes",
    ),
    *evidence(f"{DEVICE}plan/", "device-risk-plan", api.PLAN_EVIDENCE),
    path(f"{DEVICE}analysis/", api.AnalysisView.as_view(), name="device-risk-analysis"),
    *evidence(f"{DEVICE}analysis/", "device-risk-analysis", api.ANALYSIS_EVIDENCE),
    path(f"{DEVICE}overall/", api.OverallView.as_view(), name="device-risk-overall"),
    *evidence(f"{DEVICE}overall/", "device-risk-overall", api.OVERALL_EVIDENCE),
    path(f"{DEVICE}gaps/", api.GapsView.as_view(), name="device-risk-gaps"),
    path(f"{DEVICE}matrix/", api.MatrixView.as_view(), name="device-risk-matrix"),
    path(f"{DEVICE}table/", api.RiskTableView.as_view(), name="device-risk-table"),
    *records(
        "safety-characteristics",
        "risk-safety-characteristic",
        api.SafetyCharacteristicListView,
        api.SafetyCharacteristicDetailView,
        api.SAFETY_EVIDENCE,
    ),
    *records(
        "hazards", "risk-hazard", api.HazardListView, api.HazardDetailView, api.HAZARD_EVIDENCE
    ),
    *records(
        "situations",
        "risk-situation",
        api.SituationListView,
        api.SituationDetailView,
        api.SITUATION_EVIDENCE,
    ),
    *records("harms", "risk-harm", api.HarmListView, api.HarmDetailView, api.HARM_EVIDENCE),
    path(f"{DEVICE}risks/", api.RiskListView.as_view(), name="device-risk-risk-list"),
    path("risk-risks/<int:pk>/", api.RiskDetailView.as_view(), name="risk-risk-detail"),
    path("risk-risks/<int:pk>/history/", api.RiskHistoryView.as_view(), name="risk-risk-history"),
    path(
        "risk-risks/<int:pk>/versions/",
        api.RISK_EVIDENCE[1].as_view(),
        name="risk-risk-versions",
    ),
    path("risk-risks/<int:pk>/sign/", api.RISK_EVIDENCE[2].as_view(), name="risk-risk-sign"),
    path(
        "risk-risks/<int:pk>/clear-flag/",
        api.RiskFlagClearView.as_view(),
        name="risk-risk-clear-flag",
    ),
    *records(
        "controls",
        "risk-control",
        api.ControlListView,
        api.ControlDetailView,
        api.CONTROL_EVIDENCE,
    ),
    path(
        "risk-controls/<int:pk>/verify/",
        api.ControlVerifyView.as_view(),
        name="risk-control-verify",
    ),
    *records(
        "benefit-risk",
        "risk-benefit-risk",
        api.BenefitRiskListView,
        api.BenefitRiskDetailView,
        api.BENEFIT_RISK_EVIDENCE,
    ),
    *records(
        "production-info",
        "risk-production-info",
        api.ProductionInfoListView,
        api.ProductionInfoDetailView,
        api.PRODUCTION_INFO_EVIDENCE,
    ),
    path(
        "risk-production-info/<int:pk>/review/",
        api.ProductionInfoReviewView.as_view(),
        name="risk-production-info-review",
    ),
    *records(
        "fmea-worksheets",
        "risk-fmea-worksheet",
        api.FmeaWorksheetListView,
        api.FmeaWorksheetDetailView,
        api.WORKSHEET_EVIDENCE,
    ),
    path(
        "risk-fmea-worksheets/<int:pk>/rows/",
        api.FmeaRowListView.as_view(),
        name="risk-fmea-worksheet-rows",
    ),
    path("risk-fmea-rows/<int:pk>/", api.FmeaRowDetailView.as_view(), name="risk-fmea-row-detail"),
    *evidence("risk-fmea-rows/<int:pk>/", "risk-fmea-row", api.FMEA_ROW_EVIDENCE),
    path(
        "risk-fmea-rows/<int:pk>/hazard/",
        api.FmeaRowHazardView.as_view(),
        name="risk-fmea-row-hazard",
    ),
    *records(
        "reviews", "risk-review", api.ReviewListView, api.ReviewDetailView, api.REVIEW_EVIDENCE
    ),
    *records(
        "reports", "risk-report", api.ReportListView, api.ReportDetailView, api.REPORT_EVIDENCE
    ),
    path(
        "risk-reports/<int:pk>/download/",
        api.ReportDownloadView.as_view(),
        name="risk-report-download",
    ),
]
