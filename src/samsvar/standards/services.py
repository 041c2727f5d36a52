"""Writes to the standards register, the standards a device applies and its GSPR checklist.

Each service checks the permission, validates, saves inside `audited()` and so leaves one audit
event per change. Many-to-many citations of applied standards are recorded as an event of their
own, because the base model's snapshot covers only the entry's columns.
"""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext

from samsvar.core import permissions as perms
from samsvar.core.audit import audited, record_event
from samsvar.core.events import Event
from samsvar.core.validation import reject_unknown_fields
from samsvar.devices.models import Device
from samsvar.regulatory import gspr
from samsvar.regulatory import standards as catalogue
from samsvar.standards.models import (
    AppliedStandard,
    GsprEntry,
    Kind,
    Method,
    StandardEdition,
)

EDITION_FIELDS = (
    "kind",
    "number",
    "year",
    "amendments",
    "identical_to",
    "title",
    "title_nb",
    "harmonised",
    "decision_mdr",
    "decision_ivdr",
    "status",
    "superseded_by",
    "transition_end",
    "applies_from",
    "confirmed",
    "notes",
)
APPLIED_FIELDS = ("application", "justification", "clauses", "notes")
GSPR_FIELDS = (
    "applicable",
    "justification",
    "methods",
    "standards",
    "evidence",
    "requirement_text",
)


# --- The register ---------------------------------------------------------------------------


def _clean_amendments(value) -> list[str]:
    if isinstance(value, str):
        value = re.split(r"[,;\n]", value)
    return [str(a).strip().lstrip("+/").strip() for a in value or [] if str(a).strip()]


def _unique_key(edition: StandardEdition) -> str:
    base = slugify(f"{edition.number}-{edition.year}")[:90] or "edition"
    key, n = base, 1
    while StandardEdition.objects.filter(key=key).exclude(pk=edition.pk).exists():
        n += 1
        key = f"{base}-{n}"
    return key


def _validate_edition(edition: StandardEdition) -> None:
    edition.amendments = _clean_amendments(edition.amendments)
    for name in ("number", "title", "title_nb", "identical_to", "decision_mdr", "decision_ivdr"):
        setattr(edition, name, " ".join(str(getattr(edition, name) or "").split()))
    edition.notes = (edition.notes or "").strip()
    same = StandardEdition.objects.filter(
        kind=edition.kind, number__iexact=edition.number, year=edition.year
    ).exclude(pk=edition.pk)
    if edition.number and isinstance(edition.year, int) and same.exists():
        raise ValidationError(
            {
                "year": gettext("The %(year)s edition of %(number)s is already in the register.")
                % {"year": edition.year, "number": edition.number}
            }
        )
    if not edition.key:
        edition.key = _unique_key(edition)
    edition.full_clean()


def standard_edition_create(*, actor, reason: str = "", **fields) -> StandardEdition:
    """Add an edition or a common specification to the register (MDR/IVDR Art. 8, 9)."""
    perms.require_perm(actor, perms.STANDARDS_REGISTER_CHANGE)
    reject_unknown_fields(fields, EDITION_FIELDS)
    edition = StandardEdition(**fields)
    _validate_edition(edition)
    with audited(actor=actor, reason=reason):
        edition.save()
    return edition


def standard_edition_update(
    *, actor, edition: StandardEdition, reason: str = "", **fields
) -> StandardEdition:
    """Change a register entry, e.g. mark it superseded when a new edition is harmonised."""
    perms.require_perm(actor, perms.STANDARDS_REGISTER_CHANGE)
    reject_unknown_fields(fields, EDITION_FIELDS)
    for name, value in fields.items():
        setattr(edition, name, value)
    _validate_edition(edition)
    with audited(actor=actor, reason=reason):
        edition.save()
    return edition


def _year_of(reference: str) -> int:
    """The year of an EU act from its reference: "(EU) 2022/1107" -> 2022."""
    found = re.search(r"\b((?:19|20)\d{2})/\d+", reference)
    if not found:
        raise ValueError(f"no year in {reference!r}")
    return int(found.group(1))


