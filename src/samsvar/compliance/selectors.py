"""Reads of the compliance records, starting from what the user may see."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth import get_user_model
from django.db.models import F, Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from samsvar.compliance.models import (
    OPEN_STATUSES,
    ComplianceStatement,
    Declaration,
    Evidence,
    Obligation,
    TechdocReference,
    catalogue_items,
    is_overdue,
)
from samsvar.core import permissions as perms
from samsvar.devices.models import Classification, Device
from samsvar.regulatory import techdoc

# --- Obligations ------------------------------------------------------------------------------


def obligation_list(
    *,
    user,
    device: Device | int | None = None,
    manufacturer: bool = False,
    status: str = "",
    paragraph: str = "",
    overdue: bool | None = None,
    today: date | None = None,
):
    """Obligations in Article order. Items of a regulation the device has left are not shown.

    `status` is one of ObligationStatus; `paragraph` matches "10(9)" and its points "10(9)(a)".
    """
    if not perms.has_perm(user, perms.RECORD_VIEW):
        return Obligation.objects.none()
    qs = Obligation.objects.filter(Q(device__isnull=True) | Q(regime=F("device__regime")))
    if device is not None:
        qs = qs.filter(device=device)
    if manufacturer:
        qs = qs.filter(device__isnull=True)
    if status:
        qs = qs.filter(status=status)
    if paragraph:
        qs = qs.filter(Q(paragraph=paragraph) | Q(paragraph__startswith=f"{paragraph}("))
    if overdue is not None:
        late = Q(status__in=OPEN_STATUSES, due_date__lt=today or timezone.localdate())
        qs = qs.filter(late) if overdue else qs.exclude(late)
    return qs.select_related("device", "owner").order_by(
        "regime", F("device__name").asc(nulls_first=True), "position", "pk"
    )


def access_obligation_by_id(*, user, obligation_id) -> Obligation:
    """The obligation, or 404 whether it does not exist or the user may not see it."""
    try:
        return obligation_list(user=user).get(pk=int(obligation_id))
    except (Obligation.DoesNotExist, ValueError, TypeError):
        raise Http404("No such obligation") from None


def access_evidence_by_id(*, user, evidence_id) -> Evidence:
    if not perms.has_perm(user, perms.RECORD_VIEW):
        raise Http404("No such evidence")
    try:
        return Evidence.objects.select_related("obligation").get(pk=int(evidence_id))
    except (Evidence.DoesNotExist, ValueError, TypeError):
        raise Http404("No such evidence") from None


def with_evidence(obligations):
    """The obligations with their evidence fetched in one query."""
    return obligations.prefetch_related("evidence")


def linkable_records(*, user, obligation: Obligation) -> list[tuple[str, object]]:
    """(choice value, record) of the samsvar records that can be evidence for an obligation.

    A device's obligation may point to the device and its classification; a manufacturer's
    obligation to any device of the same regulation and its classification.
    """
    if not perms.has_perm(user, perms.RECORD_VIEW):
        return []
    if obligation.device_id:
        devices = Device.objects.filter(pk=obligation.device_id)
    else:
        devices = Device.objects.filter(regime=obligation.regime).order_by("name")
    found: list[tuple[str, object]] = []
    classifications = {
        c.device_id: c
        for c in Classification.objects.filter(device__in=devices).select_related("device")
    }
    for each in devices:
        found.append((f"devices.device:{each.pk}", each))
        if each.pk in classifications:
            found.append(
                (f"devices.classification:{classifications[each.pk].pk}", classifications[each.pk])
            )
    return found


def people(*, user):
    """Active people who can own an obligation."""
    if not perms.has_perm(user, perms.RECORD_VIEW):
        return get_user_model().objects.none()
    return get_user_model().objects.filter(is_active=True).order_by("full_name", "username")


# --- Progress: per paragraph, per device, and the matrix of the two ---------------------------


def empty_counts() -> dict:
    return {
        "total": 0,
        "met": 0,
        "not_applicable": 0,
        "in_progress": 0,
        "not_started": 0,
        "open": 0,
        "overdue": 0,
        "done": 0,
        "percent": 0,
    }


def _add(counts: dict, status: str, overdue: bool) -> None:
    counts["total"] += 1
    counts[status] += 1
    if status in OPEN_STATUSES:
        counts["open"] += 1
    else:
        counts["done"] += 1
    if overdue:
        counts["overdue"] += 1
    counts["percent"] = round(100 * counts["done"] / counts["total"])


def compliance_matrix(*, user=None, today: date | None = None) -> dict:
    """Progress per paragraph and per device, and the matrix of both, per regulation.

    Plain JSON values only, so the same structure is shown on the overview and frozen in a
    compliance statement. Two queries whatever the number of devices and obligations.
    """
    if user is not None and not perms.has_perm(user, perms.RECORD_VIEW):
        return {"regimes": [], "devices": [], "totals": empty_counts(), "unsynced": []}
    today = today or timezone.localdate()
    devices = list(Device.objects.order_by("name").values("id", "name", "regime", "device_class"))
    device_regime = {d["id"]: d["regime"] for d in devices}
    rows = Obligation.objects.values(
        "key", "regime", "parent_key", "scope", "device_id", "status", "due_date"
    )
    # (regime, top-level key) -> column id (None: the manufacturer) -> counts
    cells: dict[tuple[str, str], dict] = defaultdict(lambda: defaultdict(empty_counts))
    single_status: dict[tuple[str, str, int | None], str] = {}
    per_device: dict[int, dict] = defaultdict(empty_counts)
    per_manufacturer: dict[str, dict] = defaultdict(empty_counts)
    totals = empty_counts()
    for row in rows:
        device_id = row["device_id"]
        if device_id is not None and device_regime.get(device_id) != row["regime"]:
            continue  # the device moved to the other regulation; these items no longer apply
        top = row["parent_key"] or row["key"]
        late = is_overdue(row["status"], row["due_date"], today)
        _add(cells[(row["regime"], top)][device_id], row["status"], late)
        single_status[(row["regime"], row["key"], device_id)] = row["status"]
        _add(
            per_device[device_id] if device_id else per_manufacturer[row["regime"]],
            row["status"],
            late,
        )
        _add(totals, row["status"], late)
    regimes = []
    for regime in ("mdr", "ivdr"):
        items = catalogue_items(regime)
        regime_devices = [d for d in devices if d["regime"] == regime]
        has_manufacturer = regime in per_manufacturer
        if not regime_devices and not has_manufacturer:
            continue
        columns = [{"id": None, "kind": "manufacturer", "name": ""}] if has_manufacturer else []
        columns += [
            {"id": d["id"], "kind": "device", "name": d["name"], "class": d["device_class"]}
            for d in regime_devices
        ]
        table = []
        for key, item in items.items():
            if item.parent or (regime, key) not in cells:
                continue
            by_column = cells[(regime, key)]
            row_counts = empty_counts()
            row_cells = []
            for column in columns:
                counts = by_column.get(column["id"])
                if counts is None:
                    row_cells.append(None)
                    continue
                cell = dict(counts)
                if counts["total"] == 1:
                    cell["status"] = single_status.get((regime, key, column["id"]), "")
                row_cells.append(cell)
                for name in (
                    "total",
                    "met",
                    "not_applicable",
                    "in_progress",
                    "not_started",
                    "open",
                    "overdue",
                    "done",
                ):
                    row_counts[name] += counts[name]
            if row_counts["total"]:
                row_counts["percent"] = round(100 * row_counts["done"] / row_counts["total"])
            table.append(
                {
                    "key": key,
                    "paragraph": item.paragraph,
                    "title_en": item.title_en,
                    "title_nb": item.title_nb,
                    "scope": item.scope,
                    "cells": row_cells,
                    "counts": row_counts,
                }
            )
        regimes.append(
            {
                "regime": regime,
                "columns": columns,
                "rows": table,
                "manufacturer": per_manufacturer.get(regime, empty_counts()),
            }
        )
    device_rows = [
        {
            "id": d["id"],
            "name": d["name"],
            "regime": d["regime"],
            "class": d["device_class"],
            "counts": per_device.get(d["id"], empty_counts()),
        }
        for d in devices
    ]
    return {
        "today": today.isoformat(),
        "regimes": regimes,
        "devices": device_rows,
        "manufacturer": [
            {"regime": regime, "counts": counts}
            for regime, counts in sorted(per_manufacturer.items())
        ],
        "totals": totals,
        "unsynced": [d["name"] for d in device_rows if not d["counts"]["total"]],
    }


def compliance_snapshot(*, as_of) -> dict:
    """What a compliance statement freezes: manufacturer, PRRCs, the matrix and every item."""
    from samsvar.accounts.models import Prrc
    from samsvar.accounts.services import organisation_get

    organisation = organisation_get()
    today = timezone.localdate(as_of)
    matrix = compliance_matrix(today=today)
    evidence = defaultdict(list)
    for link in Evidence.objects.order_by("pk").values("obligation_id", "label"):
        evidence[link["obligation_id"]].append(link["label"])
    items = []
    for o in (
        Obligation.objects.filter(Q(device__isnull=True) | Q(regime=F("device__regime")))
        .select_related("device", "owner")
        .order_by("regime", F("device__name").asc(nulls_first=True), "position", "pk")
    ):
        item = o.item
        items.append(
            {
                "id": o.pk,
                "regime": o.regime,
                "paragraph": o.paragraph,
                "title_en": item.title_en if item else o.key,
                "title_nb": item.title_nb if item else o.key,
                "device": o.device.name if o.device_id else "",
                "status": o.status,
                "justification": o.justification,
                "owner": (o.owner.full_name or o.owner.username) if o.owner_id else "",
                "due_date": o.due_date.isoformat() if o.due_date else "",
                "overdue": is_overdue(o.status, o.due_date, today),
                "evidence": evidence.get(o.pk, []),
            }
        )
    prrcs = Prrc.objects.filter(active=True).order_by("full_name")
    return {
        "manufacturer": {
            "name": organisation.name if organisation else "",
            "address": organisation.address if organisation else "",
            "country": organisation.country if organisation else "",
            "srn": organisation.srn if organisation else "",
        },
        "prrcs": [
            {"name": p.full_name, "regimes": p.regimes, "responsibilities": p.responsibilities}
            for p in prrcs
        ],
        "matrix": matrix,
        "items": items,
    }


# --- Compliance statements --------------------------------------------------------------------


def statement_list(*, user):
    if not perms.has_perm(user, perms.RECORD_VIEW):
        return ComplianceStatement.objects.none()
    return ComplianceStatement.objects.order_by("-as_of", "-pk")


def access_statement_by_id(*, user, statement_id) -> ComplianceStatement:
    try:
        return statement_list(user=user).get(pk=int(statement_id))
    except (ComplianceStatement.DoesNotExist, ValueError, TypeError):
        raise Http404("No such compliance statement") from None


# --- Declaration of conformity ----------------------------------------------------------------


def declaration_for(*, user, device: Device) -> Declaration | None:
    if not perms.has_perm(user, perms.RECORD_VIEW):
        return None
    return Declaration.objects.filter(device=device).first()


def access_declaration(*, user, device: Device) -> Declaration:
    declaration = declaration_for(user=user, device=device)
    if declaration is None:
        raise Http404("No declaration of conformity for this device")
    return declaration


# --- Technical documentation index ------------------------------------------------------------


@dataclass
class TechdocEntry:
    """One thing that fills a section: a samsvar record (automatic) or a referenced document."""

    label: str
    document_number: str = ""
    location: str = ""
    url: str = ""
    automatic: bool = False
    reference: TechdocReference | None = None


@dataclass
class TechdocRow:
    section: techdoc.Section
    depth: int
    entries: list[TechdocEntry] = field(default_factory=list)
    covered: bool = False  # something fills it, an enclosing section or a section within it
    gap: bool = False

    @property
    def title(self) -> str:
        return self.section.title(get_language() or "en")


def _automatic_entries(device: Device) -> dict[tuple[str, str], list[TechdocEntry]]:
    from samsvar.compliance.services import evidence_label

    auto: dict[tuple[str, str], list[TechdocEntry]] = defaultdict(list)
    auto[("II", "1.1")].append(
        TechdocEntry(
            label=evidence_label(device),
            url=reverse("devices:detail", args=[device.pk]),
            automatic=True,
        )
    )
    classification = Classification.objects.filter(device=device).first()
    if classification is not None and classification.regime == device.regime:
        auto[("II", "1.1")].append(
            TechdocEntry(
                label=evidence_label(classification),
                url=reverse("devices:classification", args=[device.pk]),
                automatic=True,
            )
        )
    # The GSPR checklist and the applied standards live in the standards app.
    auto[("II", "4")].append(
        TechdocEntry(
            label=_("GSPR checklist (Annex I)"),
            url=f"/standards/devices/{device.pk}/gspr/",
            automatic=True,
        )
    )
    return auto


def techdoc_index(*, user, device: Device) -> tuple[list[TechdocRow], list[TechdocRow]]:
    """The Annex II and III sections of the device with what fills them, and the gaps.

    A section counts as covered when it, an enclosing section or a section within it has an
    entry; the gaps list shows each uncovered section once, at its highest level.
    """
    if not perms.has_perm(user, perms.RECORD_VIEW):
        return [], []
    sections = techdoc.sections(device.regime)
    by_number = {(s.annex, s.number): s for s in sections}
    auto = _automatic_entries(device)
    references = defaultdict(list)
    for ref in TechdocReference.objects.filter(device=device).order_by("document_number", "pk"):
        references[ref.section_key].append(
            TechdocEntry(
                label=ref.title,
                document_number=ref.document_number,
                location=ref.location,
                reference=ref,
            )
        )
    rows: list[TechdocRow] = []
    by_key: dict[str, TechdocRow] = {}
    for section in sections:
        depth = 0
        parent = section.parent
        while parent:
            depth += 1
            parent = by_number[(section.annex, parent)].parent
        row = TechdocRow(
            section=section,
            depth=depth,
            entries=[*auto.get((section.annex, section.number), []), *references[section.key]],
        )
        rows.append(row)
        by_key[section.key] = row

    def ancestors(section):
        parent = section.parent
        while parent:
            found = by_number[(section.annex, parent)]
            yield found
            parent = found.parent

    for row in rows:
        if not row.entries:
            continue
        row.covered = True
        for ancestor in ancestors(row.section):
            by_key[ancestor.key].covered = True
    for row in rows:
        if not row.covered and any(by_key[a.key].entries for a in ancestors(row.section)):
            row.covered = True
    for row in rows:
        row.gap = not row.covered and not row.section.heading
    gap_keys = {row.section.key for row in rows if row.gap}
    gaps = [
        row
        for row in rows
        if row.gap and not any(a.key in gap_keys for a in ancestors(row.section))
    ]
    return rows, gaps


def access_techdoc_reference_by_id(*, user, reference_id) -> TechdocReference:
    if not perms.has_perm(user, perms.RECORD_VIEW):
        raise Http404("No such reference")
    try:
        return TechdocReference.objects.select_related("device").get(pk=int(reference_id))
    except (TechdocReference.DoesNotExist, ValueError, TypeError):
        raise Http404("No such reference") from None
