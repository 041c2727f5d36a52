"""Forms of the risk register, the traceability and history pages, production and
post-production information (ISO 14971:2019 10) and the FMEA worksheets.

They collect input; the services validate the records and say which field is wrong. Records of
a large file are named by their numbers (R-012, HS-004, H-003) rather than offered in selects
with thousands of options.
"""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from samsvar.regulatory.risk import catalogue
from samsvar.regulatory.risk import fmea as fmea_rules
from samsvar.risk.models import (
    Finding,
    FmeaKind,
    Harm,
    Hazard,
    HazardOrigin,
    HazardousSituation,
    InfoSource,
    Risk,
    code,
)

YES_NO = [("", _("All")), ("yes", _("Yes")), ("no", _("No"))]

SORT_CHOICES = [
    ("number", _("Number")),
    ("-number", _("Number, newest first")),
    ("hazard", _("Hazard")),
    ("situation", _("Hazardous situation")),
    ("harm", _("Harm")),
    ("-severity", _("Severity, highest first")),
    ("severity", _("Severity, lowest first")),
    ("-p", _("Probability, highest first")),
    ("p", _("Probability, lowest first")),
    ("level", _("Level before control, worst first")),
    ("-level", _("Level before control, best first")),
    ("residual", _("Level after control, worst first")),
    ("-residual", _("Level after control, best first")),
]
GROUP_CHOICES = [
    ("", _("No grouping")),
    ("hazard", _("Hazard")),
    ("harm", _("Harm")),
    ("level", _("Level before control")),
]


def language() -> str:
    return get_language() or "en"


def category_choices() -> list[tuple[str, str]]:
    """The hazard groups and their sub-categories of the built-in catalogue (ISO 14971 Annex C
    grouping), sub-categories indented under their group."""
    lang = language()
    choices = []
    for item in catalogue.all_hazard_categories():
        label = item.title(lang) if item.is_group else f"— {item.title(lang)}"
        choices.append((item.key, label))
    return choices


def level_choices(levels, prefix: str) -> list[tuple[str, str]]:
    lang = language()
    return [(str(level.rank), f"{prefix}{level.rank} {level.name(lang)}") for level in levels]


