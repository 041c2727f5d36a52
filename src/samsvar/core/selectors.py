"""Reads of the audit trail, versions and signatures, restricted to what the user may see."""

from datetime import datetime, time

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import CharField, Exists, OuterRef
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from samsvar.core import permissions as perms
from samsvar.core.models import AuditEvent, RecordVersion, Signature, SignatureRequest


def object_type_of(obj) -> str:
    return f"{obj._meta.app_label}.{obj._meta.model_name}"


def record_history(*, user, obj):
    """Every audit event about one record, newest first (readable by whoever sees the record)."""
    if not perms.has_perm(user, perms.RECORD_VIEW):
        return AuditEvent.objects.none()
    return AuditEvent.objects.filter(
        object_type=object_type_of(obj), object_id=str(obj.pk)
    ).order_by("-seq")


def record_versions(*, obj):
    """Frozen versions of a record with their signatures, newest first."""
    return (
        RecordVersion.objects.filter(
            content_type=ContentType.objects.get_for_model(type(obj)), object_id=str(obj.pk)
        )
        .prefetch_related("signatures")
        .order_by("-version")
    )


def current_signatures(*, obj):
    return Signature.objects.filter(
        record_version__content_type=ContentType.objects.get_for_model(type(obj)),
        record_version__object_id=str(obj.pk),
        record_version__version=obj.version,
    ).order_by("signed_at")


def current_signatures_by_pk(records) -> dict[str, list[Signature]]:
    """The signatures on the current version of each record, in one query for a whole page.

    The records come from a selector, so visibility is already settled.
    """
    records = list(records)
    if not records:
        return {}
    current = {(str(r.pk), r.version) for r in records}
    found: dict[str, list[Signature]] = {pk: [] for pk, _version in current}
    signatures = (
        Signature.objects.filter(
            record_version__content_type=ContentType.objects.get_for_model(type(records[0])),
            record_version__object_id__in=list(found),
        )
        .select_related("record_version")
        .order_by("signed_at", "pk")
    )
    for signature in signatures:
        version = signature.record_version
        if (version.object_id, version.version) in current:
            found[version.object_id].append(signature)
    return found


def _day_bound(value: str, field: str, end: bool):
    if not value:
        return None
    try:
        day = parse_date(value)
    except ValueError:  # well-formed but impossible, such as 2026-02-30
        day = None
    if day is None:
        raise ValidationError({field: _("Enter a date as YYYY-MM-DD.")})
    moment = datetime.combine(day, time.max if end else time.min)
    return timezone.make_aware(moment)


def audit_log(
    *,
    user,
    actor: str = "",
    object_type: str = "",
    date_from: str = "",
    date_to: str = "",
    object_id: str = "",
):
    """The global audit log with filters; raises ValidationError naming a bad filter."""
    if not perms.has_perm(user, perms.AUDIT_VIEW):
        return AuditEvent.objects.none()
    qs = AuditEvent.objects.all().order_by("-seq")
    if actor:
        if actor.isdigit():
            qs = qs.filter(actor_id=int(actor))
        else:
            qs = qs.filter(actor_name__icontains=actor)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id)
    start = _day_bound(date_from, "date_from", end=False)
    end = _day_bound(date_to, "date_to", end=True)
    if start and end and start > end:
        raise ValidationError({"date_to": _("The end date is before the start date.")})
    if start:
        qs = qs.filter(timestamp__gte=start)
    if end:
        qs = qs.filter(timestamp__lte=end)
    return qs


def audit_object_types() -> list[str]:
    return list(
        AuditEvent.objects.exclude(object_type="")
        .order_by("object_type")
        .values_list("object_type", flat=True)
        .distinct()
    )


def signature_requests_for(*, user):
    """Open requests for this user to sign (the dashboard's 'awaiting my signature')."""
    return SignatureRequest.objects.filter(
        signer=user, status=SignatureRequest.Status.OPEN
    ).select_related("requested_by", "content_type")


def signature_requests_by(*, user):
    return SignatureRequest.objects.filter(
        requested_by=user, status=SignatureRequest.Status.OPEN
    ).select_related("signer", "content_type")


def audit_log_for_actor(*, user):
    """A user's own actions, for roles that do not see the global audit log."""
    return AuditEvent.objects.filter(actor_id=user.pk).order_by("-seq")


def unsigned_records(*, user, queryset):
    """Records in `queryset` whose current version carries no signature yet."""
    frozen = RecordVersion.objects.filter(
        content_type=ContentType.objects.get_for_model(queryset.model),
        object_id=Cast(OuterRef("pk"), CharField()),
        version=OuterRef("version"),
    )
    return queryset.exclude(Exists(frozen))
