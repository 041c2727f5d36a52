"""Controlled records change only through audited services (DESIGN rule 1, Part 11 §11.10(e)).

Every way to write a Device without a service is refused and leaves neither a row nor an event.
"""

import pytest

from samsvar.core.controlled import AuditBypassError
from samsvar.core.models import AuditEvent
from samsvar.devices.models import Device


def state():
    return (
        list(Device.objects.order_by("pk").values_list("pk", "name", "model_number", "version")),
        AuditEvent.objects.count(),
    )


def new_device(**fields):
    values = {
        "name": "Bypass Meter",
        "model_number": "BM-1",
        "regime": "ivdr",
        "intended_purpose": "Self-testing of blood glucose.",
        "intended_users": "lay",
    }
    values.update(fields)
    return Device(**values)


def change(device, **kwargs):
    device.model_number = "HACKED"
    device.save(**kwargs)


WRITES = {
    "save a new device": lambda device: new_device().save(),
    "objects.create": lambda device: Device.objects.create(name="Created", regime="mdr"),
    "save a changed device": change,
    "save with update_fields": lambda device: change(device, update_fields=["model_number"]),
    "delete a device": lambda device: device.delete(),
    "queryset update": lambda device: Device.objects.filter(pk=device.pk).update(
        model_number="HACKED"
    ),
    "queryset delete": lambda device: Device.objects.all().delete(),
    "bulk_create": lambda device: Device.objects.bulk_create([new_device()]),
    "bulk_update": lambda device: Device.objects.bulk_update(
        [new_device(pk=device.pk)], ["model_number"]
    ),
    "update_or_create": lambda device: Device.objects.update_or_create(
        name=device.name, defaults={"model_number": "HACKED"}
    ),
}


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_a_write_outside_a_service_is_refused_and_leaves_no_trace(device, write):
    before = state()
    with pytest.raises(AuditBypassError, match="write through a samsvar service"):
        write(device)
    assert state() == before
    device.refresh_from_db()
    assert device.model_number != "HACKED"
