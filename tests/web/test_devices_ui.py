"""Device register through the web UI: create, edit with reason, sign, bad input."""

import pytest
from django.urls import reverse

from samsvar.core.models import AuditEvent, RecordVersion, Signature
from samsvar.devices.models import Device
from tests.conftest import PASSWORD

VALID = {
    "name": "Fjordmed NeedleFree",
    "model_number": "NF-1",
    "variants": "NF-1 small\nNF-1 large\n",
    "regime": "mdr",
    "intended_purpose": "Needle-free subcutaneous injection of insulin by lay users.",
    "intended_users": "lay",
    "target_markets": ["NO", "SE"],
    "lifecycle_status": "development",
}


@pytest.mark.django_db
def test_device_create_writes_the_record_and_one_audit_event(client_for):
    client = client_for("engineer")
    response = client.post(reverse("devices:create"), VALID)
    device = Device.objects.get(name="Fjordmed NeedleFree")
    assert response.status_code == 302
    assert response["Location"] == device.get_absolute_url()
    assert device.variants == ["NF-1 small", "NF-1 large"]
    assert device.target_markets == ["NO", "SE"]
    event = AuditEvent.objects.get(object_type="devices.device", object_id=str(device.pk))
    assert event.action == "create"
    assert event.actor_name.endswith("(engineer)")
    assert event.changes["name"] == [None, "Fjordmed NeedleFree"]
    assert event.request_id  # every web request carries an id into the trail


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"name": ""}, "name", "This field is required"),
        ({"regime": "fda"}, "regime", "Select a valid choice"),
        ({"target_markets": ["US"]}, "target_markets", "Select a valid choice"),
        ({"target_markets": []}, "target_markets", "This field is required"),
        ({"intended_users": ""}, "intended_users", "This field is required"),
        ({"name": "x" * 201}, "name", "at most 200 characters"),
        ({"lifecycle_status": "sold"}, "lifecycle_status", "Select a valid choice"),
    ],
)
def test_device_create_refuses_bad_input_with_a_field_message(client_for, change, field, message):
    client = client_for("engineer")
    response = client.post(reverse("devices:create"), {**VALID, **change})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors
    assert message in " ".join(errors[field])
    assert not Device.objects.exists()
    assert not AuditEvent.objects.filter(object_type="devices.device").exists()


@pytest.mark.django_db
def test_duplicate_device_name_is_refused_on_the_name_field(client_for, device):
    client = client_for("engineer")
    response = client.post(reverse("devices:create"), {**VALID, "name": device.name})
    assert "name" in response.context["form"].errors
    assert Device.objects.count() == 1


@pytest.mark.django_db
def test_edit_of_signed_version_needs_reason_then_creates_version_two(client_for, device, users):
    from samsvar.core.services import record_sign

    record_sign(actor=users["approver"], record=device, meaning="approved", password=PASSWORD)
    client = client_for("engineer")
    data = {**VALID, "name": device.name, "model_number": "IP3-200"}
    response = client.post(reverse("devices:edit", args=[device.pk]), data)
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    device.refresh_from_db()
    assert (device.version, device.model_number) == (1, "M-1")

    response = client.post(
        reverse("devices:edit", args=[device.pk]), {**data, "reason": "New pump model"}
    )
    assert response.status_code == 302
    device.refresh_from_db()
    assert (device.version, device.model_number) == (2, "IP3-200")
    event = AuditEvent.objects.filter(action="update", object_id=str(device.pk)).get()
    assert event.reason == "New pump model"
    assert event.changes["model_number"] == ["M-1", "IP3-200"]
    frozen = RecordVersion.objects.get(object_id=str(device.pk), version=1)
    assert frozen.content["fields"]["model_number"] == "M-1"  # the signed version never changes


@pytest.mark.django_db
def test_sign_through_the_ui_shows_the_manifestation(client_for, device, users):
    client = client_for("approver")
    url = reverse("devices:sign", args=[device.pk])
    response = client.post(url, {"meaning": "approved", "password": "wrong"})
    assert "password" in response.context["form"].errors
    assert not Signature.objects.exists()
    assert AuditEvent.objects.filter(action="signature_failed").count() == 1

    response = client.post(url, {"meaning": "approved", "password": PASSWORD}, follow=True)
    signature = Signature.objects.get()
    assert signature.signer_full_name == users["approver"].full_name
    assert signature.content_sha256 == device.content_sha256()
    page = response.content.decode()
    assert "Approver Person" in page and "Approved" in page
    assert signature.signed_at.strftime("%Y-%m-%d") in page


