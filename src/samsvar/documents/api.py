"""Controlled documents and records over the API (ISO 13485:2016 4.2.3, 4.2.4, 4.2.5).

The documents register with full-text search and filters; each document's revisions and their
life cycle (submit, return, approve, make effective, discard) and the withdrawal of a document;
review comments; change requests and the revisions they open; periodic reviews and the list of
reviews due; the records register; the quality manual map; and the controlled copy of a
revision. Every write goes through `documents.services`; bodies are strict; each versioned
record (revision, change request, periodic review) has its history, frozen versions and
e-signature endpoints.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import prefetch_related_objects
from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import exceptions, renderers, serializers, status
from rest_framework.response import Response

from samsvar.core import permissions as perms
from samsvar.core.api import (
    ApiView,
    FileRenderer,
    JsonObjectField,
    RecordHistoryView,
    SignatureSerializer,
    StrictModelSerializer,
    StrictSerializer,
    query_params,
)
from samsvar.core.api import evidence_views as core_evidence_views
from samsvar.core.selectors import current_signatures_by_pk
from samsvar.devices.models import Device
from samsvar.documents import search, selectors, services
from samsvar.documents.controlled_copy import revision_copy_pdf
from samsvar.documents.models import (
    IN_PROGRESS,
    ChangeRequest,
    ChangeRequestStatus,
    Document,
    DocumentStatus,
    DocumentType,
    PeriodicReview,
    ReviewComment,
    Revision,
    RevisionStatus,
)
from samsvar.reports.render import file_response

TAGS = ["documents"]
TEXT_MAX = services.MAX_TEXT_CHARS
User = get_user_model()


def reason_field(*, required: bool = False, help_text: str = ""):
    return serializers.CharField(
        write_only=True,
        required=required,
        allow_blank=not required,
        max_length=2000,
        help_text=help_text or "Why it changes; kept in the audit trail.",
    )


def people_field(**kwargs):
    return serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), **kwargs
    )


def person_name(user) -> str:
    return (user.full_name or user.username) if user is not None else ""


class TextLimitMixin:
    """Text columns get the services' limit, so an over-long text is a field error here."""

    def build_standard_field(self, field_name, model_field):
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        if isinstance(model_field, models.TextField) and "max_length" not in kwargs:
            kwargs["max_length"] = TEXT_MAX
        return field_class, kwargs


class SignaturesMixin(serializers.Serializer):
    """The e-signatures on a versioned record's current version, one query per page."""

    signatures = serializers.SerializerMethodField(help_text="E-signatures on the current version.")

    @extend_schema_field(SignatureSerializer(many=True))
    def get_signatures(self, record):
        by_pk = self.context.get("signatures")
        if by_pk is None:
            by_pk = current_signatures_by_pk([record])
        return SignatureSerializer(by_pk.get(str(record.pk), []), many=True).data


def signatures_context(page) -> dict:
    return {"signatures": current_signatures_by_pk(list(page))}


def revision_status_field():
    """A revision's status, read-only. Plain text in the schema: an enum would share the name
    "status" with the other records' choice sets (documented by the help text instead)."""
    return serializers.CharField(
        read_only=True,
        help_text="draft, in_review, approved, effective, superseded or obsolete",
    )


# --- Documents --------------------------------------------------------------------------------


class RevisionRefSerializer(serializers.ModelSerializer):
    """A revision named from elsewhere: which one, and where it stands."""

    status = revision_status_field()

    class Meta:
        model = Revision
        fields = ["id", "label", "status", "effective_date", "effective_at"]
        read_only_fields = fields


class DocumentSerializer(TextLimitMixin, StrictModelSerializer):
    """A controlled document (ISO 13485 4.2.4): its identity, owner, the clauses and articles
    it addresses, its retention and review schedule. The content is in its revisions."""

    doc_type_label = serializers.SerializerMethodField()
    owner = people_field(help_text="Id of a person who drafts or approves documents.")
    owner_name = serializers.SerializerMethodField()
    current_revision = RevisionRefSerializer(
        read_only=True, allow_null=True, help_text="The one effective revision, if any."
    )
    working_revision = serializers.SerializerMethodField(
        help_text="The revision in progress (draft, in review or approved), if any."
    )
    iso_clauses = serializers.ListField(
        child=serializers.CharField(max_length=40),
        required=False,
        max_length=200,
        help_text='Clauses of EN ISO 13485 it addresses, e.g. ["4.2.4", "4.2.5"].',
    )
    regulation_refs = serializers.ListField(
        child=serializers.CharField(max_length=40),
        required=False,
        max_length=200,
        help_text='MDR/IVDR references, e.g. ["mdr:10(9)(a)", "ivdr:10(8)"].',
    )
    reviewers = people_field(many=True, required=False)
    approvers = people_field(
        many=True, required=False, help_text="Every approver signs each revision before approval."
    )
    review_overdue = serializers.SerializerMethodField(
        help_text="The periodic review date has passed."
    )
    rank = serializers.SerializerMethodField(
        help_text="Search rank when the list was searched with q; higher is better."
    )
    url = serializers.SerializerMethodField(help_text="The document's page.")
    reason = reason_field()

    class Meta:
        model = Document
        fields = [
            "id",
            "number",
            "doc_type",
            "doc_type_label",
            "title",
            "status",
            "owner",
            "owner_name",
            "current_revision",
            "working_revision",
            "revision_scheme",
            "iso_clauses",
            "regulation_refs",
            "implantable_devices",
            "retention_years",
            "review_interval_months",
            "next_review_due",
            "review_overdue",
            "reviewers",
            "approvers",
            "publisher",
            "edition",
            "obsoleted_at",
            "rank",
            "url",
            "created_at",
            "updated_at",
            "reason",
        ]
        read_only_fields = [
            "id",
            "number",
            "doc_type",
            "status",
            "revision_scheme",
            "obsoleted_at",
            "created_at",
            "updated_at",
        ]
        validators = []

    def get_doc_type_label(self, document) -> str:
        return str(document.get_doc_type_display())

    def get_owner_name(self, document) -> str:
        return person_name(document.owner)

    @extend_schema_field(RevisionRefSerializer(allow_null=True))
    def get_working_revision(self, document):
        working = self.context.get("working")
        if working is None:
            revision = selectors.working_revision(document)
        else:
            revision = working.get(document.pk)
        return RevisionRefSerializer(revision).data if revision is not None else None

    def get_review_overdue(self, document) -> bool:
        due = document.next_review_due
        if document.status != DocumentStatus.EFFECTIVE or due is None:
            return False
        return due < timezone.localdate()

    @extend_schema_field({"type": "number", "nullable": True})
    def get_rank(self, document):
        return getattr(document, "search_rank", None)

    def get_url(self, document) -> str:
        return document.get_absolute_url()


