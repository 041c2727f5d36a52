from django.urls import include, path

urlpatterns = [
    path("", include("samsvar.core.urls")),
    path("accounts/", include("samsvar.accounts.urls")),
    path("devices/", include("samsvar.devices.urls")),
    path("standards/", include("samsvar.standards.urls")),
    path("compliance/", include("samsvar.compliance.urls")),
    path("risk/", include("samsvar.risk.urls")),
    path("documents/", include("samsvar.documents.urls")),
    path("training/", include("samsvar.training.urls")),
    path("api/", include("samsvar.api_urls")),
]

handler403 = "samsvar.core.views.permission_denied"
handler404 = "samsvar.core.views.page_not_found"
handler500 = "samsvar.core.views.server_error"
