"""Reads of the standards register, the standards a device applies and its GSPR checklist."""

import re
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from samsvar.core import permissions as perms
from samsvar.devices.models import Device
from samsvar.regulatory import gspr
from samsvar.regulatory import standards as catalogue
from samsvar.standards.models import AppliedStandard, GsprEntry, Kind, Method, StandardEdition

# GSPR row status, for the filter and the exports.
COMPLETE = "complete"
INCOMPLETE = "incomplete"
NOT_ASSESSED = "not_assessed"
STATUS_LABELS = {
    COMPLETE: _("Complete"),
    INCOMPLETE: _("Incomplete"),
    NOT_ASSESSED: _("Not assessed"),
}


def edition_list(*, user, regime: str = "", status: str = "", kind: str = "", query: str = ""):
    """The register, filtered: `regime` keeps what is harmonised (or adopted) under it."""
    if not perms.has_perm(user, perms.RECORD_VIEW):
        return StandardEdition.objects.none()
    qs = StandardEdition.objects.all()
    if regime:
        qs = qs.filter(harmonised__in=[regime, "both"])
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if query:
        qs = qs.filter(
            Q(number__icontains=query)
            | Q(title__icontains=query)
            | Q(title_nb__icontains=query)
            | Q(identical_to__icontains=query)
        )
    return qs.select_related("superseded_by").order_by("kind", "number", "-year")


def access_edition_by_id(*, user, edition_id) -> StandardEdition:
    """The register entry, or 404 whether it does not exist or the user may not see it."""
    try:
        return edition_list(user=user).get(pk=int(edition_id))
    except (StandardEdition.DoesNotExist, ValueError, TypeError):
        raise Http404("No such standard") from None


def applied_standards(*, user, device: Device):
    if not perms.has_perm(user, perms.RECORD_VIEW):
        return AppliedStandard.objects.none()
    return (
        AppliedStandard.objects.filter(device=device)
        .select_related("edition", "edition__superseded_by")
        .order_by("edition__kind", "edition__number", "-edition__year")
    )


def access_applied_standard_by_id(*, user, applied_id) -> AppliedStandard:
    if not perms.has_perm(user, perms.RECORD_VIEW):
        raise Http404("No such applied standard")
    try:
        return AppliedStandard.objects.select_related("device", "edition").get(pk=int(applied_id))
    except (AppliedStandard.DoesNotExist, ValueError, TypeError):
        raise Http404("No such applied standard") from None


def register_for_warnings() -> list[catalogue.Standard]:
    """The register as the pure catalogue sees it (standards only, not common specifications)."""
    return [
        e.as_catalogue_entry()
        for e in StandardEdition.objects.filter(kind=Kind.STANDARD).select_related("superseded_by")
    ]


def warnings_for(applied: list[AppliedStandard], today: date | None = None) -> dict[int, list]:
    """Edition warnings (superseded, transition ended or ending) per applied standard's pk."""
    today = today or timezone.localdate()
    register = register_for_warnings()
    result: dict[int, list] = {}
    for item in applied:
        if item.edition.kind != Kind.STANDARD:
            result[item.pk] = []
            continue
        edition = catalogue.AppliedEdition(
            item.edition.number, item.edition.year, tuple(item.edition.amendments or ())
        )
        result[item.pk] = catalogue.edition_warnings([edition], today, register=register)
    return result


# --- GSPR checklist ---------------------------------------------------------------------------


@dataclass
class GsprRow:
    """One requirement of Annex I with the device's entry for it (None when not assessed)."""

    requirement: gspr.Requirement
    entry: GsprEntry | None
    status: str  # COMPLETE / INCOMPLETE / NOT_ASSESSED, "" for a heading
    standards: list = field(default_factory=list)

    @property
    def number(self) -> str:
        return self.requirement.number

    @property
    def heading(self) -> bool:
        return self.requirement.heading

    @property
    def title(self) -> str:
        return self.requirement.title(get_language() or "en")

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS.get(self.status, ""))

    @property
    def chapter_title(self) -> str:
        chapter = _chapters(self.requirement.regime)[self.requirement.chapter]
        return chapter.title_nb if (get_language() or "en").startswith("nb") else chapter.title_en

    @property
    def anchor(self) -> str:
        return "req-" + re.sub(r"[^0-9a-z]+", "-", self.requirement.number.lower()).strip("-")

    @property
    def method_labels(self) -> list[str]:
        if self.entry is None:
            return []
        return [str(Method(m).label) for m in self.entry.methods if m in Method.values]

    @property
    def standard_labels(self) -> list[str]:
        return [a.edition.label for a in self.standards]