class DocumentCreateSerializer(DocumentSerializer):
    """A new document and its first revision, as a draft; the number comes from the type's
    numbering rule."""

    doc_type = serializers.ChoiceField(choices=DocumentType.choices)
    reason_for_change = serializers.CharField(
        write_only=True,
        max_length=TEXT_MAX,
        help_text='Why the first revision exists, e.g. "First issue".',
    )
    content_md = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=services.MAX_CONTENT_CHARS,
        help_text="The first revision's content in Markdown.",
    )
    attachment = serializers.FileField(
        write_only=True,
        required=False,
        max_length=255,
        help_text="A file for the first revision (multipart/form-data).",
    )
    effective_date = serializers.DateField(
        write_only=True, required=False, allow_null=True, help_text="Planned effective date."
    )

    class Meta(DocumentSerializer.Meta):
        fields = [
            *DocumentSerializer.Meta.fields,
            "reason_for_change",
            "content_md",
            "attachment",
            "effective_date",
        ]
        read_only_fields = [f for f in DocumentSerializer.Meta.read_only_fields if f != "doc_type"]


class DocumentFilterSerializer(serializers.Serializer):
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text="Words of the number, title or current content; best match first.",
    )
    type = serializers.ChoiceField(choices=DocumentType.choices, required=False)
    status = serializers.ChoiceField(
        choices=RevisionStatus.choices,
        required=False,
        help_text="effective, obsolete, or documents with a revision at that step.",
    )
    owner = serializers.IntegerField(required=False, min_value=1, help_text="User id.")
    clause = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=20,
        help_text="ISO 13485 clause, e.g. 4.2 (includes its sub-clauses).",
    )


def documents_context(page) -> dict:
    """Reviewers, approvers and revisions in progress of a whole page in three queries."""
    page = list(page)
    prefetch_related_objects(page, "reviewers", "approvers")
    working = Revision.objects.filter(document__in=page, status__in=IN_PROGRESS)
    return {"working": {revision.document_id: revision for revision in working}}


@extend_schema_view(
    get=extend_schema(
        tags=TAGS,
        summary="List or search the documents register",
        parameters=[DocumentFilterSerializer],
        responses=DocumentSerializer(many=True),
    ),
    post=extend_schema(
        tags=TAGS,
        summary="Register a new document with its first revision as a draft",
        request=DocumentCreateSerializer,
        responses={201: DocumentSerializer},
    ),
)
class DocumentListView(ApiView):
    """The documents register (ISO 13485 4.2.4): number order, or best match first with q."""

    permission_map = {"GET": perms.RECORD_VIEW, "POST": perms.DOCUMENT_CHANGE}
    serializer_class = DocumentSerializer

    def get(self, request):
        filters = query_params(DocumentFilterSerializer, request)
        chosen = {
            "doc_type": filters.get("type"),
            "status": filters.get("status"),
            "owner": filters.get("owner"),
            "clause": filters.get("clause"),
        }
        if search.terms(filters.get("q", "")):
            found = search.document_search(user=request.user, q=filters["q"], **chosen)
        else:
            found = selectors.document_list(user=request.user, **chosen)
        return self.paginated(found, page_context=documents_context)

    def post(self, request):
        form = DocumentCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        document = services.document_create(actor=request.user, **form.validated_data)
        document = selectors.access_document_by_id(user=request.user, document_id=document.pk)
        return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)


class DocumentMixin:
    argument = "document"

    def get_record(self) -> Document:
        return selectors.access_document_by_id(
            user=self.request.user, document_id=self.kwargs["pk"]
        )


class RecordDetailView(ApiView):
    """One record (GET) and a change to what may change of it (PATCH), through its service."""

    def update(self, actor, record, data: dict) -> None:
        raise NotImplementedError

    def get(self, request, pk):
        return Response(self.serializer_class(self.get_record()).data)

    def patch(self, request, pk):
        record = self.get_record()
        form = self.serializer_class(record, data=request.data, partial=True)
        form.is_valid(raise_exception=True)
        self.update(request.user, record, dict(form.validated_data))
        return Response(self.serializer_class(self.get_record()).data)


class DocumentStepSerializer(StrictSerializer):
    reason = reason_field()


