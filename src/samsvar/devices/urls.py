from django.urls import path

from samsvar.devices import classification_views, views

app_name = "devices"
urlpatterns = [
    path("", views.DeviceListView.as_view(), name="list"),
    path("new/", views.DeviceCreateView.as_view(), name="create"),
    path("<int:pk>/", views.DeviceDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.DeviceEditView.as_view(), name="edit"),
    path("<int:pk>/sign/", views.DeviceSignView.as_view(), name="sign"),
    path(
        "<int:pk>/request-signature/",
        views.DeviceSignatureRequestView.as_view(),
        name="request_signature",
    ),
    path("<int:pk>/versions/<int:version>/", views.DeviceVersionView.as_view(), name="version"),
    path(
        "<int:pk>/classify/",
        classification_views.ClassificationWizardView.as_view(),
        name="classify",
    ),
    path(
        "<int:pk>/classification/",
        classification_views.ClassificationDetailView.as_view(),
        name="classification",
    ),
    path(
        "<int:pk>/classification/sign/",
        classification_views.ClassificationSignView.as_view(),
        name="classification_sign",
    ),
]
