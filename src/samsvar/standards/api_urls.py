"""API routes of the standards app, included in the /api/v1/ list of `samsvar.api_urls`."""

from django.urls import path

from samsvar.standards import api

urlpatterns = [
    path("standards/", api.StandardListView.as_view(), name="standard-list"),
    path("standards/<int:pk>/", api.StandardDetailView.as_view(), name="standard-detail"),
    path(
        "devices/<int:pk>/standards/",
        api.DeviceStandardListView.as_view(),
        name="device-standard-list",
    ),
    path("devices/<int:pk>/gspr/", api.GsprChecklistView.as_view(), name="device-gspr"),
    path(
        "devices/<int:pk>/gspr/<str:number>/",
        api.GsprEntryView.as_view(),
        name="device-gspr-entry",
    ),
]