class DocumentReasonSerializer(StrictSerializer):
    reason = reason_field(required=True, help_text="Why; kept in the audit trail.")


def step_view(
    name: str,
    mixin,
    service,
    permission,
    summary: str,
    description: str,
    *,
    responds,
    reason: bool = False,
):
    """A POST endpoint for one workflow step of a record, one service each (STYLE.md 4). The
    service takes the record under the mixin's `argument`; the answer is the record after it."""
    body = DocumentReasonSerializer if reason else DocumentStepSerializer

    def post(self, request, pk):
        form = body(data=request.data)
        form.is_valid(raise_exception=True)
        record = {mixin.argument: self.get_record()}
        service(actor=request.user, **record, **form.validated_data)
        return Response(responds(self.get_record()).data)

    view = type(
        name,
        (mixin, ApiView),
        {
            "permission_map": {"POST": permission},
            "serializer_class": body,
            "post": post,
            "__module__": __name__,
            "__doc__": description,
        },
    )
    return extend_schema_view(
        post=extend_schema(
            tags=TAGS, summary=summary, description=description, request=body, responses=responds
        )
    )(view)


@extend_schema_view(
    get=extend_schema(tags=TAGS, summary="Show a document"),
    patch=extend_schema(
        tags=TAGS,
        summary="Change what describes a document",
        description="Title, owner, clauses, retention, review schedule, reviewers, approvers. "
        "The content changes only through a new revision.",
    ),
)
class DocumentDetailView(DocumentMixin, RecordDetailView):
    permission_map = {"GET": perms.RECORD_VIEW, "PATCH": perms.DOCUMENT_CHANGE}
    serializer_class = DocumentSerializer

    def update(self, actor, record, data):
        services.document_update(actor=actor, document=record, **data)


DocumentObsoleteView = step_view(
    "DocumentObsoleteView",
    DocumentMixin,
    services.document_obsolete,
    perms.DOCUMENT_CONTROL,
    "Withdraw a document",
    "Its effective revision and any revision in progress become obsolete; everything stays "
    "readable (ISO 13485 4.2.4 f-g).",
    responds=DocumentSerializer,
    reason=True,
)


@extend_schema_view(get=extend_schema(tags=TAGS, summary="Audit events about a document"))
class DocumentHistoryView(DocumentMixin, RecordHistoryView):
    pass


# --- Revisions --------------------------------------------------------------------------------


class RevisionListSerializer(SignaturesMixin, StrictModelSerializer):
    """A revision of a document: its label, status, reason for change and the change request
    behind it, its attached file by SHA-256, and the signatures on its current version."""

    document_number = serializers.CharField(source="document.number", read_only=True)
    document_title = serializers.CharField(source="document.title", read_only=True)
    change_request_number = serializers.SerializerMethodField()
    author_name = serializers.SerializerMethodField()
    status = revision_status_field()
    copy_url = serializers.SerializerMethodField(help_text="API address of the controlled copy.")

    class Meta:
        model = Revision
        fields = [
            "id",
            "document",
            "document_number",
            "document_title",
            "label",
            "status",
            "reason_for_change",
            "change_request",
            "change_request_number",
            "author",
            "author_name",
            "effective_date",
            "approved_at",
            "effective_at",
            "superseded_at",
            "obsoleted_at",
            "attachment_name",
            "attachment_size",
            "attachment_content_type",
            "attachment_sha256",
            "version",
            "signatures",
            "copy_url",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_change_request_number(self, revision) -> str:
        return revision.change_request.number if revision.change_request_id else ""

    def get_author_name(self, revision) -> str:
        return person_name(revision.author)

    def get_copy_url(self, revision) -> str:
        return f"/api/v1/document-revisions/{revision.pk}/copy/"


class RevisionSerializer(TextLimitMixin, RevisionListSerializer):
    """One revision with its content. Only a draft changes: its text, file, reason for change,
    planned effective date and change request; once signed, a change needs a reason."""

    content_md = serializers.CharField(
        required=False, allow_blank=True, max_length=services.MAX_CONTENT_CHARS
    )
    change_request = serializers.PrimaryKeyRelatedField(
        queryset=ChangeRequest.objects.all(),
        required=False,
        allow_null=True,
        help_text="An approved change request that names this document.",
    )
    attachment = serializers.FileField(
        write_only=True,
        required=False,
        max_length=255,
        help_text="Replace the attached file (multipart/form-data); checked by its content.",
    )
    clear_attachment = serializers.BooleanField(
        write_only=True, required=False, help_text="Remove the attached file."
    )
    awaiting_approval_from = serializers.SerializerMethodField(
        help_text="Approvers who have not yet signed the current version as approved."
    )
    open_comments = serializers.SerializerMethodField(help_text="Review comments not resolved.")
    reason = reason_field(help_text="Why it changes; required once the current version is signed.")

    class Meta(RevisionListSerializer.Meta):
        fields = [
            *RevisionListSerializer.Meta.fields,
            "content_md",
            "attachment",
            "clear_attachment",
            "awaiting_approval_from",
            "open_comments",
            "reason",
        ]
        read_only_fields = [
            f
            for f in RevisionListSerializer.Meta.fields
            if f not in ("reason_for_change", "change_request", "effective_date")
        ]
        extra_kwargs = {"reason_for_change": {"max_length": TEXT_MAX}}

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_awaiting_approval_from(self, revision):
        if revision.status != RevisionStatus.IN_REVIEW:
            return []
        return [person_name(person) for person in services.approval_missing(revision)]

    def get_open_comments(self, revision) -> int:
        return revision.comments.filter(resolved=False).count()


class RevisionCreateSerializer(StrictSerializer):
    reason_for_change = serializers.CharField(max_length=TEXT_MAX)
    content_md = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=services.MAX_CONTENT_CHARS,
        help_text="Leave out to start from the newest revision's text.",
    )
    major = serializers.BooleanField(
        required=False, default=False, help_text="Numeric scheme: start the next whole number."
    )
    change_request = serializers.PrimaryKeyRelatedField(
        queryset=ChangeRequest.objects.all(), required=False, allow_null=True
    )
    effective_date = serializers.DateField(required=False, allow_null=True)
    reason = reason_field()


