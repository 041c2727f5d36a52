"""The permission walk: every endpoint declares a code per method, and the API enforces it.

Modelled on netbox's API tests: each endpoint is called as every role; the status must follow
the permission table in core/permissions.py, never a hand-written expectation per test.
"""

import json

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from samsvar.accounts.models import Organisation, Prrc, User
from samsvar.core import permissions as perms
from samsvar.core.api import PUBLIC, ApiView
from samsvar.core.models import AuditEvent, Signature, SignatureRequest
from samsvar.core.permissions import Role
from samsvar.core.services import meanings_for
from samsvar.devices.models import Device
from tests import app_worlds
from tests.conftest import PASSWORD


def api_v1_views():
    """(route, view class) for every URL under /api/v1/."""
    found = []

    def walk(patterns, prefix):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern) and route.startswith("api/v1/"):
                found.append((route, pattern.callback.view_class))

    walk(get_resolver().url_patterns, "")
    return found


def test_every_endpoint_declares_known_permission_codes_per_method():
    views = api_v1_views()
    assert len(views) >= 14
    for route, view in views:
        assert issubclass(view, ApiView), route
        assert view.permission_map, f"{route} declares no permissions"
        for method, required in view.permission_map.items():
            assert method in {"GET", "POST", "PUT", "PATCH"}, (route, method)
            assert hasattr(view, method.lower()), f"{route} declares {method} without a handler"
            codes = required if isinstance(required, tuple) else (required,)
            for code in codes:
                assert code == PUBLIC or code in perms.PERMISSIONS, (route, code)
        handlers = {m.upper() for m in view.http_method_names if hasattr(view, m)}
        undeclared = handlers - set(view.permission_map) - {"OPTIONS", "HEAD"}
        assert not undeclared, f"{route} handles {undeclared} without declaring a permission"
    public = [route for route, view in views if PUBLIC in view.permission_map.values()]
    assert public == ["api/v1/auth/token/"]


@pytest.fixture
def world(users, device, quality):
    from samsvar.accounts.services import organisation_save, prrc_save

    organisation_save(actor=quality, name="Fjordmed AS", address="Oslo")
    prrc = prrc_save(
        actor=quality,
        full_name="Kari Nordmann",
        qualification_route="degree",
        degree="MSc",
        years_experience=3,
        evidence="Diploma in the QMS archive.",
    )
    from samsvar.devices.demo import PUMP_PROFILE, _complete
    from samsvar.devices.services import classification_save
    from samsvar.standards.models import StandardEdition
    from samsvar.standards.services import standards_register_seed

    classification_save(
        actor=quality, device=device, profile=_complete("mdr", PUMP_PROFILE), rationale="Rule 12"
    )
    standards_register_seed(quality)
    standard = StandardEdition.objects.get(key="en-iso-14971-2019").pk
    from samsvar.compliance.models import Obligation
    from samsvar.compliance.services import obligations_sync

    obligations_sync(actor=quality, device=device)
    extra = app_worlds.build(device=device, users=users)
    return {key: value.pk for key, value in extra.items()} | {
        "obligation": Obligation.objects.filter(device=device).first().pk,
        "device": device.pk,
        "user": users["engineer"].pk,
        "prrc": prrc.pk,
        "standard": standard,
    }


def valid_bodies(world, users):
    """A valid body for every write, so a 403 is about permission and not about input."""
    return app_worlds.api_bodies(world, users) | {
        ("api/v1/devices/", "POST"): {
            "name": "New device",
            "model_number": "N-1",
            "regime": "mdr",
            "intended_purpose": "Measures things.",
            "intended_users": "professional",
        },
        ("api/v1/devices/<int:pk>/", "PUT"): {
            "name": "Renamed device",
            "model_number": "R-1",
            "regime": "mdr",
            "intended_purpose": "Measures things.",
            "intended_users": "professional",
        },
        ("api/v1/devices/<int:pk>/", "PATCH"): {"model_number": "P-1"},
        ("api/v1/devices/<int:pk>/sign/", "POST"): {"meaning": "reviewed", "password": PASSWORD},
        ("api/v1/devices/<int:pk>/classification/sign/", "POST"): {
            "meaning": "reviewed",
            "password": PASSWORD,
        },
        ("api/v1/users/", "POST"): {
            "username": "newcomer",
            "password": "Another-long-passord-7",
            "full_name": "New Comer",
            "role": "engineer",
        },
        ("api/v1/users/<int:pk>/", "PATCH"): {"job_title": "Senior engineer"},
        ("api/v1/organisation/", "PATCH"): {"phone": "+47 22 00 00 00"},
        ("api/v1/prrcs/", "POST"): {
            "full_name": "Ola Nordmann",
            "qualification_route": "experience",
            "years_experience": "5.0",
            "evidence": "CV on file.",
        },
        ("api/v1/prrcs/<int:pk>/", "PATCH"): {"email": "kari@fjordmed.no"},
        ("api/v1/signature-requests/", "POST"): {
            "object_type": "devices.device",
            "object_id": str(world["device"]),
            "signer": users["approver"].pk,
            "meaning": "approved",
        },
        ("api/v1/auth/token/", "POST"): {"username": "engineer", "password": PASSWORD},
        ("api/v1/standards/", "POST"): {
            "number": "EN ISO 80369-7",
            "year": 2021,
            "title": "Small-bore connectors - Part 7",
            "harmonised": "unknown",
        },
        ("api/v1/standards/<int:pk>/", "PATCH"): {"notes": "Checked against the OJ list."},
        ("api/v1/obligations/<int:pk>/", "PATCH"): {"status": "in_progress"},
        ("api/v1/devices/<int:pk>/declaration/", "PUT"): {
            "place_of_issue": "Oslo",
            "date_of_issue": "2026-11-20",
            "signatory_name": "Ingrid Solberg",
            "signatory_function": "Managing director",
        },
        ("api/v1/devices/<int:pk>/standards/", "POST"): {"edition": world["standard"]},
        ("api/v1/devices/<int:pk>/gspr/<str:number>/", "PATCH"): {"applicable": True},
        ("api/v1/devices/<int:pk>/classification/", "PUT"): {
            "profile": {"invasiveness": "non_invasive", "contact": "intact_skin"},
            "rationale": "Reclassified for the walk.",
            "reason": "Permission walk",
        },
    }


