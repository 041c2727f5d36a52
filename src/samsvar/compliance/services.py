"""Writes to the compliance records. Each service checks permission, validates, saves and audits."""

from __future__ import annotations

import re

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldError, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from samsvar.compliance.models import (
    ComplianceStatement,
    Declaration,
    Evidence,
    Obligation,
    ObligationStatus,
    TechdocReference,
)
from samsvar.core import permissions as perms
from samsvar.core.audit import audited
from samsvar.core.validation import reject_unknown_fields
from samsvar.devices.models import Classification, Device
from samsvar.regulatory import obligations as catalogue
from samsvar.regulatory import techdoc

# --- Article 10 obligations -------------------------------------------------------------------


def _obligation_for(item: catalogue.Obligation, position: int, device: Device | None) -> Obligation:
    return Obligation(
        key=item.key,
        regime=item.regime,
        paragraph=item.paragraph,
        parent_key=item.parent,
        position=position,
        scope=item.scope,
        device=device,
    )


def obligations_sync(*, actor, device: Device | None = None, reason: str = "") -> int:
    """Instantiate the Article 10 / 10a catalogue: device items per device, the rest once.

    With a device, its own items (by its regulation); without one, the manufacturer's items for
    every regulation the portfolio uses and the items of every device. Idempotent: an item that
    exists is left as it is. Returns how many obligations were created.
    """
    perms.require_perm(actor, perms.COMPLIANCE_CHANGE)
    devices = [device] if device is not None else list(Device.objects.order_by("pk"))
    wanted: list[tuple[catalogue.Obligation, int, Device | None]] = []
    for regime in sorted({d.regime for d in devices}) if device is None else []:
        positions = {o.key: i for i, o in enumerate(catalogue.catalogue(regime))}
        for item in catalogue.for_manufacturer(regime):
            wanted.append((item, positions[item.key], None))
    for each in devices:
        positions = {o.key: i for i, o in enumerate(catalogue.catalogue(each.regime))}
        for item in catalogue.for_device(each.regime):
            wanted.append((item, positions[item.key], each))
    existing = set(Obligation.objects.values_list("key", "device_id"))
    created = 0
    with audited(actor=actor, reason=reason):
        for item, position, owner_device in wanted:
            if (item.key, owner_device.pk if owner_device else None) in existing:
                continue
            _obligation_for(item, position, owner_device).save()
            created += 1
    return created


OBLIGATION_FIELDS = ("status", "justification", "owner", "due_date", "notes")


def obligation_update(*, actor, obligation: Obligation, reason: str = "", **fields) -> Obligation:
    """Change the status, owner, due date or notes of an obligation (MDR/IVDR Art. 10).

    "Not applicable" needs a justification: an auditor asks why a duty of the manufacturer
    does not apply.
    """
    perms.require_perm(actor, perms.COMPLIANCE_CHANGE)
    reject_unknown_fields(fields, OBLIGATION_FIELDS)
    for name, value in fields.items():
        if name in ("justification", "notes"):
            value = (value or "").strip()
        setattr(obligation, name, value)
    errors = {}
    if obligation.status not in ObligationStatus.values:
        errors["status"] = _("Choose a valid status.")
    if obligation.status == ObligationStatus.NOT_APPLICABLE and not obligation.justification:
        errors["justification"] = _("Say why this obligation does not apply.")
    owner = obligation.owner
    if owner is not None and not (owner.is_active and perms.has_perm(owner, perms.RECORD_VIEW)):
        errors["owner"] = _("Choose an active person.")
    if errors:
        raise ValidationError(errors)
    with audited(actor=actor, reason=reason):
        obligation.save()
    return obligation


# The samsvar records an obligation may point to as evidence, and how to describe them.
EVIDENCE_MODELS = (Device, Classification)


def evidence_label(record) -> str:
    if isinstance(record, Classification):
        return _("Classification of %(device)s: %(regime)s class %(cls)s, %(rule)s") % {
            "device": record.device.name,
            "regime": record.regime.upper(),
            "cls": record.class_label,
            "rule": record.rule,
        }
    if isinstance(record, Device):
        return _("Device record %(name)s (model %(model)s)") % {
            "name": record.name,
            "model": record.model_number,
        }
    return str(record)