@extend_schema_view(
    get=extend_schema(
        tags=TAGS,
        summary="The revisions of a document, newest first",
        responses=RevisionListSerializer(many=True),
    ),
    post=extend_schema(
        tags=TAGS,
        summary="Open the next revision of a document as a draft",
        request=RevisionCreateSerializer,
        responses={201: RevisionSerializer},
    ),
)
class DocumentRevisionListView(DocumentMixin, ApiView):
    """The change history (4.2.4 c): every revision with the change request behind it."""

    permission_map = {"GET": perms.RECORD_VIEW, "POST": perms.DOCUMENT_CHANGE}
    serializer_class = RevisionListSerializer

    def get(self, request, pk):
        revisions = selectors.document_change_history(user=request.user, document=self.get_record())
        return self.paginated(revisions, page_context=signatures_context)

    def post(self, request, pk):
        document = self.get_record()
        form = RevisionCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        revision = services.revision_create(
            actor=request.user, document=document, **form.validated_data
        )
        revision = selectors.access_revision_by_id(user=request.user, revision_id=revision.pk)
        return Response(RevisionSerializer(revision).data, status=status.HTTP_201_CREATED)


class RevisionMixin:
    argument = "revision"

    def get_record(self) -> Revision:
        return selectors.access_revision_by_id(
            user=self.request.user, revision_id=self.kwargs["pk"]
        )


@extend_schema_view(
    get=extend_schema(tags=TAGS, summary="Show a revision with its content"),
    patch=extend_schema(tags=TAGS, summary="Edit a draft revision"),
)
class RevisionDetailView(RevisionMixin, RecordDetailView):
    permission_map = {"GET": perms.RECORD_VIEW, "PATCH": perms.DOCUMENT_CHANGE}
    serializer_class = RevisionSerializer

    def update(self, actor, record, data):
        services.revision_update(actor=actor, revision=record, **data)


RevisionSubmitView = step_view(
    "RevisionSubmitView",
    RevisionMixin,
    services.revision_submit,
    perms.DOCUMENT_CHANGE,
    "Send a draft for review and approval",
    "It needs content or an attached file, and the document needs an approver (4.2.4 a).",
    responds=RevisionSerializer,
)
RevisionReturnView = step_view(
    "RevisionReturnView",
    RevisionMixin,
    services.revision_return,
    (perms.DOCUMENT_CHANGE, perms.SIGN_REVIEWED),
    "Send a revision in review back to draft",
    "By a document editor or a reviewer or approver named on the document; the reason says "
    "what to change.",
    responds=RevisionSerializer,
    reason=True,
)
RevisionApproveView = step_view(
    "RevisionApproveView",
    RevisionMixin,
    services.revision_approve,
    (perms.DOCUMENT_CONTROL, perms.SIGN_APPROVED),
    "Approve a revision in review",
    "Every approver of the document must first have signed the current version as approved "
    "(POST …/sign/), and every review comment must be resolved. No signature, no approval.",
    responds=RevisionSerializer,
)
RevisionMakeEffectiveView = step_view(
    "RevisionMakeEffectiveView",
    RevisionMixin,
    services.revision_make_effective,
    perms.DOCUMENT_CONTROL,
    "Make an approved revision effective",
    "It becomes the one current revision, the previous one is superseded and the training it "
    "requires is opened (4.2.4 c, d). Not before its planned effective date.",
    responds=RevisionSerializer,
)
RevisionDiscardView = step_view(
    "RevisionDiscardView",
    RevisionMixin,
    services.revision_discard,
    perms.DOCUMENT_CHANGE,
    "Abandon a revision that was never issued",
    "It stays on file, marked obsolete. An approved revision needs document control.",
    responds=RevisionSerializer,
    reason=True,
)


class CopyQuerySerializer(serializers.Serializer):
    original = serializers.BooleanField(
        required=False,
        default=False,
        help_text="true: the attached file exactly as it was uploaded, instead of the "
        "controlled copy.",
    )


def _open_attachment(revision: Revision):
    try:
        return revision.attachment.open("rb")
    except (OSError, ValueError):
        raise exceptions.NotFound(_("The attached file is missing from the file store.")) from None


ARCHIVE_REFUSAL = gettext_lazy(
    "Only document control and the archive roles may download earlier revisions."
)


def copy_filename(revision: Revision, extension: str) -> str:
    from samsvar.documents.files import safe_filename

    return safe_filename(
        f"{revision.document.number}-rev-{revision.label}.{extension}",
        default=f"document.{extension}",
    )


