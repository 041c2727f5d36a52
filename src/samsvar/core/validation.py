"""Input checks shared by every service."""

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def reject_unknown_fields(fields, allowed) -> None:
    """A service refuses fields it does not know, naming each one, instead of ignoring them."""
    unknown = sorted(set(fields) - set(allowed))
    if unknown:
        raise ValidationError({name: _("Unknown field.") for name in unknown})


def validate_password(password: str, user, *, field: str = "password") -> None:
    """Django's password policy, with the messages put on the form field that holds it."""
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from None
