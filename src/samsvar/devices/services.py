"""Writes to the device register. Each service checks permission, validates, saves and audits."""

from samsvar.core import permissions as perms
from samsvar.core.audit import audited
from samsvar.core.validation import reject_unknown_fields
from samsvar.devices.models import Device

EDITABLE_FIELDS = (
    "name",
    "model_number",
    "variants",
    "regime",
    "intended_purpose",
    "intended_users",
    "target_markets",
    "lifecycle_status",
)


def _clean_variants(value) -> list[str]:
    if isinstance(value, str):
        value = value.splitlines()
    return [str(v).strip() for v in value or [] if str(v).strip()]


def _validate(device: Device) -> None:
    device.variants = _clean_variants(device.variants)
    device.target_markets = sorted({str(c).strip().upper() for c in device.target_markets or []})
    device.full_clean()


def device_create(*, actor, reason: str = "", **fields) -> Device:
    """Register a new device (ISO 13485 7.1; MDR/IVDR Art. 10)."""
    perms.require_perm(actor, perms.DEVICE_CREATE)
    reject_unknown_fields(fields, EDITABLE_FIELDS)
    device = Device(**fields)
    _validate(device)
    with audited(actor=actor, reason=reason):
        device.save()
    return device


def device_update(*, actor, device: Device, reason: str = "", **fields) -> Device:
    """Change a device; a signed version needs a reason and becomes the next version."""
    perms.require_perm(actor, perms.DEVICE_CHANGE)
    reject_unknown_fields(fields, EDITABLE_FIELDS)
    for name, value in fields.items():
        setattr(device, name, value)
    _validate(device)
    with audited(actor=actor, reason=reason):
        device.save()
    return device