@extend_schema_view(
    get=extend_schema(
        tags=TAGS,
        summary="Download the controlled copy of a revision",
        description="A PDF with number, title, revision, effective date, page x of y and "
        '"uncontrolled when printed" on every page; a revision that is not effective is '
        "marked on every page. Superseded and obsolete revisions only for the archive roles.",
        parameters=[CopyQuerySerializer],
        responses={
            (200, "application/pdf"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The controlled copy."
            ),
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY, description="With original=true: the attached file."
            ),
        },
    )
)
class RevisionCopyView(RevisionMixin, ApiView):
    """ISO 13485 4.2.4 d, g: the current revision at the point of use; earlier ones kept and
    identified, and handed out only to the roles that keep the archive."""

    permission_map = {"GET": perms.RECORD_VIEW}
    renderer_classes = [renderers.JSONRenderer, FileRenderer]

    def get(self, request, pk):
        options = query_params(CopyQuerySerializer, request)
        revision = self.get_record()
        if not selectors.can_download_revision(request.user, revision):
            raise PermissionDenied(ARCHIVE_REFUSAL)
        if options.get("original"):
            if not revision.attachment:
                raise exceptions.NotFound(_("This revision has no attached file."))
            return FileResponse(
                _open_attachment(revision),
                as_attachment=True,
                filename=revision.attachment_name or copy_filename(revision, "bin"),
                content_type=revision.attachment_content_type or "application/octet-stream",
            )
        try:
            pdf = revision_copy_pdf(revision, language=get_language() or "en")
        except OSError:
            raise exceptions.NotFound(
                _("The attached file is missing from the file store.")
            ) from None
        return file_response(pdf, copy_filename(revision, "pdf"), "application/pdf")


def evidence_views(mixin, noun: str):
    return core_evidence_views(mixin, noun, tags=TAGS)


REVISION_EVIDENCE = evidence_views(RevisionMixin, "a document revision")


# --- Review comments --------------------------------------------------------------------------


class ReviewCommentSerializer(serializers.ModelSerializer):
    """A reviewer's comment on a revision, resolved before approval (4.2.4 a)."""

    author_name = serializers.SerializerMethodField()
    resolved_by_name = serializers.SerializerMethodField()

    class Meta:
        model = ReviewComment
        fields = [
            "id",
            "revision",
            "author",
            "author_name",
            "text",
            "resolved",
            "resolution",
            "resolved_by",
            "resolved_by_name",
            "resolved_at",
            "created_at",
        ]
        read_only_fields = fields

    def get_author_name(self, comment) -> str:
        return person_name(comment.author)

    def get_resolved_by_name(self, comment) -> str:
        return person_name(comment.resolved_by)


class CommentCreateSerializer(StrictSerializer):
    text = serializers.CharField(max_length=TEXT_MAX)
    reason = reason_field()


class CommentResolveSerializer(StrictSerializer):
    resolution = serializers.CharField(
        required=False, allow_blank=True, max_length=TEXT_MAX, help_text="How it was resolved."
    )
    reason = reason_field()


@extend_schema_view(
    get=extend_schema(
        tags=TAGS,
        summary="Review comments on a revision",
        responses=ReviewCommentSerializer(many=True),
    ),
    post=extend_schema(
        tags=TAGS,
        summary="Comment on a draft or a revision in review",
        description="By a document editor, or a reviewer or approver named on the document.",
        request=CommentCreateSerializer,
        responses={201: ReviewCommentSerializer},
    ),
)
class RevisionCommentListView(RevisionMixin, ApiView):
    permission_map = {
        "GET": perms.RECORD_VIEW,
        "POST": (perms.DOCUMENT_CHANGE, perms.SIGN_REVIEWED),
    }
    serializer_class = ReviewCommentSerializer

    def get(self, request, pk):
        return self.paginated(
            selectors.revision_comments(user=request.user, revision=self.get_record())
        )

    def post(self, request, pk):
        form = CommentCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        comment = services.comment_add(
            actor=request.user, revision=self.get_record(), **form.validated_data
        )
        return Response(ReviewCommentSerializer(comment).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    post=extend_schema(
        tags=TAGS,
        summary="Mark a review comment resolved",
        request=CommentResolveSerializer,
        responses=ReviewCommentSerializer,
    )
)
class CommentResolveView(ApiView):
    """By the document's editors (the comment's author may also resolve it in the UI)."""

    permission_map = {"POST": perms.DOCUMENT_CHANGE}
    serializer_class = CommentResolveSerializer

    def post(self, request, pk):
        comment = ReviewComment.objects.filter(pk=pk).first()
        if comment is None:
            raise Http404
        form = CommentResolveSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        comment = services.comment_resolve(
            actor=request.user, comment=comment, **form.validated_data
        )
        return Response(ReviewCommentSerializer(comment).data)


# --- Change requests --------------------------------------------------------------------------


class OpenedRevisionSerializer(RevisionRefSerializer):
    """A revision opened under a change request, with its document's number."""

    document_number = serializers.CharField(source="document.number", read_only=True)

    class Meta(RevisionRefSerializer.Meta):
        fields = [*RevisionRefSerializer.Meta.fields, "document_number"]
        read_only_fields = fields


