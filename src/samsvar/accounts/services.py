"""Account, organisation and PRRC services: authentication with lockout, users, the profile."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samsvar.accounts.models import ApiToken, Organisation, Prrc
from samsvar.core import permissions as perms
from samsvar.core.audit import audited, record_event
from samsvar.core.events import Event
from samsvar.core.permissions import Role
from samsvar.core.validation import reject_unknown_fields, validate_password

User = get_user_model()

# Upload checks for evidence files: the content must start like the type it claims.
EVIDENCE_SIGNATURES = {
    b"%PDF-": "pdf",
    b"\x89PNG\r\n\x1a\n": "png",
    b"\xff\xd8\xff": "jpeg",
}


class LoginRefused(Exception):
    """Login refused; the message is safe to show (it never says whether the user exists)."""


def lock_message(until) -> str:
    return _("Too many failed attempts. Try again after %(time)s.") % {
        "time": timezone.localtime(until).strftime("%H:%M")
    }


def authenticate_with_lockout(*, username: str, password: str):
    """Check a username and password, counting failures; the fifth failure locks the account.

    Every failure and every lock is written to the audit trail; it commits even though the
    login is refused.
    """
    user = User.objects.filter(username__iexact=(username or "").strip()).first()
    now = timezone.now()
    if user is None:
        record_event(
            Event.LOGIN_FAILED,
            changes={"username": (username or "")[:150], "why": "unknown user"},
            object_type="accounts.user",
        )
        raise LoginRefused(_("The username or password is not correct."))
    if user.login_locked_until and user.login_locked_until > now:
        record_event(Event.LOGIN_FAILED, obj=user, changes={"why": "locked"}, actor=user)
        raise LoginRefused(lock_message(user.login_locked_until))
    if not user.check_password(password or "") or not user.is_active:
        locked_until = note_login_failure(user, "password" if user.is_active else "inactive")
        if locked_until:
            raise LoginRefused(lock_message(locked_until))
        raise LoginRefused(_("The username or password is not correct."))
    login_clear_failures(user)
    return user


def note_login_failure(user, why: str):
    """Count a failed login (password or second factor); the fifth in a row locks the account.

    The failure is audited and committed; returns the lock's end time when this one locked it.
    """
    now = timezone.now()
    with transaction.atomic():
        fresh = User.objects.select_for_update().get(pk=user.pk)
        count = fresh.failed_login_count + 1
        locked_until = None
        record_event(
            Event.LOGIN_FAILED, obj=user, changes={"failures": count, "why": why}, actor=user
        )
        if count >= settings.SAMSVAR_LOCKOUT_ATTEMPTS:
            locked_until = now + timedelta(minutes=settings.SAMSVAR_LOCKOUT_MINUTES)
            count = 0
            record_event(
                Event.LOGIN_LOCKED,
                obj=user,
                changes={"locked_until": locked_until.isoformat()},
                actor=user,
            )
        User.objects.filter(pk=user.pk).update(
            failed_login_count=count, login_locked_until=locked_until
        )
    return locked_until


def login_clear_failures(user) -> None:
    if user.failed_login_count or user.login_locked_until:
        User.objects.filter(pk=user.pk).update(failed_login_count=0, login_locked_until=None)
        user.failed_login_count, user.login_locked_until = 0, None


def login_record(*, user, two_factor: bool) -> None:
    record_event(Event.LOGIN_SUCCEEDED, obj=user, changes={"two_factor": two_factor}, actor=user)


def logout_record(*, user) -> None:
    record_event(Event.LOGOUT, obj=user, actor=user)


def api_token_issue(*, user) -> str:
    """Issue an API token; only its hash is stored."""
    key = secrets.token_urlsafe(32)
    with audited(actor=user):
        ApiToken.objects.create(user=user, key_sha256=ApiToken.digest(key))
        record_event(Event.API_TOKEN_ISSUED, obj=user)
    return key


_USER_FIELDS = ("full_name", "email", "role", "job_title", "language", "is_active")


def _user_snapshot(user) -> dict:
    return {name: getattr(user, name) for name in _USER_FIELDS}


def user_create(
    *,
    actor,
    username: str,
    password: str,
    full_name: str,
    role: str,
    email: str = "",
    job_title: str = "",
    language: str = "",
) -> User:
    """Create an account (ISO 13485 6.2: people with defined responsibilities)."""
    if actor is not None:
        perms.require_perm(actor, perms.USER_MANAGE)
    if role not in Role.values:
        raise ValidationError({"role": _("Choose a valid role.")})
    user = User(
        username=(username or "").strip(),
        full_name=(full_name or "").strip(),
        email=(email or "").strip(),
        role=role,
        job_title=job_title,
        language=language,
    )
    user.full_clean(exclude=["password"])
    if User.objects.filter(username__iexact=user.username).exists():
        raise ValidationError({"username": _("A user with that username already exists.")})
    if not user.full_name:
        raise ValidationError({"full_name": _("A full name is required for signatures.")})
    validate_password(password, user)
    user.set_password(password)
    with audited(actor=actor):
        user.save()
        record_event(
            Event.USER_CREATED,
            obj=user,
            changes={k: [None, v] for k, v in _user_snapshot(user).items()},
        )
    return user


def user_update(*, actor, user, reason: str = "", **fields) -> User:
    """Change a person's name, role or status; role changes are access changes and audited."""
    self_service = actor.pk == user.pk and set(fields) <= {"full_name", "email", "language"}
    if not self_service:
        perms.require_perm(actor, perms.USER_MANAGE)
    reject_unknown_fields(fields, _USER_FIELDS)
    if fields.get("role", user.role) not in Role.values:
        raise ValidationError({"role": _("Choose a valid role.")})
    if actor.pk == user.pk and fields.get("is_active") is False:
        raise ValidationError({"is_active": _("You cannot deactivate your own account.")})
    before = _user_snapshot(user)
    for name, value in fields.items():
        setattr(user, name, value)
    user.full_clean(exclude=["password"])
    after = _user_snapshot(user)
    changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    if not changes:
        return user
    with audited(actor=actor, reason=reason):
        user.save()
        record_event(Event.USER_UPDATED, obj=user, changes=changes)
    return user


