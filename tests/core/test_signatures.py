"""Electronic signatures (21 CFR Part 11 §11.50, §11.70, §11.200, §11.300; Annex 11 §14).

A signature needs the signer's password (and TOTP code if they enrolled one), binds the SHA-256
of the signed content, freezes the version, and repeated failures lock signing for a while.
"""

import hashlib
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from samsvar.accounts.models import User
from samsvar.core.audit import canonical_json
from samsvar.core.events import Event
from samsvar.core.models import AuditEvent, RecordVersion, Signature
from samsvar.core.services import record_sign
from samsvar.devices.services import device_update
from tests.conftest import PASSWORD


def sign(actor, record, meaning="approved", password=PASSWORD, otp_token=""):
    return record_sign(
        actor=actor, record=record, meaning=meaning, password=password, otp_token=otp_token
    )


def events(code, user):
    return AuditEvent.objects.filter(code=code, actor_id=user.pk)


def versions_of(record):
    return RecordVersion.objects.filter(
        content_type=ContentType.objects.get_for_model(type(record)), object_id=str(record.pk)
    )


def test_signing_needs_the_signers_password(device, approver):
    with pytest.raises(ValidationError) as refused:
        sign(approver, device, password="not-my-password")
    assert "password" in refused.value.message_dict
    assert not Signature.objects.exists()
    assert not versions_of(device).exists(), "a refused signature freezes nothing"
    [failed] = events(Event.SIGNATURE_FAILED, approver)
    assert failed.changes == {"failures": 1, "why": "password"}
    assert (failed.object_type, failed.object_id) == ("devices.device", str(device.pk))

    signature = sign(approver, device)
    assert signature.signer == approver
    assert signature.signer_full_name == approver.full_name
    assert signature.meaning == "approved"
    assert abs(signature.signed_at - timezone.now()) < timedelta(minutes=1)
    assert events(Event.SIGNATURE_APPLIED, approver).count() == 1
    approver.refresh_from_db()
    assert approver.sign_failed_count == 0


def test_five_failures_lock_signing_for_fifteen_minutes(device, approver):
    assert settings.SAMSVAR_LOCKOUT_ATTEMPTS == 5
    assert settings.SAMSVAR_LOCKOUT_MINUTES == 15
    for _ in range(5):
        with pytest.raises(ValidationError):
            sign(approver, device, password="guess")
    assert events(Event.SIGNATURE_FAILED, approver).count() == 5
    [locked] = events(Event.SIGNING_LOCKED, approver)
    approver.refresh_from_db()
    expected = timezone.now() + timedelta(minutes=15)
    assert abs(approver.sign_locked_until - expected) < timedelta(minutes=1)
    assert locked.changes == {"locked_until": approver.sign_locked_until.isoformat()}

    with pytest.raises(PermissionDenied, match="locked"):
        sign(approver, device)
    assert not Signature.objects.exists()

    User.objects.filter(pk=approver.pk).update(
        sign_locked_until=timezone.now() - timedelta(seconds=1)
    )
    approver.refresh_from_db()
    assert sign(approver, device).meaning == "approved"


def test_an_enrolled_authenticator_is_required_to_sign(device, approver):
    otp = TOTPDevice.objects.create(user=approver, name="phone", confirmed=True)

    with pytest.raises(ValidationError) as refused:
        sign(approver, device)
    assert "otp_token" in refused.value.message_dict

    def code(drift=0):
        value = totp(otp.bin_key, step=otp.step, t0=otp.t0, digits=otp.digits, drift=drift)
        return f"{value:0{otp.digits}d}"

    signature = sign(approver, device, otp_token=code())
    assert signature.two_factor is True

    valid = {code(drift) for drift in (-1, 0, 1)}
    wrong = next(f"{n:06d}" for n in range(1_000_000) if f"{n:06d}" not in valid)
    with pytest.raises(ValidationError) as refused:
        sign(approver, device, meaning="reviewed", otp_token=wrong)
    assert "otp_token" in refused.value.message_dict
    assert events(Event.SIGNATURE_FAILED, approver).filter(changes__why="otp").count() == 2
    assert Signature.objects.count() == 1


def test_a_signature_binds_the_sha256_of_the_signed_content(device, approver):
    signature = sign(approver, device)
    content = device.signed_content()
    digest = hashlib.sha256(canonical_json(content).encode("utf-8")).hexdigest()
    assert signature.content_sha256 == digest
    assert signature.record_version.content_sha256 == digest
    assert signature.record_version.content == content
    assert content["fields"]["intended_purpose"] == device.intended_purpose

    device.intended_purpose = "Something else"
    assert device.content_sha256() != digest


def test_a_signed_version_never_changes_an_edit_makes_version_2(signed_device, quality):
    device = signed_device
    [v1] = versions_of(device)
    [signature] = v1.signatures.all()
    old_purpose = device.intended_purpose

    with pytest.raises(ValidationError) as refused:
        device_update(actor=quality, device=device, intended_purpose="Hospital use only.")
    assert "reason" in refused.value.message_dict
    device.refresh_from_db()
    assert (device.version, device.intended_purpose) == (1, old_purpose)

    device_update(
        actor=quality,
        device=device,
        intended_purpose="Hospital use only.",
        reason="Post-market feedback",
    )
    device.refresh_from_db()
    assert device.version == 2
    assert device.intended_purpose == "Hospital use only."
    update = AuditEvent.objects.filter(code=Event.RECORD_UPDATED).latest("seq")
    assert update.changes["version"] == [1, 2]
    assert update.reason == "Post-market feedback"

    v1.refresh_from_db()
    assert v1.content["fields"]["intended_purpose"] == old_purpose
    assert v1.content_sha256 == signature.content_sha256
    assert list(v1.signatures.all()) == [signature], "old signatures stay with version 1"
    assert not Signature.objects.filter(record_version__version=2).exists()

    device_update(actor=quality, device=device, model_number="IP-3c")
    device.refresh_from_db()
    assert device.version == 2, "an unsigned version changes in place"


@pytest.mark.parametrize(
    ("role", "meaning"),
    [("auditor", "authored"), ("auditor", "approved"), ("engineer", "approved")],
)
def test_a_role_without_the_sign_permission_is_refused(device, users, role, meaning):
    signer = users[role]
    with pytest.raises(PermissionDenied):
        sign(signer, device, meaning=meaning)
    assert not Signature.objects.exists()
    assert not versions_of(device).exists()
    signer.refresh_from_db()
    assert signer.sign_failed_count == 0