def concrete(route, world):
    url = "/" + route
    if "<int:pk>" in url:
        kind = route.split("/")[2]
        key = {
            "devices": "device",
            "users": "user",
            "prrcs": "prrc",
            "standards": "standard",
            "obligations": "obligation",
        } | app_worlds.merged("API_OBJECTS")
        key = key[kind]
        url = url.replace("<int:pk>", str(world[key]))
    url = url.replace("<str:number>", "1")
    return url


def counts():
    return [
        m.objects.count() for m in (Device, User, Organisation, Prrc, Signature, SignatureRequest)
    ]


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_the_api_follows_the_permission_table_for_every_role(role, world, users, api_as):
    bodies = valid_bodies(world, users)
    user = users[role]
    # Sign with a meaning the role holds, so the walk tests the endpoint, not the meaning rule.
    meanings = meanings_for(user)
    if meanings:
        for (route, _method), body in bodies.items():
            if route.endswith("/sign/"):
                body["meaning"] = meanings[0].value
    for route, view in api_v1_views():
        for method, required in view.permission_map.items():
            if required == PUBLIC:
                continue
            codes = required if isinstance(required, tuple) else (required,)
            allowed = any(perms.has_perm(user, code) for code in codes)
            before = counts()
            trail = AuditEvent.objects.count()
            response = api_as(role).generic(
                method,
                concrete(route, world),
                data=json.dumps(bodies.get((route, method), {})) if method != "GET" else "",
                content_type="application/json",
            )
            if allowed:
                assert response.status_code != 403, (role, method, route, response.json())
                assert response.status_code < 500
            else:
                assert response.status_code == 403, (role, method, route, response.status_code)
                assert counts() == before, (role, method, route, "a refused write saved data")
                assert AuditEvent.objects.count() == trail


def test_the_auditor_role_can_read_everything_and_write_nothing(world, users, api_as):
    auditor = users["auditor"]
    bodies = valid_bodies(world, users)
    client = api_as("auditor")
    writes = 0
    for route, view in api_v1_views():
        for method in view.permission_map:
            if view.permission_map[method] == PUBLIC:
                continue
            url = concrete(route, world)
            if method == "GET":
                if route.startswith("api/v1/users/"):
                    assert client.get(url).status_code == 403, "user admin is not an audit read"
                else:
                    assert client.get(url).status_code == 200, route
                continue
            writes += 1
            response = client.generic(
                method, url, json.dumps(bodies[(route, method)]), content_type="application/json"
            )
            assert response.status_code == 403, (method, route)
    assert writes >= 9
    assert not AuditEvent.objects.filter(actor_id=auditor.pk).exists()


def test_engineers_cannot_manage_users(world, users, api_as, engineer):
    client = api_as("engineer")
    assert client.get("/api/v1/users/").status_code == 403
    promote = client.patch(
        f"/api/v1/users/{engineer.pk}/", {"role": "administrator"}, format="json"
    )
    assert promote.status_code == 403
    engineer.refresh_from_db()
    assert engineer.role == "engineer"
    create = client.post(
        "/api/v1/users/",
        {"username": "x", "password": "Long-enough-pass-1", "full_name": "X", "role": "engineer"},
        format="json",
    )
    assert create.status_code == 403
    assert not User.objects.filter(username="x").exists()


def test_anonymous_callers_get_401_everywhere_but_the_token_endpoint(world, api):
    for route, view in api_v1_views():
        for method, required in view.permission_map.items():
            if required == PUBLIC:
                continue
            response = api.generic(method, concrete(route, world), "{}", "application/json")
            assert response.status_code == 401, (method, route)


def test_undeclared_methods_answer_405_with_the_allowed_ones(world, api_as):
    client = api_as("administrator")
    device = client.delete(f"/api/v1/devices/{world['device']}/")
    assert device.status_code == 405
    assert device["Allow"] == "GET, PUT, PATCH, HEAD"
    assert client.put("/api/v1/organisation/", {}, format="json").status_code == 405
    assert client.delete(f"/api/v1/users/{world['user']}/").status_code == 405
    assert client.get(f"/api/v1/devices/{world['device']}/sign/").status_code == 405
    assert api_as("auditor").head(f"/api/v1/devices/{world['device']}/").status_code == 200
    assert User.objects.filter(pk=world["user"]).exists()


def test_missing_records_are_404_on_every_record_endpoint(world, api_as):
    client = api_as("administrator")
    for suffix in ("", "history/", "versions/"):
        assert client.get(f"/api/v1/devices/424242/{suffix}").status_code == 404
    sign = client.post(
        "/api/v1/devices/424242/sign/",
        {"meaning": "authored", "password": PASSWORD},
        format="json",
    )
    assert sign.status_code == 404
    assert client.get("/api/v1/users/424242/").status_code == 404
    assert client.get("/api/v1/prrcs/424242/").status_code == 404