def _chapters(regime: str) -> dict[str, gspr.Chapter]:
    return {c.number: c for c in gspr.chapters(regime)}


def entry_facts(entry: GsprEntry) -> dict:
    """The entry as `gspr.completeness` reads it."""
    return {
        "number": entry.number,
        "applicable": entry.applicable,
        "justification": entry.justification,
        "methods": tuple(entry.methods or ()),
        "evidence": tuple(entry.evidence_lines),
    }


def row_status(entry: GsprEntry | None) -> str:
    if entry is None or entry.applicable is None:
        return NOT_ASSESSED
    return COMPLETE if gspr.completeness([entry_facts(entry)])["complete"] else INCOMPLETE


def gspr_entries(*, user, device: Device):
    if not perms.has_perm(user, perms.RECORD_VIEW):
        return GsprEntry.objects.none()
    return GsprEntry.objects.filter(device=device).prefetch_related(
        Prefetch(
            "standards",
            queryset=AppliedStandard.objects.select_related("edition").order_by(
                "edition__number", "-edition__year"
            ),
        )
    )


@dataclass
class GsprChecklist:
    device: Device
    rows: list[GsprRow]
    summary: dict

    @property
    def assessable(self) -> int:
        return sum(1 for row in self.rows if not row.heading)

    @property
    def percent(self) -> int:
        return round(100 * self.summary["complete"] / self.assessable) if self.assessable else 0


def gspr_checklist(
    *, user, device: Device, chapter: str = "", status: str = "", query: str = ""
) -> GsprChecklist:
    """Every Annex I requirement of the device's regulation with its entry, in two queries.

    The summary counts the whole checklist; the filters (chapter, status, text) only choose
    the rows shown, keeping the headings above the rows that remain.
    """
    entries = {e.number: e for e in gspr_entries(user=user, device=device)}
    requirements = gspr.catalogue(device.regime)
    numbers = {r.number for r in requirements if not r.heading}
    summary = gspr.completeness(
        [entry_facts(e) for n, e in entries.items() if n in numbers], regime=device.regime
    )
    rows = []
    for requirement in requirements:
        entry = entries.get(requirement.number)
        rows.append(
            GsprRow(
                requirement=requirement,
                entry=entry,
                status="" if requirement.heading else row_status(entry),
                standards=list(entry.standards.all()) if entry else [],
            )
        )
    if chapter or status or query:
        rows = _filtered(rows, chapter=chapter, status=status, query=query)
    return GsprChecklist(device=device, rows=rows, summary=summary)


def _filtered(rows: list[GsprRow], *, chapter: str, status: str, query: str) -> list[GsprRow]:
    needle = query.strip().lower()

    def keep(row: GsprRow) -> bool:
        if chapter and row.requirement.chapter != chapter:
            return False
        if status and row.status != status:
            return False
        if needle:
            r = row.requirement
            text = f"{r.number} {r.title_en} {r.title_nb}".lower()
            if row.entry is not None:
                text += f" {row.entry.evidence} {row.entry.justification}".lower()
            if needle not in text:
                return False
        return True

    shown = [row for row in rows if not row.heading and keep(row)]
    ancestors = set()
    for row in shown:
        number = row.requirement.parent
        while number:
            ancestors.add(number)
            number = gspr.parent_of(number)
    kept = {row.number for row in shown} | ancestors
    return [row for row in rows if row.number in kept]


def gspr_row(*, user, device: Device, number: str) -> GsprRow:
    """One row of the checklist (for the inline editor and the API)."""
    requirement = gspr.by_number(device.regime).get(number)
    if requirement is None or requirement.heading:
        raise Http404("No such requirement")
    entry = gspr_entries(user=user, device=device).filter(number=number).first()
    return GsprRow(
        requirement=requirement,
        entry=entry,
        status=row_status(entry),
        standards=list(entry.standards.all()) if entry else [],
    )
