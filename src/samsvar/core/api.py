"""Shared REST API parts: declared permissions, strict input, evidence serializers and views.

Every endpoint declares the permission code each HTTP method needs (`permission_map`); the table
in `core/permissions.py` decides who holds it. Bodies are checked strictly, so a misspelt field
is an error rather than silently ignored data in a controlled record (ISO 13485 4.2.4).
"""

from collections.abc import Mapping

from django.contrib.auth import get_user_model
from django.http import Http404
from django.utils import translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import exceptions, permissions, renderers, serializers, status, views
from rest_framework.response import Response

from samsvar.core import permissions as perms
from samsvar.core import selectors
from samsvar.core.models import (
    AuditEvent,
    RecordVersion,
    Signature,
    SignatureMeaning,
    SignatureRequest,
)
from samsvar.core.rest import Pagination
from samsvar.core.services import SIGN_PERMISSION, record_sign, signature_request_create

# Declared in a permission_map for endpoints that anyone may call (only the token endpoint).
PUBLIC = "public"


class DeclaredPermission(permissions.BasePermission):
    """Grant a request when the user holds the code the view declares for its HTTP method.

    `permission_map = {"GET": perms.RECORD_VIEW, "POST": perms.DEVICE_CREATE}`; a value may be
    a tuple meaning "any of these codes", or PUBLIC. A method not in the map answers 405.
    """

    message = gettext_lazy("Your role does not allow this.")

    def has_permission(self, request, view):
        required = declared_permission(view, request.method)
        if required == PUBLIC:
            return True
        if not (request.user and request.user.is_authenticated):
            return False  # DRF answers 401 with the token challenge
        if required is None:
            raise exceptions.MethodNotAllowed(request.method)
        codes = required if isinstance(required, tuple) else (required,)
        return any(perms.has_perm(request.user, code) for code in codes)


def declared_permission(view, method: str):
    """The permission code (or tuple, or PUBLIC) a view declares for a method; None if none."""
    table = getattr(view, "permission_map", {})
    method = method.upper()
    if method == "HEAD":
        method = "GET"
    return table.get(method)


class ApiView(views.APIView):
    """Base of every samsvar API view: declared permissions and the user's own language.

    A plain APIView rather than DRF's generic views: their mixins save through the serializer,
    whereas every write here must go through a service.
    """

    permission_classes = [DeclaredPermission]
    pagination_class = Pagination
    permission_map: dict = {}
    serializer_class = None

    @property
    def allowed_methods(self):
        methods = [m for m in self.permission_map if m.lower() in self.http_method_names]
        return [*methods, "HEAD"] if "GET" in methods else methods

    def perform_authentication(self, request):
        super().perform_authentication(request)
        # Token users skip the session middleware that applies the profile language.
        language = getattr(request.user, "language", "")
        if language:
            self.outer_language = translation.get_language()
            translation.activate(language)
            request.LANGUAGE_CODE = language

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        outer = getattr(self, "outer_language", None)
        if outer:
            translation.activate(outer)  # the thread serves the next request as it found it
        return response

    def paginated(self, queryset, serializer_class=None, page_context=None):
        """One page of `queryset` in the shared envelope: count, next, previous, results.

        `page_context(page)` may return serializer context computed once for the whole page,
        such as the signatures of every record on it.
        """
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(queryset, self.request, view=self)
        serializer_class = serializer_class or self.serializer_class
        context = page_context(page) if page_context else {}
        data = serializer_class(page, many=True, context=context).data
        return paginator.get_paginated_response(data)


class StrictSerializerMixin:
    """Refuse body fields the serializer does not accept, naming each one.

    DRF ignores unknown keys; for controlled records a misspelt field would silently not be
    saved, so it is an error here. Read-only fields sent back are refused for the same reason.
    """

    def to_internal_value(self, data):
        errors = {}
        if isinstance(data, Mapping):
            for name in data:
                field = self.fields.get(name)
                if field is None:
                    errors[name] = [_("Unknown field.")]
                elif field.read_only:
                    errors[name] = [_("This field is read-only.")]
        try:
            value = super().to_internal_value(data)
        except exceptions.ValidationError as exc:
            if not errors:
                raise
            detail = exc.detail if isinstance(exc.detail, dict) else {}
            raise exceptions.ValidationError({**detail, **errors}) from None
        if errors:
            raise exceptions.ValidationError(errors)
        return value


