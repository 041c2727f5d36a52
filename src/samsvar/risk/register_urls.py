"""Part of the risk app URL configuration, included by samsvar.risk.urls: the register, the
matrix, traceability and history, production and post-production information, FMEA."""

from django.urls import path

from samsvar.risk import register_views as views

urlpatterns: list = [
    path("devices/<int:pk>/register/", views.RegisterView.as_view(), name="register"),
    path("devices/<int:pk>/matrix/", views.MatrixView.as_view(), name="matrix"),
    path("devices/<int:pk>/traceability/", views.TraceabilityView.as_view(), name="trace"),
    path("risks/<int:pk>/history/", views.RiskHistoryView.as_view(), name="risk_history"),
    path("risks/<int:pk>/review-flag/", views.RiskFlagClearView.as_view(), name="risk_flag_clear"),
    path("flagged/", views.FlaggedRisksView.as_view(), name="flagged"),
    path("devices/<int:pk>/post-production/", views.PostmarketView.as_view(), name="postmarket"),
    path(
        "devices/<int:pk>/post-production/add/",
        views.ProductionInfoCreateView.as_view(),
        name="postmarket_add",
    ),
    path(
        "post-production/<int:pk>/",
        views.ProductionInfoDetailView.as_view(),
        name="production_info",
    ),
    path(
        "post-production/<int:pk>/edit/",
        views.ProductionInfoEditView.as_view(),
        name="production_info_edit",
    ),
    path(
        "post-production/<int:pk>/review/",
        views.ProductionInfoReviewView.as_view(),
        name="production_info_review",
    ),
    path(
        "post-production/<int:pk>/delete/",
        views.ProductionInfoDeleteView.as_view(),
        name="production_info_delete",
    ),
    path("devices/<int:pk>/fmea/", views.FmeaListView.as_view(), name="device_fmea"),
    path("devices/<int:pk>/fmea/add/", views.FmeaCreateView.as_view(), name="device_fmea_add"),
    path("fmea/<int:pk>/", views.FmeaWorksheetView.as_view(), name="fmea"),
    path("fmea/<int:pk>/edit/", views.FmeaEditView.as_view(), name="fmea_edit"),
    path("fmea/<int:pk>/delete/", views.FmeaDeleteView.as_view(), name="fmea_delete"),
    path("fmea/<int:pk>/rows/add/", views.FmeaRowAddView.as_view(), name="fmea_add_row"),
    path("fmea/rows/<int:pk>/", views.FmeaRowView.as_view(), name="fmea_row"),
    path("fmea/rows/<int:pk>/edit/", views.FmeaRowEditView.as_view(), name="fmea_row_edit"),
    path("fmea/rows/<int:pk>/delete/", views.FmeaRowDeleteView.as_view(), name="fmea_row_delete"),
    path("fmea/rows/<int:pk>/hazard/", views.FmeaRowHazardView.as_view(), name="fmea_row_hazard"),
]