class ChangeRequestSerializer(TextLimitMixin, SignaturesMixin, StrictModelSerializer):
    """A change request (ISO 13485 4.2.4, 7.3.9): what changes, why, its impact, and the
    revisions opened under it. Approved by e-signature before any revision is opened."""

    documents = serializers.PrimaryKeyRelatedField(
        queryset=Document.objects.all(), many=True, required=False, help_text="Document ids."
    )
    document_numbers = serializers.SerializerMethodField()
    devices = serializers.PrimaryKeyRelatedField(
        queryset=Device.objects.all(), many=True, required=False, help_text="Device ids."
    )
    requested_by_name = serializers.SerializerMethodField()
    revisions = OpenedRevisionSerializer(
        many=True, read_only=True, help_text="Revisions opened under it."
    )
    url = serializers.SerializerMethodField()
    reason = reason_field(help_text="Why it changes; required once the current version is signed.")

    class Meta:
        model = ChangeRequest
        fields = [
            "id",
            "number",
            "title",
            "what",
            "why",
            "documents",
            "document_numbers",
            "devices",
            "impact_training",
            "impact_risk",
            "impact_regulatory",
            "status",
            "requested_by",
            "requested_by_name",
            "approved_at",
            "implemented_at",
            "rejected_at",
            "revisions",
            "version",
            "signatures",
            "url",
            "created_at",
            "updated_at",
            "reason",
        ]
        read_only_fields = [
            "id",
            "number",
            "status",
            "requested_by",
            "approved_at",
            "implemented_at",
            "rejected_at",
            "version",
            "created_at",
            "updated_at",
        ]
        validators = []

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_document_numbers(self, change_request):
        return sorted(document.number for document in change_request.documents.all())

    def get_requested_by_name(self, change_request) -> str:
        return person_name(change_request.requested_by)

    def get_url(self, change_request) -> str:
        return change_request.get_absolute_url()


def change_requests_context(page) -> dict:
    page = list(page)
    prefetch_related_objects(page, "documents", "devices", "revisions__document")
    return signatures_context(page)


class ChangeRequestFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ChangeRequestStatus.choices, required=False)


@extend_schema_view(
    get=extend_schema(
        tags=TAGS,
        summary="List change requests, newest first",
        parameters=[ChangeRequestFilterSerializer],
        responses=ChangeRequestSerializer(many=True),
    ),
    post=extend_schema(
        tags=TAGS, summary="Raise a change request", responses={201: ChangeRequestSerializer}
    ),
)
class ChangeRequestListView(ApiView):
    permission_map = {"GET": perms.RECORD_VIEW, "POST": perms.DOCUMENT_CHANGE}
    serializer_class = ChangeRequestSerializer

    def get(self, request):
        filters = query_params(ChangeRequestFilterSerializer, request)
        change_requests = selectors.change_request_list(
            user=request.user, status=filters.get("status")
        )
        return self.paginated(change_requests, page_context=change_requests_context)

    def post(self, request):
        form = ChangeRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        change_request = services.change_request_create(actor=request.user, **form.validated_data)
        return Response(
            ChangeRequestSerializer(change_request).data, status=status.HTTP_201_CREATED
        )


class ChangeRequestMixin:
    argument = "change_request"

    def get_record(self) -> ChangeRequest:
        return selectors.access_change_request_by_id(
            user=self.request.user, change_request_id=self.kwargs["pk"]
        )


@extend_schema_view(
    get=extend_schema(tags=TAGS, summary="Show a change request"),
    patch=extend_schema(tags=TAGS, summary="Edit a draft change request"),
)
class ChangeRequestDetailView(ChangeRequestMixin, RecordDetailView):
    permission_map = {"GET": perms.RECORD_VIEW, "PATCH": perms.DOCUMENT_CHANGE}
    serializer_class = ChangeRequestSerializer

    def update(self, actor, record, data):
        services.change_request_update(actor=actor, change_request=record, **data)


ChangeRequestApproveView = step_view(
    "ChangeRequestApproveView",
    ChangeRequestMixin,
    services.change_request_approve,
    (perms.DOCUMENT_CONTROL, perms.SIGN_APPROVED),
    "Approve a change request",
    "Its current version must first be signed as approved (POST …/sign/).",
    responds=ChangeRequestSerializer,
)
ChangeRequestRejectView = step_view(
    "ChangeRequestRejectView",
    ChangeRequestMixin,
    services.change_request_reject,
    (perms.DOCUMENT_CONTROL, perms.SIGN_APPROVED),
    "Turn a change request down",
    "Only a draft; the reason is recorded.",
    responds=ChangeRequestSerializer,
    reason=True,
)
ChangeRequestImplementView = step_view(
    "ChangeRequestImplementView",
    ChangeRequestMixin,
    services.change_request_implement,
    perms.DOCUMENT_CONTROL,
    "Close an approved change request",
    "Once none of the revisions opened under it is still in progress.",
    responds=ChangeRequestSerializer,
)


class OpenRevisionsSerializer(StrictSerializer):
    documents = serializers.PrimaryKeyRelatedField(
        queryset=Document.objects.all(),
        many=True,
        allow_empty=False,
        help_text="Ids of documents the change request names.",
    )
    reason = reason_field(required=True, help_text="Becomes each revision's reason for change.")
    major = serializers.BooleanField(
        required=False, default=False, help_text="Numeric scheme: start the next whole number."
    )


@extend_schema_view(
    post=extend_schema(
        tags=TAGS,
        summary="Open new draft revisions of documents under an approved change request",
        description="All or nothing: if one document cannot get a new revision, none is opened.",
        request=OpenRevisionsSerializer,
        responses={201: RevisionSerializer(many=True)},
    )
)
class ChangeRequestOpenRevisionsView(ChangeRequestMixin, ApiView):
    permission_map = {"POST": perms.DOCUMENT_CHANGE}
    serializer_class = OpenRevisionsSerializer

    def post(self, request, pk):
        form = OpenRevisionsSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        opened = services.change_request_open_revisions(
            actor=request.user, change_request=self.get_record(), **form.validated_data
        )
        return Response(RevisionSerializer(opened, many=True).data, status=status.HTTP_201_CREATED)


