"""Evidence tables: the audit trail, record versions and electronic signatures.

All three are append-only: database triggers refuse UPDATE and DELETE (see `triggers.py`).
"""

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy as _

from samsvar.core.controlled import ControlledModel, VersionedModel  # noqa: F401 (re-export)


class AuditEvent(models.Model):
    """One entry of the hash-chained audit trail (ISO 13485 4.2.5; Part 11 §11.10(e))."""

    seq = models.BigIntegerField(_("sequence"), primary_key=True)
    timestamp = models.DateTimeField(_("time (UTC)"), db_index=True)
    # No foreign key: the event must outlive the user row and never cascade.
    actor_id = models.BigIntegerField(_("actor id"), null=True, blank=True, db_index=True)
    actor_name = models.CharField(_("actor"), max_length=300)
    code = models.PositiveIntegerField(_("event code"))
    action = models.CharField(_("action"), max_length=60)
    object_type = models.CharField(_("object type"), max_length=100, blank=True, db_index=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=300, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64, unique=True)

    class Meta:
        ordering = ["-seq"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self):
        return f"#{self.seq} {self.action} {self.object_repr}"

    @property
    def label(self) -> str:
        from samsvar.core.events import event_label

        return event_label(self.code)

    @property
    def object_type_label(self) -> str:
        model = self._model()
        return str(model._meta.verbose_name) if model is not None else self.object_type

    def _model(self):
        from django.apps import apps

        try:
            return apps.get_model(self.object_type) if self.object_type else None
        except (LookupError, ValueError):
            return None

    def change_rows(self) -> list[tuple[str, object, object, bool]]:
        """(field label, before, after, is_change) rows, with the model's field names."""
        model = self._model()
        rows = []
        for name, value in (self.changes or {}).items():
            label = EVENT_KEY_LABELS.get(name, name)
            if model is not None and name not in EVENT_KEY_LABELS:
                try:
                    label = str(model._meta.get_field(name).verbose_name)
                except FieldDoesNotExist:  # e.g. "meaning" of a signature event
                    label = name
            if isinstance(value, list) and len(value) == 2 and self.action in CHANGE_ACTIONS:
                rows.append((label, value[0], value[1], True))
            else:
                rows.append((label, None, value, False))
        return rows


CHANGE_ACTIONS = {"create", "update", "delete", "user_created", "user_updated"}

# Labels for the keys of events that are not field changes (signatures, logins).
EVENT_KEY_LABELS = {
    "version": _("version"),
    "meaning": _("meaning"),
    "signer": _("signer"),
    "sha256": _("SHA-256 of the content"),
    "failures": _("failures in a row"),
    "why": _("cause"),
    "two_factor": _("two-factor"),
    "locked_until": _("locked until"),
    "username": _("username"),
}


class AuditChainHead(models.Model):
    """The last sequence number and hash, updated with every event; catches a cut-off tail."""

    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(pk=1), name="audit_head_single")]

    def __str__(self):
        return f"audit chain head at {self.last_seq}"


class SignatureMeaning(models.TextChoices):
    AUTHORED = "authored", _("Authored")
    REVIEWED = "reviewed", _("Reviewed")
    APPROVED = "approved", _("Approved")
    RELEASED = "released", _("Released")
    # A trainee's read-and-understood signature on a training task (ISO 13485 6.2); offered
    # only for records that declare `accepts_read_understood`.
    READ_UNDERSTOOD = "read_understood", _("Read and understood")


class RecordVersion(models.Model):
    """A frozen version of a controlled record: the exact content that was signed."""

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.PROTECT)
    object_id = models.CharField(max_length=64)
    version = models.PositiveIntegerField()
    content = models.JSONField()
    content_sha256 = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=300)
    frozen_at = models.DateTimeField()

    class Meta:
        ordering = ["content_type", "object_id", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "version"], name="record_version_unique"
            )
        ]

    def __str__(self):
        return f"{self.object_repr} v{self.version}"


class Signature(models.Model):
    """An e-signature bound to one record version (Part 11 §11.50, §11.70; Annex 11 §14)."""

    record_version = models.ForeignKey(
        RecordVersion, on_delete=models.PROTECT, related_name="signatures"
    )
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    signer_username = models.CharField(max_length=150)
    signer_full_name = models.CharField(max_length=200)
    meaning = models.CharField(max_length=20, choices=SignatureMeaning.choices)
    signed_at = models.DateTimeField()
    content_sha256 = models.CharField(max_length=64)
    two_factor = models.BooleanField(default=False)

    class Meta:
        ordering = ["signed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["record_version", "signer", "meaning"], name="signature_once_per_meaning"
            )
        ]

    def __str__(self):
        when = f"{self.signed_at:%Y-%m-%d %H:%M} UTC"
        return f"{self.signer_full_name}, {self.get_meaning_display()}, {when}"


class SignatureRequest(models.Model):
    """A request that a person sign a record with a given meaning; shows on their dashboard."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        SIGNED = "signed", _("Signed")
        CANCELLED = "cancelled", _("Cancelled")

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.PROTECT)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=300)
    version = models.PositiveIntegerField()
    meaning = models.CharField(max_length=20, choices=SignatureMeaning.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="signature_requests"
    )
    message = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["signer", "status"])]

    def __str__(self):
        return f"{self.object_repr} v{self.version}: {self.get_meaning_display()}"

    @property
    def record_url(self) -> str:
        model = self.content_type.model_class()
        return model(pk=self.object_id).get_absolute_url() if model else ""
