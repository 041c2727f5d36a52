"""Walk every URL and API endpoint as every role and compare with the permission table.

Each page declares `permission` (or `public = True`); each API endpoint declares a
`permission_map` per HTTP method. A role that the table does not grant must get 403 or 404;
a role that it grants must not get 403. A URL without a declaration fails the walk.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.test import APIClient

from samsvar.core import permissions as perms
from samsvar.core.api import PUBLIC, declared_permission
from samsvar.core.permissions import Role
from tests import app_worlds
from tests.conftest import PASSWORD

DENIED = {403, 404}
# The schema and its documentation page are open to every signed-in role.
SCHEMA_VIEWS = (SpectacularAPIView, SpectacularSwaggerView)


def url_patterns(patterns=None, namespace=""):
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            inner = (
                f"{namespace}:{entry.namespace}"
                if namespace and entry.namespace
                else (entry.namespace or namespace)
            )
            yield from url_patterns(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern):
            yield (f"{namespace}:{entry.name}" if namespace else entry.name), entry


def view_kind(pattern):
    callback = pattern.callback
    view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    return callback, view_class


@pytest.fixture
def world(users, make_device):
    from samsvar.accounts.services import organisation_save, prrc_save
    from samsvar.core.services import record_sign, signature_request_create

    quality = users[Role.QUALITY_MANAGER]
    device = make_device(quality, name="Walk pump")
    organisation_save(actor=quality, name="Fjordmed AS", address="Oslo")
    prrc = prrc_save(
        actor=quality,
        full_name="Kari Nordmann",
        regimes="both",
        qualification_route="experience",
        years_experience="5",
        evidence="CV",
        evidence_file=SimpleUploadedFile("cv.pdf", b"%PDF-1.7 CV of Kari Nordmann"),
    )
    request = signature_request_create(
        actor=quality, record=device, signer=users[Role.APPROVER], meaning="approved"
    )
    from samsvar.compliance import services as compliance
    from samsvar.compliance.models import Obligation
    from samsvar.devices.demo import PUMP_PROFILE, _complete
    from samsvar.devices.services import classification_save
    from samsvar.standards.services import applied_standard_add, standards_register_seed

    classification_save(
        actor=quality, device=device, profile=_complete("mdr", PUMP_PROFILE), rationale="Rule 12"
    )
    device.refresh_from_db()
    record_sign(actor=users[Role.APPROVER], record=device, meaning="approved", password=PASSWORD)
    standards_register_seed(quality)
    applied = applied_standard_add(
        actor=quality, device=device, edition=_edition("en-iso-14971-2019")
    )
    compliance.obligations_sync(actor=quality, device=device)
    obligation = Obligation.objects.filter(device=device).first()
    evidence = compliance.obligation_evidence_add(
        actor=quality, obligation=obligation, external_reference="SOP-004 Document control"
    )
    reference = compliance.techdoc_reference_add(
        actor=quality,
        device=device,
        section_key=_first_techdoc_section(device),
        document_number="TD-1",
        title="Device description",
        location="QMS archive",
    )
    declaration = compliance.declaration_save(
        actor=quality,
        device=device,
        place_of_issue="Oslo",
        date_of_issue="2026-11-20",
        signatory_name="Ingrid Solberg",
        signatory_function="Managing director",
        notified_body_name="Example Notified Body",
        notified_body_number="0000",
        conformity_procedure="Annex IX",
        certificate="C-1",
    )
    statement = compliance.compliance_statement_create(actor=quality)
    return app_worlds.build(device=device, users=users) | {
        "device": device,
        "prrc": prrc,
        "user": users[Role.ENGINEER],
        "request": request,
        "applied": applied,
        "obligation": obligation,
        "evidence": evidence,
        "reference": reference,
        "declaration": declaration,
        "statement": statement,
    }


def _edition(key):
    from samsvar.standards.models import StandardEdition

    return StandardEdition.objects.get(key=key)


def _first_techdoc_section(device):
    from samsvar.regulatory import techdoc

    return next(s.key for s in techdoc.sections(device.regime) if not s.heading)


def kwargs_for(name, pattern, world):
    converters = pattern.pattern.converters
    kwargs = {}
    # URL names whose pk is not a device's, and the world object they name.
    objects = {
        "standards:applied_edit": "applied",
        "standards:applied_remove": "applied",
        "compliance:obligation_edit": "obligation",
        "compliance:evidence_add": "obligation",
        "compliance:evidence_remove": "evidence",
        "compliance:techdoc_remove": "reference",
        "compliance:declaration_record": "declaration",
        "compliance:statement": "statement",
    } | app_worlds.merged("URL_OBJECTS")
    if "pk" in converters:
        match = next((key for key in objects if name.startswith(key)), None)
        if match is not None:
            kwargs["pk"] = world[objects[match]].pk
        elif name in {"standards:detail", "standards:edit"}:
            kwargs["pk"] = _edition("en-iso-14971-2019").pk
        elif "prrc" in name:
            kwargs["pk"] = world["prrc"].pk
        elif "user" in name:
            kwargs["pk"] = world["user"].pk
        elif "signature_request" in name:
            kwargs["pk"] = world["request"].pk
        else:
            kwargs["pk"] = world["device"].pk
    if "version" in converters:
        kwargs["version"] = 1
    if "number" in converters:
        kwargs["number"] = "1"
    unknown = set(converters) - set(kwargs)
    assert not unknown, f"{name}: the walk does not know how to fill {unknown}"
    return kwargs


def all_routes(world):
    routes = []
    for name, pattern in url_patterns():
        if name is None:
            continue
        url = reverse(name, kwargs=kwargs_for(name, pattern, world))
        routes.append((name, pattern, url + QUERIES.get(name, "")))
    return routes


# Pages that name their object in the query string.
QUERIES = {"standards:gspr_entry": "?number=1"} | app_worlds.merged("QUERIES")


def is_public(callback, view_class) -> bool:
    return bool(
        getattr(callback, "public", False)
        or getattr(view_class, "public", False)
        or PUBLIC in getattr(view_class, "permission_map", {}).values()
    )


def grants(role, code) -> bool:
    if code in (None, PUBLIC):
        return code == PUBLIC
    codes = code if isinstance(code, tuple) else (code,)
    return any(role in perms.PERMISSIONS[c] for c in codes)


@pytest.mark.django_db
def test_every_url_declares_its_permission(world):
    missing = []
    for name, pattern, _url in all_routes(world):
        callback, view_class = view_kind(pattern)
        if view_class is not None and issubclass(view_class, SCHEMA_VIEWS):
            continue
        declared = (
            getattr(callback, "public", False)
            or getattr(view_class, "public", False)
            or getattr(view_class, "permission", "")
            or getattr(view_class, "permission_map", None)
        )
        if not declared:
            missing.append(name)
        if getattr(view_class, "permission", ""):
            assert view_class.permission in perms.PERMISSIONS, name
    assert missing == []


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_each_role_gets_exactly_what_the_table_grants(role, world, users, client):
    user = users[role]
    client.force_login(user)
    api = APIClient()
    api.force_authenticate(user)
    problems = []
    for name, pattern, url in all_routes(world):
        callback, view_class = view_kind(pattern)
        if getattr(callback, "public", False) or getattr(view_class, "public", False):
            continue
        if view_class is not None and issubclass(view_class, SCHEMA_VIEWS):
            status = api.get(url).status_code
            if status >= 400:
                problems.append(f"GET {url}: {status} for a signed-in role")
            continue
        if hasattr(view_class, "permission_map"):
            view = view_class()
            for method in ("GET", "POST", "PUT", "PATCH", "DELETE"):
                code = declared_permission(view, method)
                if code is None:
                    status = getattr(api, method.lower())(url, {}, format="json").status_code
                    if status != 405:
                        problems.append(f"{method} {url}: {status}, expected 405 (undeclared)")
                    continue
                status = getattr(api, method.lower())(url, {}, format="json").status_code
                allowed = grants(role, code)
                if (allowed and status == 403) or (not allowed and status not in DENIED):
                    problems.append(f"{method} {url}: {status}, table says {allowed}")
                if status >= 500:
                    problems.append(f"{method} {url}: server error {status}")
            continue
        code = view_class.permission
        allowed = grants(role, code)
        methods = ["GET"] + (["POST"] if hasattr(view_class, "post") else [])
        for method in methods:
            response = getattr(client, method.lower())(url, {})
            status = response.status_code
            if method == "GET" and not hasattr(view_class, "get"):
                if status not in (405, *DENIED):
                    problems.append(f"GET {url}: {status}")
                continue
            if (allowed and status == 403) or (not allowed and status not in DENIED):
                problems.append(f"{method} {url} ({name}): {status}, table says {allowed}")
            if allowed and method == "GET" and status == 404:
                problems.append(f"GET {url} ({name}): 404 although the walk gave a real object")
            if status >= 500:
                problems.append(f"{method} {url}: server error {status}")
    assert problems == []


@pytest.mark.django_db
def test_anonymous_visitors_reach_only_public_pages(world, client):
    api = APIClient()
    for _name, pattern, url in all_routes(world):
        callback, view_class = view_kind(pattern)
        if is_public(callback, view_class):
            continue
        if url.startswith("/api/"):
            assert api.get(url).status_code in (401, 403), url
        else:
            response = client.get(url)
            assert response.status_code == 302, url
            assert response["Location"].startswith(reverse("accounts:login")), url


@pytest.mark.django_db
def test_the_auditor_role_holds_no_write_permission():
    writes = {
        code
        for code in perms.PERMISSIONS
        if code
        not in {
            perms.RECORD_VIEW,
            perms.AUDIT_VIEW,
            perms.AUDIT_EXPORT,
            perms.DOCUMENT_ARCHIVE_VIEW,
        }
    }
    assert not [code for code in writes if Role.AUDITOR in perms.PERMISSIONS[code]]


@pytest.mark.django_db
def test_services_enforce_the_table_too(users, device):
    from django.core.exceptions import PermissionDenied

    from samsvar.devices.services import device_create, device_update

    with pytest.raises(PermissionDenied):
        device_update(actor=users[Role.AUDITOR], device=device, model_number="X")
    with pytest.raises(PermissionDenied):
        device_create(
            actor=users[Role.APPROVER],
            name="N",
            model_number="M",
            regime="mdr",
            intended_purpose="p",
            intended_users="lay",
        )
    assert PASSWORD  # personas share the conftest password
