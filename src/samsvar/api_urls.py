"""The REST API at /api/v1/, its OpenAPI 3 schema (/api/schema/) and docs (/api/docs/)."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from samsvar.accounts import api as accounts_api
from samsvar.compliance import api_urls as compliance_api_urls
from samsvar.core import api as core_api
from samsvar.devices import api as devices_api
from samsvar.documents import api_urls as documents_api_urls
from samsvar.risk import api_urls as risk_api_urls
from samsvar.standards import api_urls as standards_api_urls
from samsvar.training import api_urls as training_api_urls

v1 = [
    path("auth/token/", accounts_api.TokenView.as_view(), name="token"),
    path("me/", accounts_api.MeView.as_view(), name="me"),
    path("users/", accounts_api.UserListView.as_view(), name="user-list"),
    path("users/<int:pk>/", accounts_api.UserDetailView.as_view(), name="user-detail"),
    path("organisation/", accounts_api.OrganisationView.as_view(), name="organisation"),
    path("prrcs/", accounts_api.PrrcListView.as_view(), name="prrc-list"),
    path("prrcs/<int:pk>/", accounts_api.PrrcDetailView.as_view(), name="prrc-detail"),
    path("devices/", devices_api.DeviceListView.as_view(), name="device-list"),
    path("devices/<int:pk>/", devices_api.DeviceDetailView.as_view(), name="device-detail"),
    path(
        "devices/<int:pk>/history/",
        devices_api.DeviceHistoryView.as_view(),
        name="device-history",
    ),
    path(
        "devices/<int:pk>/versions/",
        devices_api.DeviceVersionsView.as_view(),
        name="device-versions",
    ),
    path("devices/<int:pk>/sign/", devices_api.DeviceSignView.as_view(), name="device-sign"),
    path(
        "devices/<int:pk>/classification/",
        devices_api.DeviceClassificationView.as_view(),
        name="device-classification",
    ),
    path(
        "devices/<int:pk>/classification/sign/",
        devices_api.DeviceClassificationSignView.as_view(),
        name="device-classification-sign",
    ),
    path("audit-events/", core_api.AuditEventListView.as_view(), name="audit-event-list"),
    path(
        "signature-requests/",
        core_api.SignatureRequestListView.as_view(),
        name="signature-request-list",
    ),
    *standards_api_urls.urlpatterns,
    *compliance_api_urls.urlpatterns,
    *risk_api_urls.urlpatterns,
    *documents_api_urls.urlpatterns,
    *training_api_urls.urlpatterns,
]

urlpatterns = [
    path("v1/", include((v1, "api"), namespace="v1")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