def password_change(*, user, old_password: str, new_password: str) -> None:
    if not user.check_password(old_password or ""):
        raise ValidationError({"old_password": _("The current password is not correct.")})
    validate_password(new_password, user, field="new_password1")
    user.set_password(new_password)
    with audited(actor=user):
        user.save(update_fields=["password"])
        record_event(Event.PASSWORD_CHANGED, obj=user)


def totp_confirm(*, user, device, token: str) -> None:
    """Confirm a pending TOTP device with a first code; from now on login needs a code."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if not device.verify_token((token or "").strip().replace(" ", "")):
        raise ValidationError(
            {"token": _("The code is not correct. Check the clock on your phone.")}
        )
    with audited(actor=user):
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save()
        record_event(Event.TOTP_ENABLED, obj=user)


def totp_disable(*, user, password: str) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if not user.check_password(password or ""):
        raise ValidationError({"password": _("The password is not correct.")})
    with audited(actor=user):
        TOTPDevice.objects.filter(user=user).delete()
        record_event(Event.TOTP_DISABLED, obj=user)


ORGANISATION_FIELDS = (
    "name",
    "organisation_number",
    "address",
    "country",
    "srn",
    "email",
    "phone",
    "website",
    "is_small_enterprise",
)


def organisation_get() -> Organisation | None:
    return Organisation.objects.order_by("pk").first()


def organisation_save(*, actor, reason: str = "", **fields) -> Organisation:
    """Create or change the manufacturer's profile (there is one per installation)."""
    if actor is not None:
        perms.require_perm(actor, perms.ORGANISATION_CHANGE)
    reject_unknown_fields(fields, ORGANISATION_FIELDS)
    organisation = organisation_get() or Organisation()
    for name, value in fields.items():
        setattr(organisation, name, value)
    organisation.full_clean()
    with audited(actor=actor, reason=reason):
        organisation.save()
    return organisation


PRRC_FIELDS = (
    "full_name",
    "user",
    "email",
    "regimes",
    "responsibilities",
    "qualification_route",
    "degree",
    "years_experience",
    "evidence",
    "evidence_file",
    "is_external",
    "active",
)


def check_evidence_file(upload) -> str:
    """Refuse an evidence file that is too large or whose content is not PDF, PNG or JPEG."""
    if upload.size > settings.SAMSVAR_MAX_UPLOAD_BYTES:
        raise ValidationError(
            {
                "evidence_file": _("The file is larger than %(mb)s MB.")
                % {"mb": settings.SAMSVAR_MAX_UPLOAD_BYTES // (1024 * 1024)}
            }
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(magic) for magic in EVIDENCE_SIGNATURES):
        raise ValidationError(
            {
                "evidence_file": _(
                    "Only PDF, PNG and JPEG files are accepted; this file is none of these."
                )
            }
        )
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def prrc_save(*, actor, prrc: Prrc | None = None, reason: str = "", **fields) -> Prrc:
    """Record a PRRC and their qualification evidence (MDR/IVDR Art. 15)."""
    perms.require_perm(actor, perms.ORGANISATION_CHANGE)
    organisation = organisation_get()
    if organisation is None:
        raise ValidationError(_("Fill in the organisation profile first."))
    reject_unknown_fields(fields, PRRC_FIELDS)
    prrc = prrc or Prrc(organisation=organisation)
    upload = fields.pop("evidence_file", None)
    for name, value in fields.items():
        setattr(prrc, name, value)
    if upload:
        prrc.evidence_sha256 = check_evidence_file(upload)
        prrc.evidence_file = upload
    prrc.full_clean()
    with audited(actor=actor, reason=reason):
        prrc.save()
    return prrc


def user_password_set(*, actor, user, password: str) -> None:
    """Set a password for someone (administrator reset, or the demo password)."""
    if actor is not None:
        perms.require_perm(actor, perms.USER_MANAGE)
    validate_password(password, user)
    user.set_password(password)
    with audited(actor=actor):
        user.save(update_fields=["password"])
        record_event(
            Event.PASSWORD_CHANGED,
            obj=user,
            changes={"reset_by": getattr(actor, "username", "samsvar")},
        )