CHANGE_REQUEST_EVIDENCE = evidence_views(ChangeRequestMixin, "a change request")


# --- Periodic reviews -------------------------------------------------------------------------


class PeriodicReviewSerializer(TextLimitMixin, SignaturesMixin, StrictModelSerializer):
    """The periodic review of an effective document (4.2.4 b): recorded, signed, completed.
    Outcome and notes change while it is not completed."""

    document_number = serializers.CharField(source="document.number", read_only=True)
    reviewed_by_name = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    reason = reason_field(help_text="Why it changes; required once the current version is signed.")

    class Meta:
        model = PeriodicReview
        fields = [
            "id",
            "document",
            "document_number",
            "due_date",
            "outcome",
            "notes",
            "reviewed_by",
            "reviewed_by_name",
            "status",
            "completed_at",
            "new_revision",
            "version",
            "signatures",
            "url",
            "created_at",
            "updated_at",
            "reason",
        ]
        read_only_fields = [
            "id",
            "document",
            "due_date",
            "reviewed_by",
            "status",
            "completed_at",
            "new_revision",
            "version",
            "created_at",
            "updated_at",
        ]

    def get_reviewed_by_name(self, review) -> str:
        return person_name(review.reviewed_by)

    def get_url(self, review) -> str:
        return review.get_absolute_url()


class PeriodicReviewCreateSerializer(PeriodicReviewSerializer):
    due_date = serializers.DateField(
        required=False, allow_null=True, help_text="Empty: the document's next review date."
    )

    class Meta(PeriodicReviewSerializer.Meta):
        read_only_fields = [
            f for f in PeriodicReviewSerializer.Meta.read_only_fields if f != "due_date"
        ]


class PeriodicReviewFilterSerializer(serializers.Serializer):
    document = serializers.IntegerField(required=False, min_value=1, help_text="Document id.")


@extend_schema_view(
    get=extend_schema(
        tags=TAGS,
        summary="Periodic reviews, latest due date first",
        parameters=[PeriodicReviewFilterSerializer],
        responses=PeriodicReviewSerializer(many=True),
    )
)
class PeriodicReviewListView(ApiView):
    permission_map = {"GET": perms.RECORD_VIEW}
    serializer_class = PeriodicReviewSerializer

    def get(self, request):
        filters = query_params(PeriodicReviewFilterSerializer, request)
        document = None
        if "document" in filters:
            try:
                document = selectors.access_document_by_id(
                    user=request.user, document_id=filters["document"]
                )
            except Http404:
                raise exceptions.ValidationError({"document": [_("No such document.")]}) from None
        reviews = selectors.periodic_review_list(user=request.user, document=document)
        return self.paginated(reviews, page_context=signatures_context)


@extend_schema_view(
    get=extend_schema(
        tags=TAGS,
        summary="The periodic reviews of a document",
        responses=PeriodicReviewSerializer(many=True),
    ),
    post=extend_schema(
        tags=TAGS,
        summary="Record the periodic review of an effective document",
        description="Signed next (POST …/sign/), then completed, which applies the outcome.",
        request=PeriodicReviewCreateSerializer,
        responses={201: PeriodicReviewSerializer},
    ),
)
class DocumentPeriodicReviewListView(DocumentMixin, ApiView):
    permission_map = {"GET": perms.RECORD_VIEW, "POST": perms.DOCUMENT_CONTROL}
    serializer_class = PeriodicReviewSerializer

    def get(self, request, pk):
        reviews = selectors.periodic_review_list(user=request.user, document=self.get_record())
        return self.paginated(reviews, page_context=signatures_context)

    def post(self, request, pk):
        document = self.get_record()
        form = PeriodicReviewCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        review = services.periodic_review_record(
            actor=request.user, document=document, **form.validated_data
        )
        return Response(PeriodicReviewSerializer(review).data, status=status.HTTP_201_CREATED)


class PeriodicReviewMixin:
    argument = "review"

    def get_record(self) -> PeriodicReview:
        return selectors.access_periodic_review_by_id(
            user=self.request.user, review_id=self.kwargs["pk"]
        )


@extend_schema_view(
    get=extend_schema(tags=TAGS, summary="Show a periodic review"),
    patch=extend_schema(tags=TAGS, summary="Correct the outcome or notes of a review"),
)
class PeriodicReviewDetailView(PeriodicReviewMixin, RecordDetailView):
    permission_map = {"GET": perms.RECORD_VIEW, "PATCH": perms.DOCUMENT_CONTROL}
    serializer_class = PeriodicReviewSerializer

    def update(self, actor, record, data):
        services.periodic_review_update(actor=actor, review=record, **data)


PeriodicReviewCompleteView = step_view(
    "PeriodicReviewCompleteView",
    PeriodicReviewMixin,
    services.periodic_review_complete,
    perms.DOCUMENT_CONTROL,
    "Complete a signed periodic review",
    "still_valid: next review in one interval; revise: a new draft revision; withdraw: the "
    "document becomes obsolete.",
    responds=PeriodicReviewSerializer,
)


PERIODIC_REVIEW_EVIDENCE = evidence_views(PeriodicReviewMixin, "a periodic review")


class ReviewDueSerializer(serializers.ModelSerializer):
    """An effective document whose periodic review is overdue or falls due soon."""

    owner_name = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()
    review_recorded = serializers.BooleanField(
        read_only=True, help_text="A review is recorded and waits to be signed and completed."
    )

    class Meta:
        model = Document
        fields = [
            "id",
            "number",
            "title",
            "owner",
            "owner_name",
            "next_review_due",
            "overdue",
            "review_recorded",
        ]
        read_only_fields = fields

    def get_owner_name(self, document) -> str:
        return person_name(document.owner)

    def get_overdue(self, document) -> bool:
        return document.next_review_due < self.context["today"]


