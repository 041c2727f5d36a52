"""Controlled documents and records (ISO 13485:2016 4.2.3, 4.2.4, 4.2.5).

A `Document` is the stable identity (number, title, owner, the clauses it addresses, its
retention); each `Revision` is one issue of its content with its own life cycle: draft → in
review → approved → effective → superseded or obsolete. At most one revision of a document is
effective at a time, enforced by the database. Change requests open revisions, periodic reviews
confirm that an effective document is still valid.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _

from samsvar.core.controlled import ControlledModel, VersionedModel
from samsvar.documents import revisions as labels


class DocumentType(models.TextChoices):
    QUALITY_MANUAL = "quality_manual", _("Quality manual")
    PROCEDURE = "procedure", _("Procedure (SOP)")
    WORK_INSTRUCTION = "work_instruction", _("Work instruction")
    FORM = "form", _("Form or template")
    PLAN = "plan", _("Plan")
    REPORT = "report", _("Report")
    SPECIFICATION = "specification", _("Specification")
    EXTERNAL = "external", _("External document")


DEFAULT_PREFIXES = {
    DocumentType.QUALITY_MANUAL: "QM",
    DocumentType.PROCEDURE: "SOP",
    DocumentType.WORK_INSTRUCTION: "WI",
    DocumentType.FORM: "FRM",
    DocumentType.PLAN: "PLN",
    DocumentType.REPORT: "RPT",
    DocumentType.SPECIFICATION: "SPC",
    DocumentType.EXTERNAL: "EXT",
}


class RevisionScheme(models.TextChoices):
    LETTERS = labels.LETTERS, _("Letters (A, B, … Z, AA)")
    NUMERIC = labels.NUMERIC, _("Numbers (1.0, 1.1, … 2.0)")


class DocumentStatus(models.TextChoices):
    """Where the document as a whole stands; the revisions carry the detailed life cycle."""

    DRAFT = "draft", _("In preparation")
    EFFECTIVE = "effective", _("Effective")
    OBSOLETE = "obsolete", _("Obsolete")


class RevisionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    APPROVED = "approved", _("Approved")
    EFFECTIVE = "effective", _("Effective")
    SUPERSEDED = "superseded", _("Superseded")
    OBSOLETE = "obsolete", _("Obsolete")


# Revisions still being worked on: a document has at most one of them.
IN_PROGRESS = (RevisionStatus.DRAFT, RevisionStatus.IN_REVIEW, RevisionStatus.APPROVED)
# Revisions kept for the record only (ISO 13485 4.2.4: prevent unintended use, keep a copy).
ARCHIVED = (RevisionStatus.SUPERSEDED, RevisionStatus.OBSOLETE)


def _url(name: str, pk) -> str:
    """The page of a record, or "" while the app has no page of that name."""
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return ""


class NumberingRule(ControlledModel):
    """How documents of one type are numbered and revised (ISO 13485 4.2.4 e: identifiable).

    `next_number` is the counter: the service that creates a document locks this row, so two
    documents created at the same moment never get the same number.
    """

    doc_type = models.CharField(
        _("document type"), max_length=20, choices=DocumentType.choices, unique=True
    )
    prefix = models.CharField(
        _("prefix"), max_length=10, help_text=_("Capital letters and digits, e.g. SOP.")
    )
    digits = models.PositiveSmallIntegerField(
        _("digits"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(6)],
        help_text=_("How many digits the running number has: 3 gives SOP-007."),
    )
    revision_scheme = models.CharField(
        _("revision scheme"),
        max_length=10,
        choices=RevisionScheme.choices,
        default=RevisionScheme.LETTERS,
        help_text=_("For new documents; a document keeps the scheme it was created with."),
    )
    next_number = models.PositiveIntegerField(_("next number"), default=1)

    class Meta:
        ordering = ["doc_type"]
        verbose_name = _("numbering rule")
        verbose_name_plural = _("numbering rules")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(doc_type__in=DocumentType.values),
                name="numbering_rule_doc_type_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(revision_scheme__in=RevisionScheme.values),
                name="numbering_rule_scheme_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(digits__gte=1, digits__lte=6),
                name="numbering_rule_digits_range",
            ),
        ]

    def __str__(self):
        return f"{self.get_doc_type_display()}: {self.format(self.next_number)}"

    def format(self, number: int) -> str:
        return f"{self.prefix}-{number:0{self.digits}d}"


class Document(ControlledModel):
    """A controlled document of the quality management system (ISO 13485 4.2.4).

    The content lives in its revisions; `current_revision` points at the one effective revision
    (none while the document is in preparation or after it is withdrawn). The services keep it,
    `status` and the search index in step with the revisions.
    """

    number = models.CharField(_("number"), max_length=40, unique=True)
    doc_type = models.CharField(
        _("type"), max_length=20, choices=DocumentType.choices, db_index=True
    )
    title = models.CharField(_("title"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="owned_documents",
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=DocumentStatus.choices,
        default=DocumentStatus.DRAFT,
        db_index=True,
    )
    current_revision = models.ForeignKey(
        "Revision",
        verbose_name=_("effective revision"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    revision_scheme = models.CharField(
        _("revision scheme"),
        max_length=10,
        choices=RevisionScheme.choices,
        default=RevisionScheme.LETTERS,
    )
    iso_clauses = models.JSONField(
        _("ISO 13485 clauses"),
        default=list,
        blank=True,
        help_text=_("The clauses of EN ISO 13485 this document addresses, e.g. 4.2.4."),
    )
    regulation_refs = models.JSONField(
        _("MDR/IVDR references"),
        default=list,
        blank=True,
        help_text=_("Articles it addresses, e.g. mdr:10(9)(a) or ivdr:10(8)."),
    )
    implantable_devices = models.BooleanField(
        _("covers implantable devices"),
        default=False,
        help_text=_("Implantable devices need 15 years of retention instead of 10."),
    )
    retention_years = models.PositiveSmallIntegerField(
        _("retention (years)"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("MDR Art. 10(8): at least 10 years, 15 for implantable devices."),
    )
    review_interval_months = models.PositiveSmallIntegerField(
        _("review interval (months)"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    next_review_due = models.DateField(_("next review due"), null=True, blank=True, db_index=True)
    reviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewers"),
        blank=True,
        related_name="documents_to_review",
    )
    approvers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approvers"),
        blank=True,
        related_name="documents_to_approve",
    )
    publisher = models.CharField(
        _("publisher"),
        max_length=200,
        blank=True,
        help_text=_("For an external document: who issues it, e.g. CEN or the EU."),
    )
    edition = models.CharField(
        _("edition"),
        max_length=100,
        blank=True,
        help_text=_("For an external document: the edition in use, e.g. 2016 + A11:2021."),
    )
    obsoleted_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(doc_type__in=DocumentType.values),
                name="document_doc_type_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=DocumentStatus.values),
                name="document_status_valid",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(status="effective", current_revision__isnull=False)
                    | (~models.Q(status="effective") & models.Q(current_revision__isnull=True))
                ),
                name="document_effective_has_revision",
            ),
            models.CheckConstraint(
                condition=models.Q(retention_years__gte=1, review_interval_months__gte=1),
                name="document_periods_positive",
            ),
        ]
        indexes = [
            models.Index(fields=["doc_type", "number"], name="document_type_number"),
            models.Index(fields=["owner", "number"], name="document_owner_number"),
            models.Index(fields=["status", "number"], name="document_status_number"),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    def get_absolute_url(self):
        return _url("documents:detail", self.pk)

    @property
    def is_external(self) -> bool:
        return self.doc_type == DocumentType.EXTERNAL


def attachment_path(revision: Revision, filename: str) -> str:
    """Where an attached file is stored: documents/<number>/<revision>/<file name>."""
    number = get_valid_filename(revision.document.number) or "document"
    label = get_valid_filename(revision.label) or "revision"
    return f"documents/{number}/{label}/{get_valid_filename(filename) or 'attachment'}"


class Revision(VersionedModel):
    """One revision of a controlled document and its life cycle (ISO 13485 4.2.4 a-d).

    What approvers sign is the content: label, text, attached file (by SHA-256), reason for
    change and planned effective date. The status and transition times are bookkeeping, so a
    status change does not create a new version of a signed revision.
    """

    document = models.ForeignKey(
        Document, verbose_name=_("document"), on_delete=models.PROTECT, related_name="revisions"
    )
    label = models.CharField(_("revision"), max_length=20)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=RevisionStatus.choices,
        default=RevisionStatus.DRAFT,
    )
    content_md = models.TextField(_("content (Markdown)"), blank=True)
    attachment = models.FileField(
        _("attached file"), upload_to=attachment_path, max_length=300, blank=True
    )
    attachment_sha256 = models.CharField(_("SHA-256 of the file"), max_length=64, blank=True)
    attachment_size = models.PositiveBigIntegerField(_("file size (bytes)"), null=True, blank=True)
    attachment_content_type = models.CharField(_("file type"), max_length=120, blank=True)
    attachment_name = models.CharField(_("original file name"), max_length=255, blank=True)
    reason_for_change = models.TextField(_("reason for change"))
    change_request = models.ForeignKey(
        "ChangeRequest",
        verbose_name=_("change request"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="revisions",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    effective_date = models.DateField(
        _("planned effective date"),
        null=True,
        blank=True,
        help_text=_("Empty: effective when document control releases it after approval."),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    effective_at = models.DateTimeField(_("effective from"), null=True, blank=True)
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)
    obsoleted_at = models.DateTimeField(_("made obsolete at"), null=True, blank=True)

    content_exclude = (
        "version",
        "status",
        "approved_at",
        "effective_at",
        "superseded_at",
        "obsoleted_at",
    )

    class Meta:
        ordering = ["document", "-pk"]
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        constraints = [
            models.UniqueConstraint(fields=["document", "label"], name="revision_label_unique"),
            # ISO 13485 4.2.4 d: only the current revision is available at the point of use.
            models.UniqueConstraint(
                fields=["document"],
                condition=models.Q(status="effective"),
                name="revision_one_effective",
            ),
            models.UniqueConstraint(
                fields=["document"],
                condition=models.Q(status__in=["draft", "in_review", "approved"]),
                name="revision_one_in_progress",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=RevisionStatus.values),
                name="revision_status_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(reason_for_change=""), name="revision_reason_required"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "effective_date"], name="revision_status_date"),
        ]

    def __str__(self):
        number = self.document.number if self.document_id else "?"
        return f"{number} rev. {self.label}"

    def get_absolute_url(self):
        return _url("documents:revision", self.pk)

    def signed_content(self) -> dict:
        content = super().signed_content()
        content["fields"]["document_number"] = self.document.number
        return content

    @property
    def is_current(self) -> bool:
        return self.status == RevisionStatus.EFFECTIVE

    @property
    def is_archived(self) -> bool:
        return self.status in ARCHIVED

    @property
    def is_editable(self) -> bool:
        return self.status == RevisionStatus.DRAFT


class ReviewComment(ControlledModel):
    """A reviewer's comment on a revision, resolved before approval (ISO 13485 4.2.4 a)."""

    revision = models.ForeignKey(
        Revision, verbose_name=_("revision"), on_delete=models.PROTECT, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    text = models.TextField(_("comment"))
    resolved = models.BooleanField(_("resolved"), default=False)
    resolution = models.TextField(_("resolution"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        ordering = ["revision", "pk"]
        verbose_name = _("review comment")
        verbose_name_plural = _("review comments")
        constraints = [
            models.CheckConstraint(condition=~models.Q(text=""), name="review_comment_has_text"),
        ]

    def __str__(self):
        return f"{self.revision}: {self.text[:60]}"

    def get_absolute_url(self):
        return _url("documents:revision", self.revision_id)


class ChangeRequestStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")
    IMPLEMENTED = "implemented", _("Implemented")
    REJECTED = "rejected", _("Rejected")


class ChangeRequest(VersionedModel):
    """A documented, reviewed and approved change to QMS documents (ISO 13485 4.2.4, 7.3.9).

    Says what changes, why, and what else it touches (documents, devices, training, risk files,
    regulatory submissions). Approved by e-signature before any revision is opened under it.
    The documents and devices it names are part of what the approver signs.
    """

    number = models.CharField(_("number"), max_length=20, unique=True)
    title = models.CharField(_("title"), max_length=300)
    what = models.TextField(_("what changes"))
    why = models.TextField(_("why"))
    documents = models.ManyToManyField(
        Document, verbose_name=_("documents affected"), blank=True, related_name="change_requests"
    )
    devices = models.ManyToManyField(
        "devices.Device",
        verbose_name=_("devices affected"),
        blank=True,
        related_name="change_requests",
    )
    impact_training = models.TextField(_("impact on training"), blank=True)
    impact_risk = models.TextField(_("impact on risk management files"), blank=True)
    impact_regulatory = models.TextField(_("impact on regulatory submissions"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ChangeRequestStatus.choices,
        default=ChangeRequestStatus.DRAFT,
        db_index=True,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    implemented_at = models.DateTimeField(_("implemented at"), null=True, blank=True)
    rejected_at = models.DateTimeField(_("rejected at"), null=True, blank=True)

    content_exclude = ("version", "status", "approved_at", "implemented_at", "rejected_at")

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("change request")
        verbose_name_plural = _("change requests")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ChangeRequestStatus.values),
                name="change_request_status_valid",
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    def get_absolute_url(self):
        return _url("documents:change_request", self.pk)

    def signed_content(self) -> dict:
        content = super().signed_content()
        if self.pk is not None:
            content["fields"]["documents"] = sorted(self.documents.values_list("number", flat=True))
            content["fields"]["devices"] = sorted(self.devices.values_list("pk", flat=True))
        return content


class ReviewOutcome(models.TextChoices):
    STILL_VALID = "still_valid", _("Still valid")
    REVISE = "revise", _("Revise")
    WITHDRAW = "withdraw", _("Withdraw")


class PeriodicReviewStatus(models.TextChoices):
    RECORDED = "recorded", _("Recorded, to be signed")
    COMPLETED = "completed", _("Completed")


class PeriodicReview(VersionedModel):
    """The periodic review of an effective document: still valid, revise or withdraw.

    ISO 13485 4.2.4 b: review and update documents as necessary. The outcome is recorded, signed,
    and then completed: only a completed review changes the document.
    """

    document = models.ForeignKey(
        Document,
        verbose_name=_("document"),
        on_delete=models.PROTECT,
        related_name="periodic_reviews",
    )
    due_date = models.DateField(_("due date"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=ReviewOutcome.choices)
    notes = models.TextField(_("notes"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=PeriodicReviewStatus.choices,
        default=PeriodicReviewStatus.RECORDED,
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    new_revision = models.ForeignKey(
        Revision,
        verbose_name=_("revision opened"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    content_exclude = ("version", "status", "completed_at", "new_revision")

    class Meta:
        ordering = ["-due_date", "-pk"]
        verbose_name = _("periodic review")
        verbose_name_plural = _("periodic reviews")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(outcome__in=ReviewOutcome.values),
                name="periodic_review_outcome_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=PeriodicReviewStatus.values),
                name="periodic_review_status_valid",
            ),
            models.CheckConstraint(condition=~models.Q(notes=""), name="periodic_review_has_notes"),
        ]

    def __str__(self):
        number = self.document.number if self.document_id else "?"
        return f"{number} periodic review {self.due_date:%Y-%m-%d}"

    def get_absolute_url(self):
        return _url("documents:periodic_review", self.pk)


class SearchEntry(models.Model):
    """The text that full-text search covers for one document: number, title, current content.

    Derived data, rewritten by the services whenever a revision changes (not a controlled
    record). SQLite indexes it with an FTS5 table kept in step by triggers; PostgreSQL with a
    GIN expression index. Both are created by the app's migrations.
    """

    document = models.OneToOneField(
        Document, on_delete=models.CASCADE, primary_key=True, related_name="search_entry"
    )
    number = models.CharField(max_length=40)
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")

    def __str__(self):
        return self.number
