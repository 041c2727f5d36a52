"""Classification through the API: the same engine and service as the wizard."""

import pytest

from samsvar.devices.demo import PUMP_PROFILE, _complete
from samsvar.devices.models import Classification
from tests.api.conftest import field_errors
from tests.conftest import PASSWORD


def url(device, suffix=""):
    return f"/api/v1/devices/{device.pk}/classification/{suffix}"


@pytest.mark.django_db
def test_put_classifies_and_get_returns_the_rules(api_as, device):
    client = api_as("regulatory_affairs")
    assert client.get(url(device)).status_code == 404
    body = {"profile": _complete("mdr", PUMP_PROFILE), "rationale": "Insulin pump: Rule 12."}
    response = client.put(url(device), body, format="json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["device_class"], data["rule"]) == ("IIb", "Rule 12")
    assert any(hit["rule"] == "Rule 12" and hit["device_class"] == "IIb" for hit in data["rules"])
    assert client.get(url(device)).json()["decided_by"] == data["decided_by"]
    device.refresh_from_db()
    assert device.device_class == "IIb"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"profile": {"invasivness": "non_invasive"}, "rationale": "r"}, "profile"),
        ({"profile": {"invasiveness": "through the ear"}, "rationale": "r"}, "profile"),
        ({"profile": {}, "rationale": "r"}, "profile"),
        ({"profile": "mdr", "rationale": "r"}, "profile"),
        ({"profile": {"invasiveness": "non_invasive"}}, "rationale"),
        ({"profile": {"invasiveness": "non_invasive"}, "rationale": "r", "class": "I"}, "class"),
    ],
)
def test_bad_profiles_name_the_field_and_save_nothing(api_as, device, body, field):
    response = api_as("regulatory_affairs").put(url(device), body, format="json")
    assert field in field_errors(response)
    assert not Classification.objects.exists()


@pytest.mark.django_db
def test_unknown_attribute_is_named_in_the_message(api_as, device):
    response = api_as("regulatory_affairs").put(
        url(device), {"profile": {"invasivness": "non_invasive"}, "rationale": "r"}, format="json"
    )
    assert "invasivness" in " ".join(field_errors(response)["profile"])


@pytest.mark.django_db
def test_sign_the_classification_and_roles(api_as, device, users):
    body = {"profile": _complete("mdr", PUMP_PROFILE), "rationale": "Rule 12"}
    assert api_as("auditor").put(url(device), body, format="json").status_code == 403
    assert api_as("regulatory_affairs").put(url(device), body, format="json").status_code == 200
    response = api_as("approver").post(
        url(device, "sign/"), {"meaning": "approved", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 201
    record = Classification.objects.get()
    assert record.frozen_versions().get(version=1).signatures.get().signer == users["approver"]
    unchanged = api_as("regulatory_affairs").put(url(device), body, format="json")
    assert unchanged.json()["version"] == 1  # the same answers change nothing
    changed = {**body, "rationale": "Rule 12, see MDCG 2021-24"}
    again = api_as("regulatory_affairs").put(url(device), changed, format="json")
    assert "reason" in field_errors(again)
    changed["reason"] = "Cite the guidance"
    assert (
        api_as("regulatory_affairs").put(url(device), changed, format="json").json()["version"] == 2
    )