class StrictSerializer(StrictSerializerMixin, serializers.Serializer):
    pass


class StrictModelSerializer(StrictSerializerMixin, serializers.ModelSerializer):
    pass


PAGINATION_PARAMS = frozenset({"page", "page_size"})


def query_params(serializer_class, request) -> dict:
    """Validate query-string filters with a serializer; a bad or unknown one is a 400 naming it.

    An unknown filter is refused because ignoring a misspelt one would return the unfiltered
    list, which looks like a correct answer.
    """
    serializer = serializer_class(data=request.query_params)
    unknown = set(request.query_params) - set(serializer.fields) - PAGINATION_PARAMS
    if unknown:
        raise exceptions.ValidationError({name: [_("Unknown filter.")] for name in sorted(unknown)})
    serializer.is_valid(raise_exception=True)
    return {k: v for k, v in serializer.validated_data.items() if v not in (None, "")}


@extend_schema_field({"type": "object", "additionalProperties": True})
class JsonObjectField(serializers.JSONField):
    """A JSON object, documented as one (a bare JSONField documents as 'any value')."""


# --- Evidence serializers shared by every app's API -------------------------------------------


class SignatureSerializer(serializers.ModelSerializer):
    """An e-signature as Part 11 §11.50 requires it shown: name, meaning, time, content hash."""

    version = serializers.IntegerField(source="record_version.version", read_only=True)

    class Meta:
        model = Signature
        fields = [
            "id",
            "signer",
            "signer_username",
            "signer_full_name",
            "meaning",
            "signed_at",
            "content_sha256",
            "two_factor",
            "version",
        ]
        read_only_fields = fields


class RecordVersionSerializer(serializers.ModelSerializer):
    """A frozen version: the exact content that was signed, its SHA-256 and the signatures."""

    signatures = SignatureSerializer(many=True, read_only=True)
    content = JsonObjectField(read_only=True)

    class Meta:
        model = RecordVersion
        fields = ["version", "content", "content_sha256", "object_repr", "frozen_at", "signatures"]
        read_only_fields = fields


class AuditEventSerializer(serializers.ModelSerializer):
    """One audit-trail entry with the hashes that chain it (ISO 13485 4.2.5)."""

    changes = JsonObjectField(
        read_only=True, help_text="Changed fields as {field: [before, after]}, or event details."
    )

    class Meta:
        model = AuditEvent
        fields = [
            "seq",
            "timestamp",
            "actor_id",
            "actor_name",
            "code",
            "action",
            "object_type",
            "object_id",
            "object_repr",
            "changes",
            "reason",
            "request_id",
            "prev_hash",
            "hash",
        ]
        read_only_fields = fields


class SignSerializer(StrictSerializer):
    """Re-authentication for an e-signature (Part 11 §11.200: two components at each signing)."""

    meaning = serializers.ChoiceField(choices=SignatureMeaning.choices)
    password = serializers.CharField(
        write_only=True, max_length=4096, trim_whitespace=False, style={"input_type": "password"}
    )
    otp_token = serializers.CharField(
        write_only=True, required=False, allow_blank=True, max_length=12
    )


class AuditFilterSerializer(serializers.Serializer):
    """Filters of the audit log; dates are checked here so a bad one names its parameter."""

    actor = serializers.CharField(
        required=False, allow_blank=True, max_length=300, help_text="User id or part of a name."
    )
    object_type = serializers.CharField(
        required=False, allow_blank=True, max_length=100, help_text="e.g. devices.device"
    )
    object_id = serializers.CharField(required=False, allow_blank=True, max_length=64)
    date_from = serializers.DateField(required=False, help_text="YYYY-MM-DD, inclusive.")
    date_to = serializers.DateField(required=False, help_text="YYYY-MM-DD, inclusive.")


