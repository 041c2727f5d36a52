"""Compliance endpoints under /api/v1/ (included by samsvar.api_urls, without a namespace)."""

from django.urls import path

from samsvar.compliance import api

urlpatterns = [
    path("obligations/", api.ObligationListView.as_view(), name="obligation-list"),
    path("obligations/<int:pk>/", api.ObligationDetailView.as_view(), name="obligation-detail"),
    path("devices/<int:pk>/techdoc/", api.TechdocView.as_view(), name="device-techdoc"),
    path(
        "devices/<int:pk>/declaration/",
        api.DeclarationView.as_view(),
        name="device-declaration",
    ),
]
