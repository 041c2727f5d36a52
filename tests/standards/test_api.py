"""The standards API: register, standards per device, GSPR checklist; strict input, permissions."""

import json

import pytest
import yaml
from django.core.management import call_command

from samsvar.core import permissions as perms
from samsvar.core.models import AuditEvent
from samsvar.core.permissions import Role
from samsvar.regulatory import gspr
from samsvar.standards.models import AppliedStandard, GsprEntry, StandardEdition

STANDARDS = "/api/v1/standards/"
NEW_EDITION = {
    "number": "EN ISO 80369-7",
    "year": 2021,
    "amendments": ["A1:2023"],
    "title": "Small-bore connectors for liquids and gases in healthcare applications — Part 7",
    "harmonised": "unknown",
}


def applied_url(device):
    return f"/api/v1/devices/{device.pk}/standards/"


def gspr_url(device, number=None):
    return f"/api/v1/devices/{device.pk}/gspr/" + (f"{number}/" if number else "")


def errors_of(response) -> dict:
    assert response.status_code == 400, (response.status_code, response.content[:300])
    return response.json()


def state():
    return (
        StandardEdition.objects.count(),
        AppliedStandard.objects.count(),
        GsprEntry.objects.count(),
        AuditEvent.objects.count(),
    )


@pytest.mark.django_db
def test_register_list_filters_and_create(api_as, register):
    client = api_as("auditor")
    listed = client.get(STANDARDS, {"regime": "ivdr", "kind": "common_specification"}).json()
    assert [e["key"] for e in listed["results"]] == ["cs-2022-1107"]
    assert client.get(STANDARDS, {"q": "14971", "status": "superseded"}).json()["count"] == 1

    created = api_as("regulatory_affairs").post(STANDARDS, NEW_EDITION, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["label"] == "EN ISO 80369-7:2021+A1:2023" and body["key"] == "en-iso-80369-7-2021"
    assert StandardEdition.objects.get(pk=body["id"]).amendments == ["A1:2023"]


@pytest.mark.django_db
def test_register_patch_marks_an_edition_superseded_with_a_reason(api_as, register):
    old, new = register["en-iso-10993-1-2020"], register["en-iso-14971-2019"]
    response = api_as("quality_manager").patch(
        f"{STANDARDS}{old.pk}/",
        {"status": "superseded", "superseded_by": new.pk, "reason": "OJ update"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["superseded_by"] == new.pk
    event = AuditEvent.objects.filter(object_id=str(old.pk)).latest("seq")
    assert event.reason == "OJ update" and event.changes["status"] == ["current", "superseded"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**NEW_EDITION, "year": "twenty"}, "year"),
        ({**NEW_EDITION, "year": 1066}, "year"),
        ({**NEW_EDITION, "number": ""}, "number"),
        ({**NEW_EDITION, "harmonised": "fda"}, "harmonised"),
        ({**NEW_EDITION, "amendments": "A1:2023"}, "amendments"),
        ({**NEW_EDITION, "superseded_by": 999999}, "superseded_by"),
        ({**NEW_EDITION, "transition_end": "soon"}, "transition_end"),
        ({**NEW_EDITION, "decision_ivdr": "(EU) 2022/15"}, "decision_ivdr"),
        ({**NEW_EDITION, "key": "mine"}, "key"),
        ({**NEW_EDITION, "colour": "blue"}, "colour"),
        ({**NEW_EDITION, "number": "EN ISO 14971", "year": 2019}, "year"),
        ([NEW_EDITION], "non_field_errors"),
    ],
)
def test_bad_register_bodies_name_the_field_and_save_nothing(api_as, register, body, field):
    before = state()
    errors = errors_of(api_as("quality_manager").post(STANDARDS, body, format="json"))
    assert field in errors, errors
    assert state() == before


