from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from samsvar.compliance import selectors
from samsvar.compliance.models import Declaration, Obligation, ObligationStatus
from samsvar.compliance.services import DECLARATION_FIELDS, OBLIGATION_FIELDS
from samsvar.core.forms import ServiceModelForm
from samsvar.regulatory import techdoc

REASON_HELP = _("Why it changes; kept in the audit trail.")


def reason_field(**kwargs):
    return forms.CharField(label=_("Reason for change"), required=False, max_length=500, **kwargs)


class ObligationForm(ServiceModelForm):
    """Status, owner, due date and notes of one obligation; `obligation_update` validates."""

    reason = reason_field(help_text=REASON_HELP)

    class Meta:
        model = Obligation
        fields = list(OBLIGATION_FIELDS)
        widgets = {
            "due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "justification": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = selectors.people(user=user)
        self.fields["owner"].label_from_instance = lambda u: u.full_name or u.username


class EvidenceForm(forms.Form):
    """Link a samsvar record or name an outside document as evidence for an obligation."""

    record = forms.ChoiceField(label=_("samsvar record"), required=False)
    external_reference = forms.CharField(
        label=_("or an external reference"),
        required=False,
        max_length=300,
        help_text=_("e.g. “SOP-004 Document control, rev. C”"),
    )
    label = forms.CharField(label=_("Label (optional)"), required=False, max_length=300)

    def __init__(self, *args, user=None, obligation=None, **kwargs):
        from samsvar.compliance.services import evidence_label

        super().__init__(*args, **kwargs)
        self.records = dict(selectors.linkable_records(user=user, obligation=obligation))
        self.fields["record"].choices = [("", "—")] + [
            (value, evidence_label(record)) for value, record in self.records.items()
        ]

    def clean_record(self):
        value = self.cleaned_data["record"]
        return self.records.get(value) if value else None


class TechdocReferenceForm(forms.Form):
    section_key = forms.ChoiceField(label=_("Section"))
    document_number = forms.CharField(label=_("Document number"), max_length=60)
    title = forms.CharField(label=_("Title"), max_length=300)
    location = forms.CharField(
        label=_("Location"),
        required=False,
        max_length=300,
        help_text=_("Where the controlled copy is: a document system path, archive or URL."),
    )

    def __init__(self, *args, device=None, **kwargs):
        super().__init__(*args, **kwargs)
        language = get_language() or "en"
        self.fields["section_key"].choices = [
            (s.key, f"{_('Annex')} {s.annex} {s.number} {s.title(language)}")
            for s in techdoc.sections(device.regime)
            if not s.heading
        ]


class LinesField(forms.CharField):
    """A list of strings, one per line of a textarea."""

    widget = forms.Textarea(attrs={"rows": 5})

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(str(v) for v in value)
        return value

    def to_python(self, value):
        text = super().to_python(value)
        return [line.strip() for line in text.splitlines() if line.strip()]


class DeclarationForm(ServiceModelForm):
    """What only the manufacturer can state in its declaration; the rest comes from the records."""

    references = LinesField(
        label=_("Harmonised standards and other specifications applied"),
        required=False,
        help_text=_(
            "One per line, with the date of the version, e.g. “EN ISO 14971:2019+A11:2021”. "
            "Prefilled from the standards register; confirm the list."
        ),
    )
    common_specifications = LinesField(
        label=_("Common specifications applied"),
        required=False,
        help_text=_("One per line; leave empty when none apply."),
    )
    reason = reason_field(
        help_text=_(
            "Required when the current version is signed; the change then creates a new version."
        )
    )

    class Meta:
        model = Declaration
        fields = list(DECLARATION_FIELDS)
        widgets = {
            "date_of_issue": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "other_legislation": forms.Textarea(attrs={"rows": 2}),
            "authorised_representative": forms.Textarea(attrs={"rows": 2}),
            "conformity_procedure": forms.Textarea(attrs={"rows": 2}),
            "additional_information": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, notified_body_required=False, **kwargs):
        super().__init__(*args, **kwargs)
        if notified_body_required:
            for name in (
                "notified_body_name",
                "notified_body_number",
                "conformity_procedure",
                "certificate",
            ):
                self.fields[name].required = True


class StatementForm(forms.Form):
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("e.g. why the overview is drawn up now (release, audit, management review)."),
    )


class ObligationFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)
    overdue = forms.BooleanField(label=_("Only overdue"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("All")), *ObligationStatus.choices]