def obligation_evidence_add(
    *,
    actor,
    obligation: Obligation,
    record=None,
    external_reference: str = "",
    label: str = "",
    reason: str = "",
) -> Evidence:
    """Link evidence to an obligation: a samsvar record, or a reference to an outside document."""
    perms.require_perm(actor, perms.COMPLIANCE_CHANGE)
    external_reference = (external_reference or "").strip()
    label = (label or "").strip()
    if record is None and not external_reference:
        raise ValidationError(
            {"external_reference": _("Choose a samsvar record or enter an external reference.")}
        )
    if record is not None and external_reference:
        raise ValidationError(
            {"record": _("Link either a samsvar record or an external reference, not both.")}
        )
    if record is not None and not isinstance(record, EVIDENCE_MODELS):
        raise ValidationError({"record": _("This kind of record cannot be linked as evidence.")})
    if len(label) > 300:
        raise ValidationError({"label": _("Keep the label to 300 characters.")})
    if len(external_reference) > 300:
        raise ValidationError({"external_reference": _("Keep the reference to 300 characters.")})
    evidence = Evidence(obligation=obligation)
    if record is not None:
        evidence.content_type = ContentType.objects.get_for_model(type(record))
        evidence.object_id = str(record.pk)
        evidence.label = label or evidence_label(record)[:300]
    else:
        evidence.external_reference = external_reference
        evidence.label = label or external_reference
    with audited(actor=actor, reason=reason):
        evidence.save()
    return evidence


def obligation_evidence_remove(*, actor, evidence: Evidence, reason: str = "") -> None:
    """Unlink a piece of evidence; the audit trail keeps what it was."""
    perms.require_perm(actor, perms.COMPLIANCE_CHANGE)
    with audited(actor=actor, reason=reason):
        evidence.delete()


# --- Technical documentation index ------------------------------------------------------------

TECHDOC_FIELDS = ("section_key", "document_number", "title", "location")


def techdoc_reference_add(*, actor, device: Device, reason: str = "", **fields) -> TechdocReference:
    """Record which controlled document fills a section of the technical documentation."""
    perms.require_perm(actor, perms.COMPLIANCE_CHANGE)
    reject_unknown_fields(fields, TECHDOC_FIELDS)
    values = {name: str(fields.get(name) or "").strip() for name in TECHDOC_FIELDS}
    errors = {}
    sections = {s.key: s for s in techdoc.sections(device.regime)}
    section = sections.get(values["section_key"])
    if section is None:
        errors["section_key"] = _("Choose a section of Annex II or III.")
    elif section.heading:
        errors["section_key"] = _("This heading only groups sections; choose one of them.")
    limits = {"document_number": 60, "title": 300, "location": 300}
    for name in ("document_number", "title"):
        if not values[name]:
            errors[name] = _("This field is required.")
    for name, limit in limits.items():
        if len(values[name]) > limit:
            errors[name] = _("Keep this to %(n)s characters.") % {"n": limit}
    if errors:
        raise ValidationError(errors)
    reference = TechdocReference(device=device, **values)
    with audited(actor=actor, reason=reason):
        reference.save()
    return reference


def techdoc_reference_remove(*, actor, reference: TechdocReference, reason: str = "") -> None:
    """Take a document out of the index; the audit trail keeps what it was."""
    perms.require_perm(actor, perms.COMPLIANCE_CHANGE)
    with audited(actor=actor, reason=reason):
        reference.delete()


# --- EU declaration of conformity -------------------------------------------------------------

DECLARATION_FIELDS = (
    "references",
    "common_specifications",
    "other_legislation",
    "authorised_representative",
    "notified_body_name",
    "notified_body_number",
    "conformity_procedure",
    "certificate",
    "additional_information",
    "place_of_issue",
    "date_of_issue",
    "signatory_name",
    "signatory_function",
)
NOTIFIED_BODY_FIELDS = (
    "notified_body_name",
    "notified_body_number",
    "conformity_procedure",
    "certificate",
)
REQUIRED_FIELDS = ("place_of_issue", "date_of_issue", "signatory_name", "signatory_function")


def applied_references(device: Device, kind: str = "standard") -> list[str]:
    """The standards (or, with kind="common_specification", the common specifications) that the
    standards register says the device applies, as the declaration cites them.

    Prefills the declaration; the user confirms the list. Empty while the standards app has no
    per-device register (it is built alongside this one).
    """
    try:
        from samsvar.standards.models import AppliedStandard

        applied = list(
            AppliedStandard.objects.filter(device=device, edition__kind=kind)
            .select_related("edition")
            .order_by("edition__number", "-edition__year")
        )
        lines = []
        for each in applied:
            line = f"{each.edition.label} {each.edition.title}".strip()
            if each.application == "partial":
                line += " (applied in part)"
            lines.append(line[:300])
    except (ImportError, LookupError, FieldError, AttributeError):
        return []
    return lines


def notified_body_required(device: Device) -> bool:
    from samsvar.devices.implications import implications_for

    implications = implications_for(device)
    return bool(implications and implications.notified_body.required)


def _classification_of(device: Device) -> Classification:
    record = Classification.objects.filter(device=device).first()
    if record is None or record.regime != device.regime:
        raise ValidationError(
            _(
                "%(device)s is not classified under the %(regime)s. Classify it (Annex VIII) "
                "before drawing up its EU declaration of conformity."
            )
            % {"device": device.name, "regime": device.get_regime_display()}
        )
    return record


