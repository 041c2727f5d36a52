"""The project's URLs with the standards API mounted under /api/v1/, as api_urls.py will do.

Until `samsvar/api_urls.py` includes `samsvar.standards.api_urls`, the API tests use this
urlconf; once it does, this module adds nothing twice.
"""

from django.urls import include, path

from samsvar import api_urls
from samsvar import urls as project_urls
from samsvar.standards import api_urls as standards_api_urls

_included = {getattr(p.callback, "view_class", None) for p in api_urls.v1}
v1 = api_urls.v1 + [
    p for p in standards_api_urls.urlpatterns if p.callback.view_class not in _included
]

urlpatterns = [p for p in project_urls.urlpatterns if str(p.pattern) != "api/"] + [
    path(
        "api/",
        include(
            [
                path("v1/", include((v1, "api"), namespace="v1")),
                *[p for p in api_urls.urlpatterns if str(p.pattern) != "v1/"],
            ]
        ),
    ),
]

handler403 = project_urls.handler403
handler404 = project_urls.handler404
handler500 = project_urls.handler500
