from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from samsvar.core import permissions as perms
from samsvar.core.models import SignatureMeaning
from samsvar.core.services import SIGN_PERMISSION, meanings_for, user_has_totp


class ServiceModelForm(forms.ModelForm):
    """A ModelForm that only collects input: the service validates the record and saves it, so
    the form must not build or validate the instance itself (house rule 1)."""

    def _post_clean(self):
        pass


class SignForm(forms.Form):
    meaning = forms.ChoiceField(label=_("Meaning of this signature"))
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    otp_token = forms.CharField(
        label=_("Authenticator code"),
        required=False,
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, user, *args, record=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meaning"].choices = [(m.value, m.label) for m in meanings_for(user, record)]
        if not user_has_totp(user):
            del self.fields["otp_token"]
        else:
            self.fields["otp_token"].required = True


class SignatureRequestForm(forms.Form):
    meaning = forms.ChoiceField(label=_("Meaning"), choices=SignatureMeaning.choices)
    signer = forms.ModelChoiceField(label=_("Who should sign"), queryset=None)
    message = forms.CharField(
        label=_("Message"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        signers = {role for code in SIGN_PERMISSION.values() for role in perms.PERMISSIONS[code]}
        self.fields["signer"].queryset = (
            get_user_model().objects.filter(is_active=True, role__in=signers).order_by("full_name")
        )
