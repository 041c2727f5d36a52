"""Signature and version services (21 CFR Part 11 §11.50, §11.70, §11.200; EU GMP Annex 11 §14)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samsvar.core import permissions as perms
from samsvar.core.audit import audited, record_event
from samsvar.core.events import Event
from samsvar.core.models import RecordVersion, Signature, SignatureMeaning, SignatureRequest

SIGN_PERMISSION = {
    SignatureMeaning.AUTHORED: perms.SIGN_AUTHORED,
    SignatureMeaning.REVIEWED: perms.SIGN_REVIEWED,
    SignatureMeaning.APPROVED: perms.SIGN_APPROVED,
    SignatureMeaning.RELEASED: perms.SIGN_RELEASED,
    SignatureMeaning.READ_UNDERSTOOD: perms.TRAINING_TAKE,
}


def meanings_for(user, record=None) -> list[SignatureMeaning]:
    return [
        m
        for m, code in SIGN_PERMISSION.items()
        if perms.has_perm(user, code) and meaning_fits(m, record)
    ]


def meaning_fits(meaning, record) -> bool:
    """ "Read and understood" belongs to training records only; the others fit any record."""
    reads = getattr(record, "accepts_read_understood", False)
    return reads if meaning == SignatureMeaning.READ_UNDERSTOOD else True


def user_has_totp(user) -> bool:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def check_totp(user, token: str) -> bool:
    from django_otp import match_token

    token = (token or "").strip().replace(" ", "")
    return bool(token) and match_token(user, token) is not None


def _signing_locked_until(user):
    until = user.sign_locked_until
    return until if until and until > timezone.now() else None


def _note_sign_failure(user, record, why: str) -> None:
    """Count a failed signature; the fifth in a row locks signing. Committed even on refusal."""
    User = get_user_model()
    with transaction.atomic():
        fresh = User.objects.select_for_update().get(pk=user.pk)
        fresh.sign_failed_count += 1
        changes = {"failures": fresh.sign_failed_count, "why": why}
        record_event(Event.SIGNATURE_FAILED, obj=record, changes=changes, actor=user)
        if fresh.sign_failed_count >= settings.SAMSVAR_LOCKOUT_ATTEMPTS:
            fresh.sign_locked_until = timezone.now() + timedelta(
                minutes=settings.SAMSVAR_LOCKOUT_MINUTES
            )
            fresh.sign_failed_count = 0
            record_event(
                Event.SIGNING_LOCKED,
                obj=user,
                changes={"locked_until": fresh.sign_locked_until.isoformat()},
                actor=user,
            )
        User.objects.filter(pk=user.pk).update(
            sign_failed_count=fresh.sign_failed_count, sign_locked_until=fresh.sign_locked_until
        )
        user.sign_failed_count = fresh.sign_failed_count
        user.sign_locked_until = fresh.sign_locked_until


def record_sign(*, actor, record, meaning: str, password: str, otp_token: str = "") -> Signature:
    """Sign the current version of a versioned record after re-authentication.

    The signature binds the signer, the full name, the meaning, the UTC time and the SHA-256 of
    the record content. The first signature freezes the version.
    """
    try:
        meaning = SignatureMeaning(meaning)
    except ValueError:
        raise ValidationError({"meaning": _("Choose a valid meaning.")}) from None
    perms.require_perm(actor, SIGN_PERMISSION[meaning])
    if not meaning_fits(meaning, record):
        raise ValidationError({"meaning": _("This meaning does not apply to this record.")})
    locked = _signing_locked_until(actor)
    if locked:
        raise PermissionDenied(
            _("After repeated failures, signing is locked until %(time)s.")
            % {"time": timezone.localtime(locked).strftime("%H:%M")}
        )
    if not password or not actor.check_password(password):
        _note_sign_failure(actor, record, "password")
        raise ValidationError({"password": _("The password is not correct.")})
    two_factor = user_has_totp(actor)
    if two_factor and not check_totp(actor, otp_token):
        _note_sign_failure(actor, record, "otp")
        raise ValidationError({"otp_token": _("The authenticator code is not correct.")})
    if not actor.full_name.strip():
        raise ValidationError(
            {"meaning": _("Your account has no full name; a signature must show one.")}
        )
    ctype = ContentType.objects.get_for_model(type(record))
    with audited(actor=actor):
        now = timezone.now()
        content = record.signed_content()
        sha = record.content_sha256()
        version, created = RecordVersion.objects.get_or_create(
            content_type=ctype,
            object_id=str(record.pk),
            version=record.version,
            defaults={
                "content": content,
                "content_sha256": sha,
                "object_repr": str(record)[:300],
                "frozen_at": now,
            },
        )
        if not created and version.content_sha256 != sha:
            raise ValidationError(_("This version changed after it was frozen; reload the record."))
        if version.signatures.filter(signer=actor, meaning=meaning).exists():
            raise ValidationError(
                {"meaning": _("You have already signed this version with this meaning.")}
            )
        signature = Signature.objects.create(
            record_version=version,
            signer=actor,
            signer_username=actor.username,
            signer_full_name=actor.full_name,
            meaning=meaning,
            signed_at=now,
            content_sha256=sha,
            two_factor=two_factor,
        )
        record_event(
            Event.SIGNATURE_APPLIED,
            obj=record,
            changes={
                "version": record.version,
                "meaning": meaning.value,
                "signer": actor.full_name,
                "sha256": sha,
            },
        )
        get_user_model().objects.filter(pk=actor.pk).update(sign_failed_count=0)
        SignatureRequest.objects.filter(
            content_type=ctype,
            object_id=str(record.pk),
            signer=actor,
            meaning=meaning,
            status=SignatureRequest.Status.OPEN,
        ).update(status=SignatureRequest.Status.SIGNED, closed_at=now)
    return signature


def signature_request_create(*, actor, record, signer, meaning: str, message: str = ""):
    """Ask a colleague to sign the current version of a record."""
    perms.require_perm(actor, perms.SIGNATURE_REQUEST)
    try:
        meaning = SignatureMeaning(meaning)
    except ValueError:
        raise ValidationError({"meaning": _("Choose a valid meaning.")}) from None
    if not meaning_fits(meaning, record):
        raise ValidationError({"meaning": _("This meaning does not apply to this record.")})
    if not perms.has_perm(signer, SIGN_PERMISSION[meaning]):
        raise ValidationError(
            {
                "signer": _("%(name)s may not sign with the meaning “%(meaning)s”.")
                % {"name": signer.full_name or signer.username, "meaning": meaning.label}
            }
        )
    ctype = ContentType.objects.get_for_model(type(record))
    with audited(actor=actor):
        request = SignatureRequest.objects.create(
            content_type=ctype,
            object_id=str(record.pk),
            object_repr=str(record)[:300],
            version=record.version,
            meaning=meaning,
            requested_by=actor,
            signer=signer,
            message=message.strip(),
        )
        record_event(
            Event.SIGNATURE_REQUESTED,
            obj=record,
            changes={
                "signer": signer.username,
                "meaning": meaning.value,
                "version": record.version,
            },
        )
    return request


def signature_request_cancel(*, actor, request: SignatureRequest, reason: str = ""):
    if actor.pk != request.requested_by_id and not perms.has_perm(actor, perms.USER_MANAGE):
        raise PermissionDenied(_("Only the requester can cancel this request."))
    with audited(actor=actor, reason=reason):
        SignatureRequest.objects.filter(pk=request.pk).update(
            status=SignatureRequest.Status.CANCELLED, closed_at=timezone.now()
        )
        record_event(
            Event.SIGNATURE_REQUEST_CANCELLED,
            object_type="core.signaturerequest",
            object_id=str(request.pk),
            object_repr=str(request),
        )
