"""The base for every controlled record: audited writes only, and optional versioning.

`ControlledModel` refuses to save or delete outside an `audited()` block and writes one audit
event per create, update and delete, with the before and after values of the changed fields.
`VersionedModel` adds versions and signatures: once a version is signed it is frozen, and the
next change creates a new version, for which a reason is required.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import uuid

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from samsvar.core.audit import canonical_json, current_context, format_time, record_event
from samsvar.core.events import Event


class AuditBypassError(RuntimeError):
    """A write to a controlled record that did not come through an audited service."""


def _refuse(what: str):
    raise AuditBypassError(
        f"{what} of controlled records is refused: write through a samsvar service, "
        "which records the change in the audit trail"
    )


class ControlledQuerySet(models.QuerySet):
    def update(self, **kwargs):
        _refuse("bulk update")

    def delete(self):
        _refuse("bulk delete")

    def bulk_create(self, *args, **kwargs):
        _refuse("bulk create")

    def bulk_update(self, *args, **kwargs):
        _refuse("bulk update")

    def update_or_create(self, *args, **kwargs):
        _refuse("update_or_create")


def field_value(field: models.Field, obj) -> object:
    """A JSON-safe value for the audit trail and for signed content."""
    value = getattr(obj, field.attname)
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return format_time(value)
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(field, models.FileField):
        return value.name or None
    if isinstance(value, str | int | float | bool | list | dict):
        return value
    return str(value)


class ControlledModel(models.Model):
    """Abstract base of every controlled record (ISO 13485 4.2.4, 4.2.5)."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ControlledQuerySet.as_manager()

    # Fields left out of audit diffs and signed content (bookkeeping, not content).
    audit_exclude: tuple[str, ...] = ("created_at", "updated_at")

    class Meta:
        abstract = True

    def audit_snapshot(self) -> dict:
        return {
            f.name: field_value(f, self)
            for f in self._meta.concrete_fields
            if f.name not in self.audit_exclude and not f.primary_key
        }

    def _stored_snapshot(self) -> dict | None:
        if self._state.adding or self.pk is None:
            return None
        stored = type(self)._base_manager.filter(pk=self.pk).first()
        return stored.audit_snapshot() if stored is not None else None

    def before_controlled_save(self, before: dict | None, ctx) -> None:
        """Hook for subclasses: runs after the diff is known and before the row is written."""

    def save(self, *args, **kwargs):  # noqa: DJ012 (the helpers above belong with it)
        ctx = current_context()
        if ctx is None:
            _refuse("saving")
        with transaction.atomic():
            before = self._stored_snapshot()
            if before is not None and before == self.audit_snapshot():
                return  # nothing changed: no write, no event
            self.before_controlled_save(before, ctx)
            super().save(*args, **kwargs)
            after = self.audit_snapshot()
            if before is None:
                changes = {name: [None, value] for name, value in after.items()}
                record_event(Event.RECORD_CREATED, obj=self, changes=changes, action="create")
            else:
                changes = {
                    name: [before.get(name), value]
                    for name, value in after.items()
                    if before.get(name) != value
                }
                record_event(Event.RECORD_UPDATED, obj=self, changes=changes, action="update")

    def delete(self, *args, **kwargs):
        ctx = current_context()
        if ctx is None:
            _refuse("deleting")
        with transaction.atomic():
            before = self.audit_snapshot()
            pk = self.pk
            label = str(self)
            result = super().delete(*args, **kwargs)
            meta = self._meta
            record_event(
                Event.RECORD_DELETED,
                changes={name: [value, None] for name, value in before.items()},
                action="delete",
                object_type=f"{meta.app_label}.{meta.model_name}",
                object_id=str(pk),
                object_repr=label[:300],
            )
        return result


class VersionedModel(ControlledModel):
    """A controlled record with versions and e-signatures (Part 11 §11.70: signature binding).

    A version is frozen when it is first signed; its content and SHA-256 are kept in
    RecordVersion. Changing a frozen version creates version n + 1 and needs a reason.
    """

    version = models.PositiveIntegerField(default=1, editable=False)

    audit_exclude = ("created_at", "updated_at")
    content_exclude: tuple[str, ...] = ("version",)

    class Meta:
        abstract = True

    def signed_content(self) -> dict:
        snapshot = self.audit_snapshot()
        for name in self.content_exclude:
            snapshot.pop(name, None)
        meta = self._meta
        return {
            "type": f"{meta.app_label}.{meta.model_name}",
            "id": str(self.pk),
            "version": self.version,
            "fields": snapshot,
        }

    def content_sha256(self) -> str:
        return hashlib.sha256(canonical_json(self.signed_content()).encode("utf-8")).hexdigest()

    def frozen_versions(self):
        from django.contrib.contenttypes.models import ContentType

        from samsvar.core.models import RecordVersion

        return RecordVersion.objects.filter(
            content_type=ContentType.objects.get_for_model(type(self)), object_id=str(self.pk)
        )

    def current_version_frozen(self) -> bool:
        return self.pk is not None and self.frozen_versions().filter(version=self.version).exists()

    def content_changed(self, before: dict) -> bool:
        """Whether a change touches the signed content (not only bookkeeping such as flags)."""
        after = self.audit_snapshot()
        return any(
            before.get(name) != value
            for name, value in after.items()
            if name not in self.content_exclude
        )

    def before_controlled_save(self, before, ctx) -> None:
        if before is None or not self.content_changed(before):
            return
        if not self.current_version_frozen():
            return
        if not ctx.reason:
            raise ValidationError(
                {
                    "reason": _(
                        "Version %(version)s is signed. Give a reason for the change; "
                        "it will create version %(next)s."
                    )
                    % {"version": self.version, "next": self.version + 1}
                }
            )
        self.version += 1