@pytest.mark.django_db
def test_bad_register_patch_and_filters_name_the_field(api_as, register):
    edition = register["en-iso-14971-2019"]
    client = api_as("quality_manager")
    before = state()
    errors = errors_of(
        client.patch(
            f"{STANDARDS}{edition.pk}/",
            {"superseded_by": edition.pk, "status": "superseded"},
            format="json",
        )
    )
    assert "superseded_by" in errors
    assert "regime" in errors_of(client.get(STANDARDS, {"regime": "fda"}))
    assert "colour" in errors_of(client.get(STANDARDS, {"colour": "blue"}))
    assert state() == before
    assert client.get(f"{STANDARDS}999999/").status_code == 404


@pytest.mark.django_db
def test_apply_a_standard_and_read_the_warnings(api_as, device, register):
    client = api_as("engineer")
    response = client.post(
        applied_url(device),
        {"edition": register["en-iso-13485-2012"].pk, "application": "full"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert [w["kind"] for w in response.json()["warnings"]] == ["superseded", "transition_ended"]
    listed = client.get(applied_url(device)).json()
    assert listed["count"] == 1
    warning = listed["results"][0]["warnings"][1]
    assert warning["transition_end"] == "2019-03-31" and warning["days_left"] < 0
    assert warning["severity"] == "error"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"application": "partial"}, "justification"),
        ({"application": "partial", "justification": " "}, "justification"),
        ({"application": "mostly"}, "application"),
        ({"edition": 999999}, "edition"),
        ({"edition": None}, "edition"),
        ({"device": 5}, "device"),
        ({"warnings": []}, "warnings"),
        ({"clauses": ["4", "5"]}, "clauses"),
        ({"notes": "x" * 5001}, "notes"),
    ],
)
def test_bad_applied_bodies_name_the_field_and_save_nothing(api_as, device, register, body, field):
    before = state()
    body = {"edition": register["en-60601-1-11-2015"].pk, **body}
    errors = errors_of(api_as("engineer").post(applied_url(device), body, format="json"))
    assert field in errors, errors
    assert state() == before


@pytest.mark.django_db
def test_gspr_checklist_and_patch_one_entry(api_as, device, apply):
    applied = apply(device, "en-60601-1-2006")
    client = api_as("engineer")
    response = client.patch(
        gspr_url(device, "18.7"),
        {
            "applicable": True,
            "methods": ["harmonised_standard"],
            "standards": [applied.pk],
            "evidence": ["VER-IP3-012 electrical safety test report"],
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    row = response.json()
    assert (row["status"], row["standards"], row["citation"]) == (
        "complete",
        [applied.pk],
        "MDR Annex I Section 18.7",
    )
    encoded = client.patch(
        gspr_url(device, "10.4.1%28a%29"),
        {"applicable": False, "justification": "No CMR substances (CHM-IP3-001)."},
        format="json",
    )
    assert encoded.status_code == 200 and encoded.json()["number"] == "10.4.1(a)"
    checklist = client.get(gspr_url(device)).json()
    assert checklist["summary"]["complete"] == 2
    assert checklist["requirements"] == len(gspr.assessable("mdr"))
    assert len(checklist["rows"]) == len(gspr.catalogue("mdr"))
    first = checklist["rows"][0]
    assert (first["number"], first["applicable"], first["status"]) == ("1", None, "not_assessed")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"applicable": False}, "justification"),
        ({"applicable": False, "justification": ""}, "justification"),
        ({"applicable": "perhaps"}, "applicable"),
        ({"methods": ["magic"]}, "methods"),
        ({"methods": "other"}, "methods"),
        ({"standards": [999999]}, "standards"),
        ({"standards": "all"}, "standards"),
        ({"evidence": "VER-IP3-012"}, "evidence"),
        ({"evidence": ["x" * 501]}, "evidence"),
        ({"number": "1"}, "number"),
        ({"status": "complete"}, "status"),
        ("entry", "non_field_errors"),
    ],
)
def test_bad_gspr_bodies_name_the_field_and_save_nothing(api_as, device, register, body, field):
    before = state()
    errors = errors_of(api_as("engineer").patch(gspr_url(device, "12.1"), body, format="json"))
    assert field in errors, errors
    assert state() == before


