"""The OpenAPI 3 schema generates cleanly and the docs page serves its assets locally."""

import yaml
from django.core.management import call_command

from tests.api.test_permissions_api import api_v1_views


def test_the_schema_has_no_warnings_and_documents_every_endpoint(tmp_path, db):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", validate=True, fail_on_warn=True, file=str(target))
    schema = yaml.safe_load(target.read_text())
    paths = schema["paths"]
    assert "/api/v1/devices/" in paths
    assert set(paths["/api/v1/devices/{id}/"]) >= {"get", "put", "patch"}
    assert "delete" not in paths["/api/v1/devices/{id}/"]
    for route, _view in api_v1_views():
        documented = "/" + route.replace("<int:pk>", "{id}").replace("<str:number>", "{number}")
        assert documented in paths, documented
    for path, operations in paths.items():
        for method, operation in operations.items():
            if method == "parameters":
                continue
            assert operation.get("tags") and operation.get("summary"), (method, path)
            assert any(code.startswith("2") for code in operation["responses"]), (method, path)
    assert "tokenAuth" in schema["components"]["securitySchemes"]
    device = schema["components"]["schemas"]["Device"]["properties"]
    assert device["target_markets"]["type"] == "array"
    assert device["basic_udi_di"]["readOnly"] is True
    request = schema["components"]["schemas"]["DeviceRequest"]["properties"]
    assert "reason" in request and "signatures" not in request
    users = schema["components"]["schemas"]["UserCreateRequest"]["properties"]
    assert users["password"]["writeOnly"] is True
    assert "password" not in schema["components"]["schemas"]["User"]["properties"]


def test_the_docs_page_uses_local_assets(client, engineer):
    assert client.get("/api/docs/").status_code == 401, "the docs are for signed-in users"
    client.force_login(engineer)
    response = client.get("/api/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "swagger-ui" in page
    assert "drf_spectacular_sidecar" in page
    assert "cdn" not in page.lower()
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/devices/" in schema.content