def declaration_blocker(device: Device) -> str:
    """Why no declaration can be drawn up for the device yet, or "" when one can."""
    try:
        _classification_of(device)
    except ValidationError as exc:
        return " ".join(exc.messages)
    return ""


def _clean_lines(value) -> list[str]:
    if isinstance(value, str):
        value = value.splitlines()
    return [str(line).strip() for line in value or [] if str(line).strip()]


def declaration_save(*, actor, device: Device, reason: str = "", **fields) -> Declaration:
    """Draw up or update the EU declaration of conformity of a device (MDR Art. 19, Annex IV).

    Refused for a device that is not classified; a class that needs a notified body needs its
    name, number, procedure and certificate. The device, classification and manufacturer data
    are copied in at each save, so a signed declaration keeps what it declared.
    """
    from samsvar.accounts.services import organisation_get

    perms.require_perm(actor, perms.COMPLIANCE_CHANGE)
    reject_unknown_fields(fields, DECLARATION_FIELDS)
    classification = _classification_of(device)
    organisation = organisation_get()
    if organisation is None:
        raise ValidationError(
            _("Enter the organisation profile first: the declaration names the manufacturer.")
        )
    declaration = Declaration.objects.filter(device=device).first() or Declaration(device=device)
    for name, value in fields.items():
        if name in ("references", "common_specifications"):
            value = _clean_lines(value)
        elif isinstance(value, str):
            value = value.strip()
        setattr(declaration, name, value)
    _copy_records(declaration, device, classification, organisation)
    errors: dict[str, str] = {}
    for name in REQUIRED_FIELDS:
        if not getattr(declaration, name):
            errors[name] = _("This field is required.")
    if notified_body_required(device):
        for name in NOTIFIED_BODY_FIELDS:
            if not getattr(declaration, name):
                errors[name] = _("Class %(cls)s needs a notified body: give its %(field)s.") % {
                    "cls": classification.class_label,
                    "field": Declaration._meta.get_field(name).verbose_name,
                }
    number = declaration.notified_body_number
    if number and not re.fullmatch(r"\d{4}", number):
        errors["notified_body_number"] = _("A notified body number has four digits.")
    for name in ("references", "common_specifications"):
        lines = getattr(declaration, name)
        if len(lines) > 200 or any(len(line) > 300 for line in lines):
            errors[name] = _("At most 200 lines of at most 300 characters each.")
    try:
        declaration.full_clean(exclude=["device"])
    except ValidationError as exc:
        errors = {**exc.message_dict, **errors}
    if errors:
        raise ValidationError(errors)
    with audited(actor=actor, reason=reason):
        declaration.save()
    return declaration


def _copy_records(declaration, device, classification, organisation) -> None:
    """Copy what the declaration states from the records that own it (Annex IV points 1-5)."""
    declaration.manufacturer_name = organisation.name if organisation else ""
    declaration.manufacturer_address = organisation.address if organisation else ""
    declaration.manufacturer_srn = organisation.srn if organisation else ""
    declaration.regime = device.regime
    declaration.device_name = device.name
    declaration.model_number = device.model_number
    declaration.variants = list(device.variants or [])
    declaration.basic_udi_di = device.basic_udi_di
    declaration.intended_purpose = device.intended_purpose
    declaration.device_class = classification.device_class if classification else ""
    declaration.class_label = classification.class_label if classification else ""
    declaration.classification_rule = classification.rule if classification else ""


def declaration_preview(device: Device) -> Declaration:
    """An unsaved declaration with what a new one would start with (nothing is written)."""
    from samsvar.accounts.services import organisation_get

    classification = Classification.objects.filter(device=device, regime=device.regime).first()
    declaration = Declaration(device=device, **declaration_initial(device))
    _copy_records(declaration, device, classification, organisation_get())
    return declaration


def declaration_initial(device: Device) -> dict:
    """What a new declaration form starts with: the register's references, today, Oslo time."""
    return {
        "references": applied_references(device),
        "common_specifications": applied_references(device, kind="common_specification"),
        "date_of_issue": timezone.localdate(),
    }


# --- Article 10 compliance statement ----------------------------------------------------------


def compliance_statement_create(*, actor, note: str = "", reason: str = "") -> ComplianceStatement:
    """Freeze the Article 10 status of the manufacturer and every device, for the PRRC to sign."""
    from samsvar.compliance.selectors import compliance_snapshot

    perms.require_perm(actor, perms.COMPLIANCE_CHANGE)
    note = (note or "").strip()
    if len(note) > 5000:
        raise ValidationError({"note": _("Keep the note to 5000 characters.")})
    now = timezone.now()
    statement = ComplianceStatement(
        title="Article 10 compliance overview",
        as_of=now,
        content=compliance_snapshot(as_of=now),
        note=note,
    )
    with audited(actor=actor, reason=reason):
        statement.save()
    return statement