@pytest.mark.django_db
def test_sign_form_offers_only_the_meanings_the_role_may_use(client_for, device):
    response = client_for("engineer").get(reverse("devices:sign", args=[device.pk]))
    choices = [value for value, _ in response.context["form"].fields["meaning"].choices]
    assert choices == ["authored", "reviewed"]
    response = client_for("engineer").post(
        reverse("devices:sign", args=[device.pk]), {"meaning": "approved", "password": PASSWORD}
    )
    assert "meaning" in response.context["form"].errors
    assert not Signature.objects.exists()


@pytest.mark.django_db
def test_device_list_filters_by_regime_and_text(client_for, make_device, quality):
    make_device(quality, name="Pump A", regime="mdr")
    make_device(quality, name="Meter B", regime="ivdr")
    client = client_for("auditor")
    names = lambda r: [d.name for d in r.context["page"].object_list]  # noqa: E731
    assert names(client.get(reverse("devices:list"), {"regime": "ivdr"})) == ["Meter B"]
    assert names(client.get(reverse("devices:list"), {"q": "pump"})) == ["Pump A"]
    assert names(client.get(reverse("devices:list"), {"regime": "nonsense"})) == [
        "Meter B",
        "Pump A",
    ]


@pytest.mark.django_db
def test_device_list_query_count_does_not_grow_with_devices(
    client_for, make_device, quality, django_assert_max_num_queries
):
    for _ in range(30):
        make_device(quality)
    client = client_for("engineer")
    with django_assert_max_num_queries(8):
        response = client.get(reverse("devices:list"))
    assert len(response.context["page"].object_list) == 30


@pytest.mark.django_db
def test_version_page_shows_the_frozen_content_and_404_for_unsigned(client_for, device, users):
    from samsvar.core.services import record_sign
    from samsvar.devices.services import device_update

    record_sign(actor=users["approver"], record=device, meaning="approved", password=PASSWORD)
    device_update(actor=users["engineer"], device=device, model_number="NEW", reason="r")
    client = client_for("auditor")
    page = client.get(reverse("devices:version", args=[device.pk, 1])).content.decode()
    assert "M-1" in page and "NEW" not in page.split("Content as signed")[1].split("</section>")[0]
    assert client.get(reverse("devices:version", args=[device.pk, 2])).status_code == 404
    assert client.get(reverse("devices:detail", args=[9999])).status_code == 404


@pytest.mark.django_db
def test_htmx_filter_request_gets_only_the_table(client_for, make_device, quality):
    make_device(quality, name="Pump A", regime="mdr")
    make_device(quality, name="Meter B", regime="ivdr")
    client = client_for("engineer")
    response = client.get(reverse("devices:list"), {"q": "meter"}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert "Meter B" in page and "Pump A" not in page
    assert "<html" not in page and "<form" not in page
    full = client.get(reverse("devices:list"), {"q": "meter"}).content.decode()
    assert "<html" in full and 'hx-target="#device-table"' in full


@pytest.mark.django_db
def test_signature_request_refuses_a_signer_without_that_right(client_for, device, users):
    from samsvar.core.models import SignatureRequest

    client = client_for("engineer")
    url = reverse("devices:request_signature", args=[device.pk])
    response = client.post(url, {"meaning": "approved", "signer": users["engineer"].pk})
    assert "signer" in response.context["form"].errors
    response = client.post(url, {"meaning": "sealed", "signer": users["approver"].pk})
    assert "meaning" in response.context["form"].errors
    assert not SignatureRequest.objects.exists()
    client.post(url, {"meaning": "approved", "signer": users["approver"].pk, "message": "Please"})
    request = SignatureRequest.objects.get()
    assert (request.signer, request.version, request.status) == (users["approver"], 1, "open")
    dashboard = client_for("approver").get("/")
    assert [r.pk for r in dashboard.context["awaiting_me"]] == [request.pk]


@pytest.mark.django_db
def test_dashboard_lists_only_devices_whose_current_version_is_unsigned(
    client_for, make_device, users
):
    from samsvar.core.services import record_sign
    from samsvar.devices.services import device_update

    make_device(users["engineer"], name="Draft pump")
    signed = make_device(users["engineer"], name="Signed pump")
    changed = make_device(users["engineer"], name="Changed pump")
    for device in (signed, changed):
        record_sign(actor=users["approver"], record=device, meaning="approved", password=PASSWORD)
    device_update(actor=users["engineer"], device=changed, model_number="X-2", reason="Rev B")
    response = client_for("engineer").get("/")
    names = sorted(d.name for d in response.context["unsigned_devices"])
    assert names == ["Changed pump", "Draft pump"]  # version 2 of "Changed pump" is not signed
    assert response.context["open_task_count"] == 2