@extend_schema_view(
    get=extend_schema(
        tags=["audit"],
        summary="The audit trail, newest first",
        parameters=[AuditFilterSerializer],
        responses=AuditEventSerializer(many=True),
    )
)
class AuditEventListView(ApiView):
    """The global, hash-chained audit trail for QA and auditors (ISO 13485 4.2.5)."""

    permission_map = {"GET": perms.AUDIT_VIEW}
    serializer_class = AuditEventSerializer

    def get(self, request):
        filters = query_params(AuditFilterSerializer, request)
        for name in ("date_from", "date_to"):
            if name in filters:
                filters[name] = filters[name].isoformat()
        return self.paginated(selectors.audit_log(user=request.user, **filters))


# --- History, versions and signing of any versioned record -------------------------------------

SIGN_ANY = tuple(SIGN_PERMISSION.values())


class RecordView(ApiView):
    """A view about one controlled record; `get_record()` finds it, or 404 if not visible."""

    def get_record(self):
        raise NotImplementedError


class RecordHistoryView(RecordView):
    """Every audit event about one record, newest first (ISO 13485 4.2.5)."""

    permission_map = {"GET": perms.RECORD_VIEW}
    serializer_class = AuditEventSerializer

    @extend_schema(responses=AuditEventSerializer(many=True))
    def get(self, request, *args, **kwargs):
        record = self.get_record()
        return self.paginated(selectors.record_history(user=request.user, obj=record))


class RecordVersionsView(RecordView):
    """The frozen, signed versions of one record with their content and SHA-256."""

    permission_map = {"GET": perms.RECORD_VIEW}
    serializer_class = RecordVersionSerializer

    @extend_schema(responses=RecordVersionSerializer(many=True))
    def get(self, request, *args, **kwargs):
        return self.paginated(selectors.record_versions(obj=self.get_record()))


class RecordSignView(RecordView):
    """E-sign the current version after re-authentication (Part 11 §11.50, §11.200).

    The declared permission admits anyone who may sign with some meaning; the service checks
    the meaning asked for, the password, the second factor and the signing lock.
    """

    permission_map = {"POST": SIGN_ANY}
    serializer_class = SignSerializer

    @extend_schema(request=SignSerializer, responses={201: SignatureSerializer})
    def post(self, request, *args, **kwargs):
        record = self.get_record()
        serializer = SignSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        signature = record_sign(actor=request.user, record=record, **serializer.validated_data)
        return Response(SignatureSerializer(signature).data, status=status.HTTP_201_CREATED)


def evidence_views(mixin, noun: str, *, tags: list[str]):
    """History, frozen versions and e-signing of one kind of record (Part 11 §11.10(e), §11.50):
    three views on `mixin`, whose get_record() finds the record of the URL's pk."""

    def view(suffix: str, base: type) -> type:
        return type(f"{mixin.__name__}{suffix}", (mixin, base), {"__module__": mixin.__module__})

    history = extend_schema_view(
        get=extend_schema(tags=tags, summary=f"Audit events about {noun}")
    )(view("HistoryView", RecordHistoryView))
    versions = extend_schema_view(
        get=extend_schema(tags=tags, summary=f"Frozen (signed) versions of {noun}")
    )(view("VersionsView", RecordVersionsView))
    sign = extend_schema_view(
        post=extend_schema(
            tags=tags,
            summary=f"E-sign the current version of {noun}",
            responses={201: SignatureSerializer},
        )
    )(view("SignView", RecordSignView))
    return history, versions, sign


class FileRenderer(renderers.BaseRenderer):
    """Lets a client that asks for a file's own media type reach a file endpoint; the file
    itself is sent as a plain Django response, errors as JSON."""

    media_type = "*/*"
    format = "file"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return renderers.JSONRenderer().render(data)


# --- Signature requests ------------------------------------------------------------------------