class ReviewDueFilterSerializer(serializers.Serializer):
    within_days = serializers.IntegerField(
        required=False,
        min_value=0,
        max_value=366,
        default=30,
        help_text="Also list reviews falling due within this many days (default 30).",
    )


@extend_schema_view(
    get=extend_schema(
        tags=TAGS,
        summary="Periodic reviews overdue and due soon",
        parameters=[ReviewDueFilterSerializer],
        responses=ReviewDueSerializer(many=True),
    )
)
class PeriodicReviewDueView(ApiView):
    """Overdue reviews first (most overdue at the top), then those falling due soon."""

    permission_map = {"GET": perms.RECORD_VIEW}
    serializer_class = ReviewDueSerializer

    def get(self, request):
        filters = query_params(ReviewDueFilterSerializer, request)
        today = timezone.localdate()
        rows = [
            *selectors.reviews_overdue(today, user=request.user),
            *selectors.reviews_due(today, filters.get("within_days", 30), user=request.user),
        ]
        return self.paginated(rows, page_context=lambda page: {"today": today})


# --- Records register and quality manual map ---------------------------------------------------


class RecordEntrySerializer(serializers.Serializer):
    """A retained record (ISO 13485 4.2.5) with its retention and disposal due date."""

    record_type = serializers.CharField(help_text='"app_label.model", e.g. documents.revision')
    type_label = serializers.CharField()
    object_id = serializers.CharField()
    label = serializers.CharField()
    version = serializers.IntegerField(allow_null=True)
    record_date = serializers.DateField(help_text="Retention counts from this date.")
    retention_years = serializers.IntegerField()
    disposal_due = serializers.DateField(help_text="May be disposed of from this date.")
    sha256 = serializers.CharField()
    url = serializers.CharField()
    protected = serializers.BooleanField(help_text="Nobody can change it any more.")


class RecordFilterSerializer(serializers.Serializer):
    record_type = serializers.CharField(
        required=False, allow_blank=True, max_length=101, help_text="e.g. documents.revision"
    )
    disposal_due_before = serializers.DateField(required=False, help_text="YYYY-MM-DD.")


@extend_schema_view(
    get=extend_schema(
        tags=TAGS,
        summary="The records register, soonest disposal first",
        parameters=[RecordFilterSerializer],
        responses=RecordEntrySerializer(many=True),
    )
)
class RecordsRegisterView(ApiView):
    """Every signed version of any record and every superseded or obsolete revision."""

    permission_map = {"GET": perms.RECORD_VIEW}
    serializer_class = RecordEntrySerializer

    def get(self, request):
        filters = query_params(RecordFilterSerializer, request)
        return self.paginated(selectors.records_register(user=request.user, **filters))


class CoverageRowSerializer(serializers.Serializer):
    key = serializers.CharField(help_text='"4.2.4" or "mdr:10(9)(a)"')
    citation = serializers.CharField()
    title = serializers.SerializerMethodField(help_text="In the user's language.")
    level = serializers.IntegerField()
    parent = serializers.CharField()
    status = serializers.CharField(help_text="direct, sub_clauses or gap")
    covered = serializers.BooleanField()
    direct = serializers.ListField(
        child=serializers.CharField(), help_text="Documents citing it directly."
    )
    documents = serializers.ListField(
        child=serializers.CharField(), help_text="Direct ones and those covering sub-clauses."
    )

    def get_title(self, row) -> str:
        return row.title(get_language() or "en")


class QualityManualMapSerializer(serializers.Serializer):
    clauses = CoverageRowSerializer(many=True)
    mdr_items = CoverageRowSerializer(many=True, help_text="MDR Art. 10(9)(a)-(m).")
    gaps = serializers.ListField(child=serializers.CharField())
    mdr_gaps = serializers.ListField(child=serializers.CharField())
    covered_count = serializers.IntegerField()
    mdr_covered_count = serializers.IntegerField()
    unknown = JsonObjectField(
        help_text="Per document, cited clause numbers that EN ISO 13485 does not have."
    )


class MapFilterSerializer(serializers.Serializer):
    include_in_preparation = serializers.BooleanField(
        required=False, default=False, help_text="Count documents not yet effective too."
    )


@extend_schema_view(
    get=extend_schema(
        tags=TAGS,
        summary="The quality manual map: ISO 13485 clauses and MDR Art. 10(9) against documents",
        parameters=[MapFilterSerializer],
        responses=QualityManualMapSerializer,
    )
)
class QualityManualMapView(ApiView):
    """Which clauses and QMS aspects the effective documents address, and the gaps."""

    permission_map = {"GET": perms.RECORD_VIEW}
    serializer_class = QualityManualMapSerializer

    def get(self, request):
        filters = query_params(MapFilterSerializer, request)
        report = selectors.quality_manual_map(
            user=request.user, include_in_preparation=filters.get("include_in_preparation", False)
        )
        data = {
            "clauses": report.clauses,
            "mdr_items": report.mdr_items,
            "gaps": list(report.gaps),
            "mdr_gaps": list(report.mdr_gaps),
            "covered_count": report.covered_count,
            "mdr_covered_count": report.mdr_covered_count,
            "unknown": {number: list(refs) for number, refs in report.unknown.items()},
        }
        return Response(QualityManualMapSerializer(data).data)