@pytest.mark.django_db
def test_gspr_unknown_requirement_or_device_is_404_and_foreign_standards_400(
    api_as, make_device, device, quality, apply
):
    foreign = apply(make_device(quality, name="Other"), "en-iso-14971-2019")
    client = api_as("engineer")
    assert client.patch(gspr_url(device, "10"), {}, format="json").status_code == 404
    assert client.patch(gspr_url(device, "99.9"), {}, format="json").status_code == 404
    assert client.get("/api/v1/devices/424242/gspr/").status_code == 404
    assert client.get("/api/v1/devices/424242/standards/").status_code == 404
    errors = errors_of(
        client.patch(gspr_url(device, "3"), {"standards": [foreign.pk]}, format="json")
    )
    assert "standards" in errors
    assert not GsprEntry.objects.exists()


def standards_routes():
    from samsvar.standards.api_urls import urlpatterns

    return [(str(p.pattern), p.callback.view_class) for p in urlpatterns]


def concrete(route, device, edition):
    return "/api/v1/" + route.replace(
        "<int:pk>", str(edition if route.startswith("standards/") else device)
    ).replace("<str:number>", "1")


@pytest.mark.django_db
@pytest.mark.parametrize("role", [r.value for r in Role])
def test_every_standards_endpoint_follows_the_permission_table(
    role, api_as, users, device, register
):
    edition = register["en-iso-14971-2019"]
    bodies = {
        ("standards/", "POST"): NEW_EDITION,
        ("standards/<int:pk>/", "PATCH"): {"notes": "Checked against the OJ list."},
        ("devices/<int:pk>/standards/", "POST"): {"edition": edition.pk},
        ("devices/<int:pk>/gspr/<str:number>/", "PATCH"): {"applicable": True},
    }
    client = api_as(role)
    for route, view in standards_routes():
        assert view.permission_map, route
        for method, code in view.permission_map.items():
            allowed = perms.has_perm(users[role], code)
            before = state()
            response = client.generic(
                method,
                concrete(route, device.pk, edition.pk),
                json.dumps(bodies.get((route, method), {})) if method != "GET" else "",
                content_type="application/json",
            )
            if allowed:
                assert response.status_code in (200, 201), (role, method, route, response.json())
            else:
                assert response.status_code == 403, (role, method, route)
                assert state() == before
        assert client.delete(concrete(route, device.pk, edition.pk)).status_code == 405


@pytest.mark.django_db
def test_anonymous_callers_get_401(device, register):
    from rest_framework.test import APIClient

    client = APIClient()
    for route, view in standards_routes():
        for method in view.permission_map:
            url = concrete(route, device.pk, register["en-iso-14971-2019"].pk)
            assert client.generic(method, url, "{}", "application/json").status_code == 401


def test_the_schema_documents_the_standards_api_without_warnings(tmp_path, db):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", validate=True, fail_on_warn=True, file=str(target))
    paths = yaml.safe_load(target.read_text())["paths"]
    assert set(paths["/api/v1/standards/"]) == {"get", "post"}
    assert set(paths["/api/v1/standards/{id}/"]) == {"get", "patch"}
    assert set(paths["/api/v1/devices/{id}/standards/"]) == {"get", "post"}
    assert set(paths["/api/v1/devices/{id}/gspr/"]) == {"get"}
    assert set(paths["/api/v1/devices/{id}/gspr/{number}/"]) == {"patch"}
    for route in ("/api/v1/standards/", "/api/v1/devices/{id}/gspr/{number}/"):
        for operation in paths[route].values():
            assert operation["tags"] == ["standards"] and operation["summary"]
