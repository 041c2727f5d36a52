"""Forms of the standards register, the applied standards and the GSPR checklist.

They collect input; the services validate the record and say which field is wrong.
"""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from samsvar.core.forms import ServiceModelForm
from samsvar.devices.models import Regime
from samsvar.regulatory import gspr
from samsvar.standards import selectors
from samsvar.standards.models import (
    Application,
    AppliedStandard,
    EditionStatus,
    Kind,
    Method,
    StandardEdition,
)
from samsvar.standards.services import EDITION_FIELDS

REASON_HELP = _("Recorded in the audit trail with the change.")


def reason_field():
    return forms.CharField(
        label=_("Reason for change"), required=False, max_length=500, help_text=REASON_HELP
    )


class EditionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.label


class StandardEditionForm(ServiceModelForm):
    """A register entry; `standard_edition_create`/`_update` validate and save it."""

    amendments = forms.CharField(
        label=_("Amendments"),
        required=False,
        max_length=500,
        help_text=_("Separated by commas, e.g. AC:2018, A11:2021."),
    )
    superseded_by = EditionChoiceField(
        label=_("Superseded by"), queryset=StandardEdition.objects.none(), required=False
    )
    reason = reason_field()

    class Meta:
        model = StandardEdition
        fields = list(EDITION_FIELDS)
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 3}),
            "transition_end": forms.DateInput(attrs={"type": "date"}),
            "applies_from": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        others = StandardEdition.objects.order_by("number", "-year")
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
            self.initial["amendments"] = ", ".join(self.instance.amendments or [])
        self.fields["superseded_by"].queryset = others

    def clean_amendments(self):
        text = self.cleaned_data["amendments"]
        return [a.strip() for a in text.replace(";", ",").split(",") if a.strip()]


class StandardFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    regime = forms.ChoiceField(label=_("Harmonised under"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regime"].choices = [("", _("All")), *Regime.choices]
        self.fields["status"].choices = [("", _("All")), *EditionStatus.choices]
        self.fields["kind"].choices = [("", _("All")), *Kind.choices]


class AppliedStandardForm(forms.Form):
    """Add a standard to a device's list, or change how it is applied (the edition is fixed)."""

    edition = EditionChoiceField(label=_("Standard"), queryset=StandardEdition.objects.none())
    application = forms.ChoiceField(
        label=_("Applied"), choices=Application.choices, initial=Application.FULL
    )
    justification = forms.CharField(
        label=_("Justification"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when applied in part: which clauses are not applied, and why."),
    )
    clauses = forms.CharField(
        label=_("Clauses applied"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )
    reason = reason_field()

    def __init__(self, *args, device, applied: AppliedStandard | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if applied is not None:
            del self.fields["edition"]
            for name in ("application", "justification", "clauses", "notes"):
                self.initial.setdefault(name, getattr(applied, name))
        else:
            taken = AppliedStandard.objects.filter(device=device).values("edition_id")
            self.fields["edition"].queryset = (
                StandardEdition.objects.exclude(pk__in=taken)
                .filter(Q(kind=Kind.STANDARD) | Q(harmonised__in=[device.regime, "both"]))
                .order_by("kind", "number", "-year")
            )


class StandardsChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.edition.label


APPLICABLE_CHOICES = [("", _("Not decided")), ("yes", _("Yes")), ("no", _("No"))]


class GsprEntryForm(forms.Form):
    """One checklist entry; `gspr_entry_save` refuses 'not applicable' without a justification."""

    applicable = forms.ChoiceField(
        label=_("Applicable"), choices=APPLICABLE_CHOICES, required=False
    )
    justification = forms.CharField(
        label=_("Justification"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when the requirement does not apply: why not."),
    )
    methods = forms.MultipleChoiceField(
        label=_("Methods of conformity"),
        choices=Method.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    standards = StandardsChoiceField(
        label=_("Standards applied"),
        queryset=AppliedStandard.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("From the standards applied to this device."),
    )
    evidence = forms.CharField(
        label=_("Evidence"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One document reference per line, e.g. VER-IP3-012 electrical safety test."),
    )
    requirement_text = forms.CharField(
        label=_("Requirement text (optional)"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reason = reason_field()

    def __init__(self, *args, device, entry=None, standards=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["standards"].queryset = AppliedStandard.objects.filter(
            device=device
        ).select_related("edition")
        if entry is not None:
            self.initial.update(
                {
                    "applicable": {True: "yes", False: "no"}.get(entry.applicable, ""),
                    "justification": entry.justification,
                    "methods": list(entry.methods),
                    "standards": [a.pk for a in standards],
                    "evidence": entry.evidence,
                    "requirement_text": entry.requirement_text,
                }
            )

    def clean_applicable(self):
        return {"yes": True, "no": False}.get(self.cleaned_data["applicable"])


class GsprFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    chapter = forms.ChoiceField(label=_("Chapter"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args, regime: str, language: str = "en", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chapter"].choices = [
            ("", _("All")),
            *[
                (c.number, f"{c.number} {c.title_nb if language.startswith('nb') else c.title_en}")
                for c in gspr.chapters(regime)
            ],
        ]
        self.fields["status"].choices = [("", _("All")), *STATUS_CHOICES]


STATUS_CHOICES = list(selectors.STATUS_LABELS.items())
