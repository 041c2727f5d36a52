"""Documents endpoints under /api/v1/ (included by samsvar.api_urls, without a namespace)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