class RegisterFilterForm(forms.Form):
    """Filters, sort and grouping of the risk register. The after-control filters select the
    cell a risk stands in now: its residual estimate when it has control measures, else its
    estimate before control (as in the matrix after control)."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    category = forms.ChoiceField(label=_("Hazard category"), required=False)
    hazard = forms.CharField(
        label=_("Hazard"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"placeholder": "H-001", "size": 8}),
    )
    harm = forms.ChoiceField(label=_("Harm"), required=False)
    severity = forms.ChoiceField(label=_("Severity before control"), required=False)
    p = forms.ChoiceField(label=_("P before control"), required=False)
    acceptable = forms.ChoiceField(
        label=_("Acceptable before control"), choices=YES_NO, required=False
    )
    residual_severity = forms.ChoiceField(label=_("Severity after control"), required=False)
    residual_p = forms.ChoiceField(label=_("P after control"), required=False)
    residual_acceptable = forms.ChoiceField(
        label=_("Acceptable after control"), choices=YES_NO, required=False
    )
    controlled = forms.ChoiceField(label=_("Has control measures"), choices=YES_NO, required=False)
    estimated = forms.ChoiceField(label=_("Estimated"), choices=YES_NO, required=False)
    flagged = forms.ChoiceField(label=_("Flagged for review"), choices=YES_NO, required=False)
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORT_CHOICES, required=False)
    group = forms.ChoiceField(label=_("Group by"), choices=GROUP_CHOICES, required=False)

    # Passed to the register selector as they are; the rest are handled by the view.
    SELECTOR_FILTERS = (
        "q",
        "category",
        "hazard",
        "harm",
        "severity",
        "p",
        "acceptable",
        "residual_acceptable",
        "controlled",
        "estimated",
        "flagged",
    )

    def __init__(self, *args, device, policy=None, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self.fields["category"].choices = everything + category_choices()
        self.device = device
        harms = Harm.objects.filter(device=device).order_by("name")
        self.fields["harm"].choices = everything + [
            (str(pk), name) for pk, name in harms.values_list("pk", "name")
        ]
        severities = level_choices(policy.severity.ordered(), "S") if policy else []
        probabilities = level_choices(policy.probability.ordered(), "P") if policy else []
        for name in ("severity", "residual_severity"):
            self.fields[name].choices = everything + severities
        for name in ("p", "residual_p"):
            self.fields[name].choices = everything + probabilities

    def clean_hazard(self):
        """The hazard named by its number (H-003), as the id the register selector takes."""
        field = CodeField(model=Hazard, required=False)
        field.device = self.device
        hazard = field.clean(self.cleaned_data["hazard"])
        return str(hazard.pk) if hazard is not None else ""

    def selector_filters(self) -> dict:
        data = self.cleaned_data
        return {name: data[name] for name in self.SELECTOR_FILTERS if data.get(name)}

    def final_cell(self) -> dict:
        """Filters on the cell after control, as columns of `selectors.with_final`."""
        data = self.cleaned_data
        cell = {}
        if data.get("residual_severity"):
            cell["final_severity"] = int(data["residual_severity"])
        if data.get("residual_p"):
            cell["final_p"] = int(data["residual_p"])
        return cell


# --- Records named by their numbers -----------------------------------------------------------

_CODE = re.compile(r"^(?:([A-Za-z]+)-?)?0*(\d+)$")


def parse_codes(text: str, prefix: str) -> tuple[list[int], list[str]]:
    """Record numbers from text such as "R-012, R-14 7" (the prefix is optional); returns the
    numbers and the parts that are not a number with this prefix."""
    numbers, bad = [], []
    for part in re.split(r"[\s,;]+", text or ""):
        if not part:
            continue
        match = _CODE.match(part)
        if match is None or (match.group(1) and match.group(1).upper() != prefix):
            bad.append(part)
            continue
        numbers.append(int(match.group(2)))
    return numbers, bad


class CodesField(forms.CharField):
    """Records of one device named by their numbers; cleans to a list of records."""

    def __init__(self, *, model, **kwargs):
        self.model = model
        self.device = None
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 5000)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(getattr(item, "code", str(item)) for item in value)
        return value

    def clean(self, value):
        text = super().clean(value)
        prefix = self.model.prefix
        numbers, bad = parse_codes(text, prefix)
        if bad:
            raise forms.ValidationError(
                _("Not a number of the form %(example)s: %(parts)s")
                % {"example": f"{prefix}-012", "parts": ", ".join(bad)}
            )
        numbers = list(dict.fromkeys(numbers))
        found = {
            record.number: record
            for record in self.model.objects.filter(device=self.device, number__in=numbers)
        }
        missing = [n for n in numbers if n not in found]
        if missing:
            raise forms.ValidationError(
                _("Not in this device's file: %(codes)s")
                % {"codes": ", ".join(code(prefix, n) for n in missing)}
            )
        return [found[n] for n in numbers]


class CodeField(CodesField):
    """One record of the device named by its number, or None."""

    def prepare_value(self, value):
        return getattr(value, "code", value) or ""

    def clean(self, value):
        records = super().clean(value)
        if len(records) > 1:
            raise forms.ValidationError(_("Give one number only."))
        return records[0] if records else None


def reason_field(required: bool = False):
    return forms.CharField(
        label=_("Reason for change"),
        required=required,
        max_length=500,
        help_text=_("Recorded in the audit trail with the change."),
    )


# --- Production and post-production information (10) -----------------------------------------


class ProductionInfoForm(forms.Form):
    """One information item; `production_info_create`/`_update` validate and save it."""

    source = forms.ChoiceField(label=_("Source"), choices=InfoSource.choices)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    reference = forms.CharField(
        label=_("Reference"),
        required=False,
        max_length=200,
        help_text=_("Complaint, service report, article or database entry, e.g. CMP-2026-014."),
    )
    description = forms.CharField(
        label=_("Description"), max_length=20000, widget=forms.Textarea(attrs={"rows": 4})
    )
    situation = CodeField(
        model=HazardousSituation,
        label=_("Hazardous situation"),
        help_text=_("The hazardous situation observed, by its number, e.g. HS-004."),
    )
    occurrences = forms.IntegerField(
        label=_("Occurrences"),
        required=False,
        min_value=0,
        help_text=_("How often the hazardous situation was observed."),
    )
    exposure = forms.IntegerField(
        label=_("Exposure (uses)"),
        required=False,
        min_value=0,
        help_text=_("How many uses the occurrences were observed in."),
    )
    hazards = CodesField(
        model=Hazard,
        label=_("Hazards"),
        help_text=_("Numbers separated by commas, e.g. H-003, H-007."),
    )
    risks = CodesField(
        model=Risk,
        label=_("Risks"),
        help_text=_("Numbers separated by commas, e.g. R-012, R-014."),
    )
    finding = forms.ChoiceField(
        label=_("Finding"),
        choices=Finding.choices,
        initial=Finding.NONE,
        help_text=_(
            "A new hazard, an underestimated probability or a worse severity flags the linked "
            "risks for review."
        ),
    )
    reason = reason_field()

    def __init__(self, *args, device, item=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("situation", "hazards", "risks"):
            self.fields[name].device = device
        if item is not None:
            for name in (
                "source",
                "date",
                "reference",
                "description",
                "situation",
                "occurrences",
                "exposure",
                "finding",
            ):
                self.initial.setdefault(name, getattr(item, name))
            self.initial.setdefault("hazards", list(item.hazards.order_by("number")))
            self.initial.setdefault("risks", list(item.risks.order_by("number")))


class NoteForm(forms.Form):
    """The conclusion of a review (ISO 14971:2019 10.4), recorded as the reason of the change."""

    note = forms.CharField(
        label=_("Review note"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the review found and decided."),
    )


class DeleteForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for deleting"),
        max_length=500,
        help_text=_("Recorded in the audit trail."),
    )


class InfoFilterForm(forms.Form):
    source = forms.ChoiceField(label=_("Source"), required=False)
    open = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), ("yes", _("Open")), ("no", _("Closed"))],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [("", _("All")), *InfoSource.choices]


# --- FMEA -------------------------------------------------------------------------------------


class WorksheetForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=FmeaKind.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    reason = reason_field()


SCORE_HELP = {
    "severity": _("Severity of the effect, 1 (none) to 10 (most severe)."),
    "occurrence": _("Occurrence of the cause, 1 (remote) to 10 (almost certain)."),
    "detection": _("1: almost certainly detected before it causes the effect; 10: not at all."),
}


def score_field(label, name):
    return forms.IntegerField(
        label=label,
        min_value=fmea_rules.SCALE_MIN,
        max_value=fmea_rules.SCALE_MAX,
        help_text=SCORE_HELP[name],
        widget=forms.NumberInput(attrs={"min": 1, "max": 10, "class": "score"}),
    )


class FmeaRowForm(forms.Form):
    """One failure mode; RPN = S x O x D is computed by the service, never typed in."""

    item_function = forms.CharField(label=_("Item or function"), max_length=300)
    failure_mode = forms.CharField(
        label=_("Failure mode"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )
    effect = forms.CharField(
        label=_("Effect"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    cause = forms.CharField(
        label=_("Cause"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    severity = score_field(_("S"), "severity")
    occurrence = score_field(_("O"), "occurrence")
    detection = score_field(_("D"), "detection")
    actions = forms.CharField(
        label=_("Actions"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    hazard = forms.TypedChoiceField(
        label=_("Linked hazard"), required=False, coerce=int, empty_value=None
    )
    reason = reason_field()

    def __init__(self, *args, device, row=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.hazards = {
            hazard.pk: hazard for hazard in Hazard.objects.filter(device=device).order_by("number")
        }
        self.fields["hazard"].choices = [("", "—")] + [
            (pk, str(hazard)) for pk, hazard in self.hazards.items()
        ]
        if row is not None:
            for name in (
                "item_function",
                "failure_mode",
                "effect",
                "cause",
                "severity",
                "occurrence",
                "detection",
                "actions",
            ):
                self.initial.setdefault(name, getattr(row, name))
            self.initial.setdefault("hazard", row.hazard_id)

    def clean_hazard(self):
        pk = self.cleaned_data["hazard"]
        return self.hazards.get(pk) if pk is not None else None


class FmeaHazardForm(forms.Form):
    """A hazard created from an FMEA row; title and description start from the row."""

    origin = forms.ChoiceField(
        label=_("Origin"), choices=HazardOrigin.choices, initial=HazardOrigin.CATALOGUE
    )
    category_key = forms.ChoiceField(
        label=_("Hazard category"),
        required=False,
        help_text=_("Required unless the hazard is the manufacturer's own."),
    )
    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reason = reason_field()

    def __init__(self, *args, row, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category_key"].choices = [("", "—"), *category_choices()]
        self.initial.setdefault("title", " ".join(row.failure_mode.split())[:300])
        self.initial.setdefault(
            "description",
            "\n".join(part for part in (row.item_function, row.effect, row.cause) if part),
        )
