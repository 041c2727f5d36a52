"""Reads of controlled documents, revisions, change requests, reviews and the records register.

Every selector starts from what the user may see (every active role reads the QMS; the auditor
reads everything). Lists take a constant number of queries however long they are. Superseded
and obsolete revisions stay readable, but nothing here offers them as the current revision.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import CharField, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Cast
from django.http import Http404
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samsvar.core import permissions as perms
from samsvar.core.models import RecordVersion, Signature, SignatureMeaning
from samsvar.documents.models import (
    ARCHIVED,
    DEFAULT_PREFIXES,
    IN_PROGRESS,
    ChangeRequest,
    Document,
    DocumentStatus,
    DocumentType,
    NumberingRule,
    PeriodicReview,
    PeriodicReviewStatus,
    ReviewComment,
    Revision,
    RevisionStatus,
)

_CLAUSE = re.compile(r"\d{1,2}(?:\.\d{1,2}){0,3}")
_RECORD_TYPE = re.compile(r"[a-z_]{1,50}\.[a-z_]{1,50}")


def _can_read(user) -> bool:
    return perms.has_perm(user, perms.RECORD_VIEW)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later; the month's last day when it is shorter (31 Jan → 28 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return day.replace(year=year, month=month, day=min(day.day, last))


def _day(value, field: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        parsed = parse_date(str(value))
    except ValueError:
        parsed = None
    if parsed is None:
        raise ValidationError({field: _("Enter a date as YYYY-MM-DD.")})
    return parsed


# --- documents --------------------------------------------------------------------------------


def _owner_id(owner) -> int:
    if isinstance(owner, get_user_model()):
        return owner.pk
    try:
        return int(owner)
    except (TypeError, ValueError):
        raise ValidationError({"owner": _("Choose a person.")}) from None


def document_list(
    *,
    user,
    doc_type: str | None = None,
    status: str | None = None,
    owner=None,
    clause: str | None = None,
) -> QuerySet[Document]:
    """The documents register, filtered, in number order, with owner and effective revision.

    `status` is a revision status: "effective" keeps documents with an effective revision,
    "obsolete" withdrawn documents, "draft" / "in_review" / "approved" documents with a revision
    at that step, "superseded" documents with an earlier revision. `clause` keeps documents that
    address the ISO 13485 clause or one of its sub-clauses.
    """
    if not _can_read(user):
        return Document.objects.none()
    qs = Document.objects.select_related("owner", "current_revision")
    if doc_type:
        if doc_type not in DocumentType.values:
            raise ValidationError({"doc_type": _("Choose a valid document type.")})
        qs = qs.filter(doc_type=doc_type)
    if status:
        if status not in RevisionStatus.values:
            raise ValidationError({"status": _("Choose a valid status.")})
        if status == RevisionStatus.EFFECTIVE:
            qs = qs.filter(status=DocumentStatus.EFFECTIVE)
        elif status == RevisionStatus.OBSOLETE:
            qs = qs.filter(status=DocumentStatus.OBSOLETE)
        else:
            qs = qs.filter(Exists(Revision.objects.filter(document=OuterRef("pk"), status=status)))
    if owner not in (None, ""):
        qs = qs.filter(owner_id=_owner_id(owner))
    if clause:
        clause = str(clause).strip().rstrip(".")
        if not _CLAUSE.fullmatch(clause):
            raise ValidationError({"clause": _("Enter a clause number such as 4.2.4.")})
        # The JSON text holds each clause in quotes: "4.2" and its sub-clauses "4.2.x".
        qs = qs.filter(
            Q(iso_clauses__icontains=f'"{clause}"') | Q(iso_clauses__icontains=f'"{clause}.')
        )
    return qs.order_by("number")


def access_document_by_id(*, user, document_id) -> Document:
    """The document, or 404 whether it does not exist or the user may not see it."""
    try:
        return document_list(user=user).get(pk=int(document_id))
    except (Document.DoesNotExist, ValueError, TypeError):
        raise Http404("No such document") from None


def access_document_by_number(*, user, number: str) -> Document:
    try:
        return document_list(user=user).get(number=str(number).strip().upper())
    except Document.DoesNotExist:
        raise Http404("No such document") from None


def current_revision(document: Document) -> Revision | None:
    """The one effective revision, or None (in preparation or withdrawn)."""
    if document.status != DocumentStatus.EFFECTIVE:
        return None
    return document.current_revision


def working_revision(document: Document) -> Revision | None:
    """The revision in progress (draft, in review or approved), if any."""
    return (
        Revision.objects.filter(document=document, status__in=IN_PROGRESS)
        .select_related("change_request", "author")
        .first()
    )


def document_change_history(*, user, document: Document) -> QuerySet[Revision]:
    """Every revision of the document, newest first, with the change request behind each."""
    if not _can_read(user):
        return Revision.objects.none()
    return (
        Revision.objects.filter(document=document)
        .select_related("change_request", "author", "document")
        .order_by("-pk")
    )


def access_revision_by_id(*, user, revision_id) -> Revision:
    if not _can_read(user):
        raise Http404("No such revision")
    try:
        return Revision.objects.select_related(
            "document", "document__owner", "change_request", "author"
        ).get(pk=int(revision_id))
    except (Revision.DoesNotExist, ValueError, TypeError):
        raise Http404("No such revision") from None


def can_download_revision(user, revision: Revision) -> bool:
    """Files of superseded and obsolete revisions go only to the archive roles (4.2.4 g)."""
    if revision.status in ARCHIVED:
        return perms.has_perm(user, perms.DOCUMENT_ARCHIVE_VIEW)
    return _can_read(user)


def revision_comments(*, user, revision: Revision) -> QuerySet[ReviewComment]:
    if not _can_read(user):
        return ReviewComment.objects.none()
    return ReviewComment.objects.filter(revision=revision).select_related("author", "resolved_by")


def revisions_awaiting_approval(*, user) -> QuerySet[Revision]:
    """Revisions in review that name the user as approver and lack the user's signature on
    their current version (for the dashboard)."""
    if not perms.has_perm(user, perms.SIGN_APPROVED):
        return Revision.objects.none()
    ctype = ContentType.objects.get_for_model(Revision)
    signed = Signature.objects.filter(
        signer=user,
        meaning=SignatureMeaning.APPROVED,
        record_version__content_type=ctype,
        record_version__object_id=OuterRef("pk_text"),
        record_version__version=OuterRef("version"),
    )
    return (
        Revision.objects.filter(status=RevisionStatus.IN_REVIEW, document__approvers=user)
        .annotate(pk_text=Cast("pk", output_field=CharField()))
        .exclude(Exists(signed))
        .select_related("document")
        .order_by("document__number")
    )


# --- numbering --------------------------------------------------------------------------------


def numbering_rules(*, user) -> list[NumberingRule]:
    """One rule per document type; types without a saved rule show the defaults (unsaved)."""
    if not _can_read(user):
        return []
    saved = {rule.doc_type: rule for rule in NumberingRule.objects.all()}
    return [
        saved.get(value)
        or NumberingRule(doc_type=value, prefix=DEFAULT_PREFIXES[DocumentType(value)])
        for value in DocumentType.values
    ]


# --- change requests and periodic reviews -----------------------------------------------------


def change_request_list(*, user, status: str | None = None) -> QuerySet[ChangeRequest]:
    if not _can_read(user):
        return ChangeRequest.objects.none()
    qs = ChangeRequest.objects.select_related("requested_by")
    if status:
        from samsvar.documents.models import ChangeRequestStatus

        if status not in ChangeRequestStatus.values:
            raise ValidationError({"status": _("Choose a valid status.")})
        qs = qs.filter(status=status)
    return qs.order_by("-pk")


def access_change_request_by_id(*, user, change_request_id) -> ChangeRequest:
    try:
        return change_request_list(user=user).get(pk=int(change_request_id))
    except (ChangeRequest.DoesNotExist, ValueError, TypeError):
        raise Http404("No such change request") from None


def periodic_review_list(*, user, document: Document | None = None) -> QuerySet[PeriodicReview]:
    if not _can_read(user):
        return PeriodicReview.objects.none()
    qs = PeriodicReview.objects.select_related("document", "reviewed_by", "new_revision")
    if document is not None:
        qs = qs.filter(document=document)
    return qs.order_by("-due_date", "-pk")


def access_periodic_review_by_id(*, user, review_id) -> PeriodicReview:
    try:
        return periodic_review_list(user=user).get(pk=int(review_id))
    except (PeriodicReview.DoesNotExist, ValueError, TypeError):
        raise Http404("No such periodic review") from None


def _reviewable(user) -> QuerySet[Document]:
    if user is not None and not _can_read(user):
        return Document.objects.none()
    pending = PeriodicReview.objects.filter(
        document=OuterRef("pk"), status=PeriodicReviewStatus.RECORDED
    )
    return (
        Document.objects.filter(status=DocumentStatus.EFFECTIVE, next_review_due__isnull=False)
        .annotate(review_recorded=Exists(pending))
        .select_related("owner", "current_revision")
    )


def reviews_due(
    today: dt.date | None = None, within_days: int = 30, *, user=None
) -> QuerySet[Document]:
    """Effective documents whose periodic review falls due within the coming days (today
    included), soonest first. Without a user: for the system (dashboard counts, CLI)."""
    today = today or timezone.localdate()
    end = today + dt.timedelta(days=within_days)
    return (
        _reviewable(user)
        .filter(next_review_due__gte=today, next_review_due__lte=end)
        .order_by("next_review_due", "number")
    )


def reviews_overdue(today: dt.date | None = None, *, user=None) -> QuerySet[Document]:
    """Effective documents whose periodic review date has passed, most overdue first."""
    today = today or timezone.localdate()
    return _reviewable(user).filter(next_review_due__lt=today).order_by("next_review_due", "number")


def quality_manual_map(*, user, include_in_preparation: bool = False):
    """The quality manual map (ISO 13485 clause list and MDR Art. 10(9) items against the
    documents that address them, with the gaps): `samsvar.regulatory.qms.CoverageReport`.

    Only effective documents count unless `include_in_preparation`; obsolete ones never do.
    """
    from samsvar.regulatory import qms

    if not _can_read(user):
        return qms.coverage({})
    statuses = [DocumentStatus.EFFECTIVE]
    if include_in_preparation:
        statuses.append(DocumentStatus.DRAFT)
    rows = Document.objects.filter(status__in=statuses).values_list(
        "number", "iso_clauses", "regulation_refs"
    )
    return qms.coverage(
        {number: [*(clauses or []), *(refs or [])] for number, clauses, refs in rows}
    )


# --- the document index (CLI and exports) -----------------------------------------------------

INDEX_HEADER = (
    gettext_lazy("Number"),
    gettext_lazy("Title"),
    gettext_lazy("Type"),
    gettext_lazy("Revision"),
    gettext_lazy("Status"),
    gettext_lazy("Effective date"),
    gettext_lazy("Owner"),
    gettext_lazy("Next review"),
)


def document_index(*, user=None) -> list[tuple]:
    """One row per document for the document index: the effective revision where there is one,
    else the newest revision with its status. Two queries whatever the number of documents."""
    if user is not None and not _can_read(user):
        return []
    newest = Revision.objects.filter(document=OuterRef("pk")).order_by("-pk")
    documents = (
        Document.objects.select_related("owner", "current_revision")
        .annotate(
            newest_label=Subquery(newest.values("label")[:1]),
            newest_status=Subquery(newest.values("status")[:1]),
        )
        .order_by("number")
    )
    statuses = dict(RevisionStatus.choices)
    rows = []
    for document in documents:
        revision = document.current_revision
        if revision is not None:
            label, status = revision.label, statuses[RevisionStatus.EFFECTIVE]
            moment = revision.effective_at
            effective = timezone.localdate(moment) if moment else revision.effective_date
        else:
            label = document.newest_label or ""
            if document.status == DocumentStatus.OBSOLETE:
                status = statuses[RevisionStatus.OBSOLETE]
            else:
                status = statuses.get(document.newest_status, "")
            effective = None
        rows.append(
            (
                document.number,
                document.title,
                str(document.get_doc_type_display()),
                label,
                str(status),
                effective,
                document.owner.full_name or document.owner.username,
                document.next_review_due,
            )
        )
    return rows


# --- records register (ISO 13485 4.2.5) -------------------------------------------------------


@dataclass(frozen=True)
class RecordEntry:
    """One retained record: a frozen signed version of any record, or an archived revision."""

    record_type: str  # "app_label.model"
    type_label: str
    object_id: str
    label: str
    version: int | None
    record_date: dt.date  # retention counts from this date
    retention_years: int
    disposal_due: dt.date  # the record may be disposed of from this date
    sha256: str
    url: str
    # Frozen versions and archived revisions cannot be changed by anyone (triggers, services).
    protected: bool = True


def installation_retention_years() -> int:
    """The installation's default retention (MDR Art. 10(8)): 10 years, or 15 as soon as one
    device in the register is implantable by its classification record."""
    from samsvar.devices.implications import profile_for
    from samsvar.devices.models import Classification
    from samsvar.regulatory import qms

    implantable = any(
        profile_for(record).implantable
        for record in Classification.objects.filter(regime="mdr", device__regime="mdr")
    )
    return qms.retention_years(implantable=implantable)


def _type_label(ctype: ContentType) -> str:
    model = ctype.model_class()
    return str(model._meta.verbose_name) if model else f"{ctype.app_label}.{ctype.model}"


def _record_url(ctype: ContentType, object_id: str) -> str:
    model = ctype.model_class()
    if model is None or not hasattr(model, "get_absolute_url"):
        return ""
    try:
        return model(pk=object_id).get_absolute_url()
    except Exception:  # a page that needs more than the id; the register still lists the record
        return ""


def records_register(
    *, user, record_type: str | None = None, disposal_due_before=None
) -> list[RecordEntry]:
    """Every retained record with its retention and disposal due date, soonest disposal first.

    Records are every signed (frozen) version of any controlled record, and every superseded or
    obsolete document revision. Revisions and periodic reviews keep their document's retention;
    everything else the installation's default. Five queries whatever the number of records.
    """
    if not _can_read(user):
        return []
    if record_type and not _RECORD_TYPE.fullmatch(record_type):
        raise ValidationError({"record_type": _("Choose a record type.")})
    before = _day(disposal_due_before, "disposal_due_before")
    default_years = installation_retention_years()
    revision_type = ContentType.objects.get_for_model(Revision)
    review_type = ContentType.objects.get_for_model(PeriodicReview)
    entries: list[RecordEntry] = []

    if record_type in (None, "", "documents.revision"):
        archived = (
            Revision.objects.filter(status__in=ARCHIVED)
            .select_related("document")
            .only(
                "pk", "label", "version", "status", "superseded_at", "obsoleted_at",
                "attachment_sha256", "document__number", "document__title",
                "document__retention_years",
            )
        )  # fmt: skip
        label = str(Revision._meta.verbose_name)
        for revision in archived:
            moment = revision.superseded_at or revision.obsoleted_at
            day = timezone.localdate(moment) if moment else timezone.localdate()
            years = revision.document.retention_years
            entries.append(
                RecordEntry(
                    record_type="documents.revision",
                    type_label=label,
                    object_id=str(revision.pk),
                    label=f"{revision.document.number} rev. {revision.label} "
                    f"{revision.document.title}",
                    version=revision.version,
                    record_date=day,
                    retention_years=years,
                    disposal_due=add_months(day, years * 12),
                    sha256=revision.attachment_sha256,
                    url=revision.get_absolute_url(),
                )
            )

    versions = RecordVersion.objects.exclude(content_type=revision_type).select_related(
        "content_type"
    )
    if record_type and record_type != "documents.revision":
        app_label, model = record_type.split(".")
        versions = versions.filter(content_type__app_label=app_label, content_type__model=model)
    elif record_type == "documents.revision":
        versions = versions.none()
    versions = list(versions.defer("content"))
    review_ids = [int(v.object_id) for v in versions if v.content_type_id == review_type.pk]
    review_years = dict(
        PeriodicReview.objects.filter(pk__in=review_ids).values_list(
            "pk", "document__retention_years"
        )
    )
    for version in versions:
        ctype = version.content_type
        years = default_years
        if ctype.pk == review_type.pk:
            years = review_years.get(int(version.object_id), default_years)
        day = timezone.localdate(version.frozen_at)
        entries.append(
            RecordEntry(
                record_type=f"{ctype.app_label}.{ctype.model}",
                type_label=_type_label(ctype),
                object_id=version.object_id,
                label=version.object_repr,
                version=version.version,
                record_date=day,
                retention_years=years,
                disposal_due=add_months(day, years * 12),
                sha256=version.content_sha256,
                url=_record_url(ctype, version.object_id),
            )
        )
    if before is not None:
        entries = [entry for entry in entries if entry.disposal_due < before]
    entries.sort(key=lambda e: (e.disposal_due, e.record_type, e.label, e.version or 0))
    return entries


def record_types(*, user) -> list[tuple[str, str]]:
    """The record types the register can filter by: (value, label), for a filter form."""
    if not _can_read(user):
        return []
    ctypes = ContentType.objects.filter(
        pk__in=RecordVersion.objects.values("content_type").distinct()
    )
    found = {f"{c.app_label}.{c.model}": _type_label(c) for c in ctypes}
    found["documents.revision"] = str(Revision._meta.verbose_name)
    return sorted(found.items(), key=lambda item: item[1])
