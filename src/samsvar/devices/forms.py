from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from samsvar.core.forms import ServiceModelForm
from samsvar.devices.models import Device
from samsvar.devices.services import EDITABLE_FIELDS
from samsvar.regulatory import eea


def market_choices():
    names = eea.state_names(get_language() or "en")
    return sorted(names.items(), key=lambda item: item[1])


class MarketsField(forms.MultipleChoiceField):
    def __init__(self, **kwargs):
        # A callable, so the names follow the language of each request.
        super().__init__(
            choices=market_choices, widget=forms.SelectMultiple(attrs={"size": 8}), **kwargs
        )


class DeviceForm(ServiceModelForm):
    """Collects device register input; `device_create`/`device_update` validate and save."""

    variants = forms.CharField(
        label=_("Variants"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One variant or configuration per line."),
    )
    target_markets = MarketsField(label=_("Target markets (EEA states)"))
    reason = forms.CharField(
        label=_("Reason for change"),
        required=False,
        max_length=500,
        help_text=_(
            "Required when the current version is signed; the change then creates a new version."
        ),
    )

    class Meta:
        model = Device
        fields = list(EDITABLE_FIELDS)
        widgets = {"intended_purpose": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["variants"] = "\n".join(self.instance.variants or [])
        else:
            self.fields.pop("reason")

    def clean_variants(self):
        return [line.strip() for line in self.cleaned_data["variants"].splitlines() if line.strip()]


class DeviceFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    regime = forms.ChoiceField(label=_("Regulation"), required=False)
    status = forms.ChoiceField(label=_("Life-cycle status"), required=False)

    def __init__(self, *args, **kwargs):
        from samsvar.devices.models import LifecycleStatus, Regime

        super().__init__(*args, **kwargs)
        self.fields["regime"].choices = [("", _("All")), *Regime.choices]
        self.fields["status"].choices = [("", _("All")), *LifecycleStatus.choices]