# Record types a signature may be requested for: the access function that finds one for a user
# (404 when missing or not visible) and its id argument. Dotted paths keep core free of imports
# from the apps.
SIGNABLE_TYPES = {
    "devices.device": ("samsvar.devices.selectors.access_device_by_id", "device_id"),
    "compliance.compliancestatement": (
        "samsvar.compliance.selectors.access_statement_by_id",
        "statement_id",
    ),
    "risk.riskplan": ("samsvar.risk.selectors.access_plan_by_id", "plan_id"),
    "risk.benefitriskanalysis": (
        "samsvar.risk.selectors.access_benefit_risk_by_id",
        "analysis_id",
    ),
    "risk.overallevaluation": ("samsvar.risk.selectors.access_overall_by_id", "evaluation_id"),
    "risk.riskreview": ("samsvar.risk.selectors.access_review_by_id", "review_id"),
    "risk.issuedreport": ("samsvar.risk.selectors.access_report_by_id", "report_id"),
    "documents.revision": ("samsvar.documents.selectors.access_revision_by_id", "revision_id"),
    "documents.changerequest": (
        "samsvar.documents.selectors.access_change_request_by_id",
        "change_request_id",
    ),
    "documents.periodicreview": (
        "samsvar.documents.selectors.access_periodic_review_by_id",
        "review_id",
    ),
    "training.effectivenessevaluation": (
        "samsvar.training.selectors.access_evaluation_by_id",
        "evaluation_id",
    ),
}


class SignatureRequestSerializer(serializers.ModelSerializer):
    object_type = serializers.SerializerMethodField()
    requested_by_name = serializers.CharField(source="requested_by.full_name", read_only=True)
    signer_name = serializers.CharField(source="signer.full_name", read_only=True)

    class Meta:
        model = SignatureRequest
        fields = [
            "id",
            "object_type",
            "object_id",
            "object_repr",
            "version",
            "meaning",
            "requested_by",
            "requested_by_name",
            "signer",
            "signer_name",
            "message",
            "status",
            "created_at",
            "closed_at",
        ]
        read_only_fields = fields

    def get_object_type(self, obj) -> str:
        return f"{obj.content_type.app_label}.{obj.content_type.model}"


class SignatureRequestCreateSerializer(StrictSerializer):
    object_type = serializers.ChoiceField(choices=sorted(SIGNABLE_TYPES))
    object_id = serializers.CharField(max_length=64)
    signer = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.filter(is_active=True)
    )
    meaning = serializers.ChoiceField(choices=SignatureMeaning.choices)
    message = serializers.CharField(required=False, allow_blank=True, max_length=2000)


@extend_schema_view(
    get=extend_schema(
        tags=["signatures"],
        summary="Open signature requests to and from me",
        responses=SignatureRequestSerializer(many=True),
    ),
    post=extend_schema(
        tags=["signatures"],
        summary="Ask a colleague to sign a record",
        request=SignatureRequestCreateSerializer,
        responses={201: SignatureRequestSerializer},
    ),
)
class SignatureRequestListView(ApiView):
    """Requests to sign the current version of a record (the review and approval workflow)."""

    permission_map = {"GET": perms.RECORD_VIEW, "POST": perms.SIGNATURE_REQUEST}
    serializer_class = SignatureRequestSerializer

    def get(self, request):
        user = request.user
        mine = selectors.signature_requests_for(user=user) | selectors.signature_requests_by(
            user=user
        )
        return self.paginated(
            mine.select_related("content_type", "requested_by", "signer").order_by(
                "-created_at", "-pk"
            )
        )

    def post(self, request):
        form = SignatureRequestCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        access_path, id_argument = SIGNABLE_TYPES[data["object_type"]]
        try:
            record = import_string(access_path)(
                user=request.user, **{id_argument: data["object_id"]}
            )
        except Http404:
            # The id is part of the body, so it is a bad field rather than a missing URL.
            raise exceptions.ValidationError({"object_id": [_("No such record.")]}) from None
        signature_request = signature_request_create(
            actor=request.user,
            record=record,
            signer=data["signer"],
            meaning=data["meaning"],
            message=data.get("message", ""),
        )
        return Response(
            SignatureRequestSerializer(signature_request).data, status=status.HTTP_201_CREATED
        )
