"""Objects each app adds to the permission walks (tests/test_permission_walk.py and
tests/api/test_permissions_api.py), so the walks call every URL with a real object.

An app that has URLs with a primary key other than a device's provides `tests/<app>/world.py`:

    def build(*, device, users) -> dict[str, object]   # real records, keyed "<app>.<name>"
    URL_OBJECTS = {"risk:hazard_edit": "risk.hazard"}   # page URL name prefix -> key
    API_OBJECTS = {"hazards": "risk.hazard"}            # /api/v1/<segment>/<pk>/ -> key
    def api_bodies(pks, users) -> dict   # {(route, method): valid JSON body}; pks by key
    QUERIES = {"risk:register": "?level=high"}          # optional query strings per URL name
"""

import importlib

APPS = ("risk", "documents", "training")


def modules():
    found = []
    for app in APPS:
        try:
            found.append(importlib.import_module(f"tests.{app}.world"))
        except ModuleNotFoundError as error:
            if error.name != f"tests.{app}.world":
                raise
    return found


def build(*, device, users) -> dict:
    objects = {}
    for module in modules():
        objects.update(module.build(device=device, users=users))
    return objects


def merged(name: str) -> dict:
    result = {}
    for module in modules():
        result.update(getattr(module, name, {}))
    return result


def api_bodies(objects, users) -> dict:
    bodies = {}
    for module in modules():
        if hasattr(module, "api_bodies"):
            bodies.update(module.api_bodies(objects, users))
    return bodies