def standards_register_seed(actor=None, *, reason: str = "") -> int:
    """Add the editions and common specifications of samsvar's catalogue that are missing.

    Idempotent: an entry already in the register (by its key) is left as it is, because the
    manufacturer may have updated it since. `actor` None is the system (first start, CLI).
    Returns how many entries were added.
    """
    if actor is not None:
        perms.require_perm(actor, perms.STANDARDS_REGISTER_CHANGE)
    reason = reason or "Register seeded from the samsvar standards catalogue."
    existing = set(StandardEdition.objects.values_list("key", flat=True))
    added: dict[str, StandardEdition] = {}
    with audited(actor=actor, reason=reason):
        for std in catalogue.catalogue():
            if std.key in existing:
                continue
            edition = StandardEdition(
                key=std.key,
                kind=Kind.STANDARD,
                number=std.number,
                year=std.year,
                amendments=list(std.amendments),
                identical_to=std.identical_to,
                title=std.title_en,
                title_nb=std.topic_nb,
                harmonised=std.harmonised,
                decision_mdr=std.decision_mdr,
                decision_ivdr=std.decision_ivdr,
                status=std.status,
                transition_end=std.transition_end,
                confirmed=std.confirmed,
                notes=std.note,
            )
            edition.full_clean()
            edition.save()
            added[std.key] = edition
        for spec in catalogue.common_specifications():
            if spec.key in existing:
                continue
            edition = StandardEdition(
                key=spec.key,
                kind=Kind.COMMON_SPECIFICATION,
                number=spec.reference,
                year=_year_of(spec.reference),
                amendments=list(spec.amended_by),
                title=spec.title_en,
                title_nb=spec.topic_nb,
                harmonised=spec.regime,
                applies_from=spec.applies_from,
                confirmed=spec.confirmed,
                notes=spec.note,
            )
            edition.full_clean()
            edition.save()
            added[spec.key] = edition
        # Links to newer editions once both ends exist.
        by_key = {e.key: e for e in StandardEdition.objects.filter(key__in=_superseding_keys())}
        for std in catalogue.catalogue():
            if std.key in added and std.superseded_by in by_key:
                edition = added[std.key]
                edition.superseded_by = by_key[std.superseded_by]
                edition.save()
    return len(added)


def _superseding_keys() -> set[str]:
    return {s.superseded_by for s in catalogue.catalogue() if s.superseded_by}


# --- Standards applied to a device ------------------------------------------------------------


def _validate_applied(applied: AppliedStandard) -> None:
    applied.justification = (applied.justification or "").strip()
    applied.clauses = (applied.clauses or "").strip()
    applied.notes = (applied.notes or "").strip()
    applied.full_clean()


def applied_standard_add(
    *, actor, device: Device, edition: StandardEdition, reason: str = "", **fields
) -> AppliedStandard:
    """Record that the device applies a standard or common specification (Annex II 4(c))."""
    perms.require_perm(actor, perms.COMPLIANCE_CHANGE)
    reject_unknown_fields(fields, APPLIED_FIELDS)
    if AppliedStandard.objects.filter(device=device, edition=edition).exists():
        raise ValidationError(
            {
                "edition": gettext("%(edition)s is already applied to this device.")
                % {"edition": edition.label}
            }
        )
    if edition.kind == Kind.COMMON_SPECIFICATION and edition.harmonised not in (
        device.regime,
        "both",
    ):
        raise ValidationError(
            {
                "edition": gettext(
                    "%(edition)s is not a common specification under the %(regime)s."
                )
                % {"edition": edition.label, "regime": device.regime.upper()}
            }
        )
    applied = AppliedStandard(device=device, edition=edition, **fields)
    _validate_applied(applied)
    with audited(actor=actor, reason=reason):
        applied.save()
    return applied


def applied_standard_update(
    *, actor, applied: AppliedStandard, reason: str = "", **fields
) -> AppliedStandard:
    """Change how a device applies a standard (in full or in part, the clauses, the why)."""
    perms.require_perm(actor, perms.COMPLIANCE_CHANGE)
    reject_unknown_fields(fields, APPLIED_FIELDS)
    for name, value in fields.items():
        setattr(applied, name, value)
    _validate_applied(applied)
    with audited(actor=actor, reason=reason):
        applied.save()
    return applied


