"""Writes to the device register. Each service checks permission, validates, saves and audits."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from samsvar.core import permissions as perms
from samsvar.core.audit import audited
from samsvar.core.validation import reject_unknown_fields
from samsvar.devices.models import Classification, Device

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
    purpose_before = device.intended_purpose
    for name, value in fields.items():
        setattr(device, name, value)
    _validate(device)
    with audited(actor=actor, reason=reason):
        device.save()
        if device.intended_purpose != purpose_before:
            _flag_classification_for_review(device)
    return device


def _flag_classification_for_review(device: Device) -> None:
    """Annex VIII IR 3.1: the class follows the intended purpose, so a new purpose reopens it."""
    classification = Classification.objects.filter(device=device).first()
    if classification is None or classification.review_needed:
        return
    classification.review_needed = True
    classification.review_reason = gettext(
        "The intended purpose changed in version %(version)s of the device."
    ) % {"version": device.version}
    classification.save()


def classification_save(
    *, actor, device: Device, profile: dict, rationale: str, reason: str = ""
) -> Classification:
    """Record the device's Annex VIII classification from the engine's result.

    Sets the device's class and rule in the same transaction; a signed classification or a
    signed device needs a reason and gets a new version.
    """
    from samsvar.regulatory.classification import ProfileError, classify

    perms.require_perm(actor, perms.CLASSIFICATION_CHANGE)
    if not (rationale or "").strip():
        raise ValidationError({"rationale": gettext("Give the rationale for these answers.")})
    try:
        result = classify(device.regime, profile)
    except ProfileError as exc:
        raise ValidationError({"profile": str(exc)}) from None
    decisive = next((r for r in result.rules if r.device_class == result.device_class), None)
    rule = ""
    if decisive is not None:
        # "Rule 4(a)" names the indent; "Rule 12" is how MDR rules are cited.
        rule = decisive.label if decisive.sub.startswith("(") else decisive.rule
    classification = Classification.objects.filter(device=device).first() or Classification(
        device=device
    )
    classification.regime = device.regime
    classification.profile = profile
    classification.device_class = result.device_class
    classification.special = list(result.special)
    classification.rules = result.to_dict()["rules"]
    classification.rule = rule
    classification.decided_by = result.decided_by
    classification.rationale = rationale.strip()
    classification.review_needed = False
    classification.review_reason = ""
    with audited(actor=actor, reason=reason):
        classification.save()
        device.device_class = result.device_class
        device.classification_rule = rule
        device.save()
    return classification