def applied_standard_remove(*, actor, applied: AppliedStandard, reason: str = "") -> None:
    """Remove a standard from the device's list; refused while GSPR entries still cite it."""
    perms.require_perm(actor, perms.COMPLIANCE_CHANGE)
    cited = sorted(
        applied.gspr_entries.values_list("number", flat=True), key=_requirement_order(applied)
    )
    if cited:
        raise ValidationError(
            gettext("The GSPR checklist cites %(edition)s for %(numbers)s; remove it there first.")
            % {"edition": applied.edition.label, "numbers": ", ".join(cited)}
        )
    with audited(actor=actor, reason=reason):
        applied.delete()


def _requirement_order(applied: AppliedStandard):
    order = {r.number: i for i, r in enumerate(gspr.catalogue(applied.device.regime))}
    return lambda number: order.get(number, len(order))


# --- GSPR checklist ---------------------------------------------------------------------------


def requirement_for(device: Device, number: str) -> gspr.Requirement:
    """The assessable Annex I requirement `number` of the device's regulation, or an error."""
    requirement = gspr.by_number(device.regime).get(str(number or "").strip())
    if requirement is None or requirement.heading:
        raise ValidationError(
            {
                "number": gettext("%(number)s is not a requirement of %(regime)s Annex I.")
                % {"number": number, "regime": device.regime.upper()}
            }
        )
    return requirement


def _clean_methods(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str) or not isinstance(value, list | tuple | set):
        raise ValidationError({"methods": gettext("Give a list of methods.")})
    allowed = {m.value for m in Method}
    unknown = [str(v) for v in value if v not in allowed]
    if unknown:
        raise ValidationError(
            {"methods": gettext("Unknown method: %(values)s") % {"values": ", ".join(unknown)}}
        )
    return [m.value for m in Method if m.value in set(value)]


def _clean_standards(device: Device, value) -> list[AppliedStandard]:
    if isinstance(value, str) or not isinstance(value, list | tuple | set | models.QuerySet):
        raise ValidationError({"standards": gettext("Give a list of applied standards.")})
    ids = []
    for item in value:
        try:
            ids.append(int(getattr(item, "pk", item)))
        except (TypeError, ValueError):
            raise ValidationError(
                {"standards": gettext("%(value)s is not an id.") % {"value": item}}
            ) from None
    found = {a.pk: a for a in AppliedStandard.objects.filter(device=device, pk__in=ids)}
    missing = [str(i) for i in ids if i not in found]
    if missing:
        raise ValidationError(
            {
                "standards": gettext("Cite only standards applied to this device (not: %(ids)s).")
                % {"ids": ", ".join(missing)}
            }
        )
    return [found[i] for i in dict.fromkeys(ids)]


def gspr_entry_save(*, actor, device: Device, number: str, reason: str = "", **fields) -> GsprEntry:
    """Create or change the device's checklist entry for one Annex I requirement.

    Only the given fields change. A requirement that does not apply needs a justification
    (Annex II 4(a)); cited standards must be ones the device applies.
    """
    perms.require_perm(actor, perms.COMPLIANCE_CHANGE)
    reject_unknown_fields(fields, GSPR_FIELDS)
    requirement = requirement_for(device, number)
    entry = GsprEntry.objects.filter(device=device, number=requirement.number).first()
    if entry is None:
        entry = GsprEntry(device=device, number=requirement.number)
    standards = None
    if "standards" in fields:
        standards = _clean_standards(device, fields.pop("standards"))
    if "methods" in fields:
        fields["methods"] = _clean_methods(fields["methods"])
    for name, value in fields.items():
        setattr(entry, name, value.strip() if isinstance(value, str) else value)
    entry.full_clean()
    if entry._state.adding and not (_has_content(entry) or standards):
        return entry  # an empty form or body creates no record
    with audited(actor=actor, reason=reason):
        entry.save()
        if standards is not None:
            _set_standards(entry, standards)
    return entry


def _has_content(entry: GsprEntry) -> bool:
    return entry.applicable is not None or any(
        (entry.justification, entry.methods, entry.evidence, entry.requirement_text)
    )


def _set_standards(entry: GsprEntry, standards: list[AppliedStandard]) -> None:
    current = list(entry.standards.select_related("edition"))
    if {a.pk for a in current} == {a.pk for a in standards}:
        return
    entry.standards.set(standards)
    record_event(
        Event.RECORD_UPDATED,
        obj=entry,
        action="update",
        changes={
            "standards": [
                sorted(a.edition.label for a in current),
                sorted(a.edition.label for a in standards),
            ]
        },
    )
