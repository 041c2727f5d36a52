"""Standards register, standards applied per device, and the GSPR checklist over the API.

Every write goes through `standards.services`; bodies are strict, so a misspelt field is a 400
naming it rather than data silently left out of the technical documentation.
"""

from django.utils.translation import get_language
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers, status
from rest_framework.response import Response

from samsvar.core import permissions as perms
from samsvar.core.api import ApiView, StrictModelSerializer, StrictSerializer, query_params
from samsvar.devices.models import Regime
from samsvar.devices.selectors import access_device_by_id
from samsvar.standards import selectors, services
from samsvar.standards.models import (
    AppliedStandard,
    EditionStatus,
    Kind,
    Method,
    StandardEdition,
)

TAGS = ["standards"]


class StandardEditionSerializer(StrictModelSerializer):
    """An edition of a standard, or a common specification, in the register."""

    label = serializers.CharField(read_only=True, help_text='e.g. "EN ISO 14971:2019+A11:2021".')
    amendments = serializers.ListField(
        child=serializers.CharField(max_length=40),
        required=False,
        max_length=30,
        help_text="Amendments and corrigenda, e.g. ['AC:2018', 'A11:2021'].",
    )
    superseded_by = serializers.PrimaryKeyRelatedField(
        queryset=StandardEdition.objects.all(),
        required=False,
        allow_null=True,
        help_text="Id of the newer edition in the register.",
    )
    reason = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text="Why it changes; recorded in the audit trail.",
    )

    class Meta:
        model = StandardEdition
        fields = [
            "id",
            "key",
            "label",
            "kind",
            "number",
            "year",
            "amendments",
            "identical_to",
            "title",
            "title_nb",
            "harmonised",
            "decision_mdr",
            "decision_ivdr",
            "status",
            "superseded_by",
            "transition_end",
            "applies_from",
            "confirmed",
            "notes",
            "created_at",
            "updated_at",
            "reason",
        ]
        read_only_fields = ["id", "key", "label", "created_at", "updated_at"]
        extra_kwargs = {"notes": {"max_length": 20000}}
        # The service checks (kind, number, year) and names the field; DRF would name none.
        validators = []


class StandardFilterSerializer(serializers.Serializer):
    regime = serializers.ChoiceField(
        choices=Regime.choices, required=False, help_text="Harmonised (or adopted) under."
    )
    status = serializers.ChoiceField(choices=EditionStatus.choices, required=False)
    kind = serializers.ChoiceField(choices=Kind.choices, required=False)
    q = serializers.CharField(
        required=False, allow_blank=True, max_length=200, help_text="Part of a number or title."
    )


@extend_schema_view(
    get=extend_schema(
        tags=TAGS,
        summary="List the standards register",
        parameters=[StandardFilterSerializer],
        responses=StandardEditionSerializer(many=True),
    ),
    post=extend_schema(
        tags=TAGS,
        summary="Add an edition or common specification to the register",
        responses={201: StandardEditionSerializer},
    ),
)
class StandardListView(ApiView):
    """The register of harmonised standards and common specifications (MDR/IVDR Art. 8, 9)."""

    permission_map = {"GET": perms.RECORD_VIEW, "POST": perms.STANDARDS_REGISTER_CHANGE}
    serializer_class = StandardEditionSerializer

    def get(self, request):
        filters = query_params(StandardFilterSerializer, request)
        return self.paginated(
            selectors.edition_list(
                user=request.user,
                regime=filters.get("regime", ""),
                status=filters.get("status", ""),
                kind=filters.get("kind", ""),
                query=filters.get("q", ""),
            )
        )

    def post(self, request):
        form = StandardEditionSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        edition = services.standard_edition_create(actor=request.user, **form.validated_data)
        return Response(StandardEditionSerializer(edition).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    get=extend_schema(tags=TAGS, summary="Show a register entry"),
    patch=extend_schema(tags=TAGS, summary="Change some fields of a register entry"),
)
class StandardDetailView(ApiView):
    """One register entry. No DELETE: a superseded edition stays, as devices may cite it."""

    permission_map = {"GET": perms.RECORD_VIEW, "PATCH": perms.STANDARDS_REGISTER_CHANGE}
    serializer_class = StandardEditionSerializer

    def get_record(self) -> StandardEdition:
        return selectors.access_edition_by_id(user=self.request.user, edition_id=self.kwargs["pk"])

    def get(self, request, pk):
        return Response(StandardEditionSerializer(self.get_record()).data)

    def patch(self, request, pk):
        edition = self.get_record()
        form = StandardEditionSerializer(edition, data=request.data, partial=True)
        form.is_valid(raise_exception=True)
        edition = services.standard_edition_update(
            actor=request.user, edition=edition, **form.validated_data
        )
        return Response(StandardEditionSerializer(edition).data)


# --- Standards applied to a device ------------------------------------------------------------


class EditionWarningSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="superseded, transition_ended, transition_ending, ...")
    severity = serializers.CharField(help_text="error, warning or info")
    replacement = serializers.CharField(help_text="The newer edition, if any.")
    transition_end = serializers.DateField(allow_null=True)
    days_left = serializers.IntegerField(allow_null=True)
    message = serializers.CharField()


class AppliedStandardSerializer(StrictModelSerializer):
    """A standard the device applies, in full or in part, with warnings about its edition."""

    edition = serializers.PrimaryKeyRelatedField(
        queryset=StandardEdition.objects.all(), help_text="Id of the register entry."
    )
    label = serializers.CharField(source="edition.label", read_only=True)
    warnings = serializers.SerializerMethodField()
    reason = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text="Why it changes; recorded in the audit trail.",
    )

    class Meta:
        model = AppliedStandard
        fields = [
            "id",
            "device",
            "edition",
            "label",
            "application",
            "justification",
            "clauses",
            "notes",
            "warnings",
            "created_at",
            "updated_at",
            "reason",
        ]
        read_only_fields = ["id", "device", "label", "warnings", "created_at", "updated_at"]
        extra_kwargs = {
            "justification": {"max_length": 5000},
            "clauses": {"max_length": 5000},
            "notes": {"max_length": 5000},
        }
        validators = []

    @extend_schema_field(EditionWarningSerializer(many=True))
    def get_warnings(self, applied):
        by_pk = self.context.get("warnings")
        if by_pk is None:
            by_pk = selectors.warnings_for([applied])
        language = get_language() or "en"
        return [
            {
                "kind": w.kind,
                "severity": w.severity,
                "replacement": w.replacement,
                "transition_end": w.transition_end,
                "days_left": w.days_left,
                "message": w.message(language),
            }
            for w in by_pk.get(applied.pk, [])
        ]


class DeviceMixin:
    def get_device(self):
        return access_device_by_id(user=self.request.user, device_id=self.kwargs["pk"])


@extend_schema_view(
    get=extend_schema(
        tags=TAGS,
        summary="Standards applied to a device, with edition warnings",
        responses=AppliedStandardSerializer(many=True),
    ),
    post=extend_schema(
        tags=TAGS,
        summary="Apply a standard or common specification to a device",
        responses={201: AppliedStandardSerializer},
    ),
)
class DeviceStandardListView(DeviceMixin, ApiView):
    """The standards a device applies (Annex II 4(c)); a partial application needs a why."""

    permission_map = {"GET": perms.RECORD_VIEW, "POST": perms.COMPLIANCE_CHANGE}
    serializer_class = AppliedStandardSerializer

    def get(self, request, pk):
        device = self.get_device()
        applied = selectors.applied_standards(user=request.user, device=device)
        return self.paginated(
            applied, page_context=lambda page: {"warnings": selectors.warnings_for(list(page))}
        )

    def post(self, request, pk):
        device = self.get_device()
        form = AppliedStandardSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        applied = services.applied_standard_add(
            actor=request.user, device=device, **form.validated_data
        )
        return Response(AppliedStandardSerializer(applied).data, status=status.HTTP_201_CREATED)


# --- GSPR checklist ---------------------------------------------------------------------------


class GsprRowSerializer(serializers.Serializer):
    """One Annex I requirement with the device's entry (empty fields when not assessed)."""

    number = serializers.CharField()
    chapter = serializers.CharField(source="requirement.chapter")
    citation = serializers.CharField(source="requirement.citation")
    title = serializers.CharField()
    heading = serializers.BooleanField(help_text="A heading groups requirements; not assessed.")
    status = serializers.CharField(
        help_text="complete, incomplete or not_assessed; empty for a heading."
    )
    applicable = serializers.SerializerMethodField()
    justification = serializers.SerializerMethodField()
    methods = serializers.SerializerMethodField()
    standards = serializers.SerializerMethodField()
    evidence = serializers.SerializerMethodField()
    requirement_text = serializers.SerializerMethodField()

    def _entry(self, row, name, default):
        return getattr(row.entry, name) if row.entry is not None else default

    @extend_schema_field({"type": "boolean", "nullable": True})
    def get_applicable(self, row) -> bool | None:
        return self._entry(row, "applicable", None)

    def get_justification(self, row) -> str:
        return self._entry(row, "justification", "")

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(Method.choices)))
    def get_methods(self, row):
        return list(self._entry(row, "methods", []))

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_standards(self, row):
        """Ids of the applied standards cited."""
        return [a.pk for a in row.standards]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_evidence(self, row):
        return row.entry.evidence_lines if row.entry is not None else []

    def get_requirement_text(self, row) -> str:
        return self._entry(row, "requirement_text", "")


class GsprSummarySerializer(serializers.Serializer):
    """`samsvar.regulatory.gspr.completeness` of the whole checklist."""

    total = serializers.IntegerField(help_text="Entries recorded.")
    applicable = serializers.IntegerField()
    not_applicable = serializers.IntegerField()
    undecided = serializers.IntegerField()
    not_applicable_justified = serializers.IntegerField()
    missing_justification = serializers.IntegerField()
    missing_method = serializers.IntegerField()
    missing_evidence = serializers.IntegerField()
    complete = serializers.IntegerField()
    not_assessed = serializers.IntegerField(help_text="Requirements with no entry yet.")
    unknown = serializers.IntegerField()


class GsprChecklistSerializer(serializers.Serializer):
    device = serializers.IntegerField(source="device.pk")
    regime = serializers.CharField(source="device.regime")
    requirements = serializers.IntegerField(source="assessable", help_text="Assessable ones.")
    percent_complete = serializers.IntegerField(source="percent")
    summary = GsprSummarySerializer()
    rows = GsprRowSerializer(many=True)


@extend_schema_view(
    get=extend_schema(
        tags=TAGS,
        summary="The GSPR checklist of a device, with its completeness",
        responses=GsprChecklistSerializer,
    )
)
class GsprChecklistView(DeviceMixin, ApiView):
    """Every MDR/IVDR Annex I requirement with the device's entry (Annex II Section 4)."""

    permission_map = {"GET": perms.RECORD_VIEW}
    serializer_class = GsprChecklistSerializer

    def get(self, request, pk):
        device = self.get_device()
        checklist = selectors.gspr_checklist(user=request.user, device=device)
        return Response(GsprChecklistSerializer(checklist).data)


class GsprEntrySerializer(StrictSerializer):
    """The fields of a checklist entry that change; the others stay as they are."""

    applicable = serializers.BooleanField(
        required=False, allow_null=True, help_text="null while undecided."
    )
    justification = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=5000,
        help_text="Required when not applicable: why not.",
    )
    methods = serializers.ListField(
        child=serializers.ChoiceField(choices=Method.choices), required=False, max_length=3
    )
    standards = serializers.PrimaryKeyRelatedField(
        many=True,
        required=False,
        queryset=AppliedStandard.objects.none(),
        help_text="Ids of standards applied to this device (GET /devices/{id}/standards/).",
    )
    evidence = serializers.ListField(
        child=serializers.CharField(max_length=500),
        required=False,
        max_length=100,
        help_text="References to controlled documents, e.g. 'VER-IP3-012 electrical safety test'.",
    )
    requirement_text = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    reason = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text="Why it changes; recorded in the audit trail.",
    )

    def __init__(self, *args, device=None, **kwargs):
        super().__init__(*args, **kwargs)
        if device is not None:  # None while the schema is generated
            self.fields["standards"].child_relation.queryset = AppliedStandard.objects.filter(
                device=device
            )

    def validate_evidence(self, value):
        return "\n".join(line.strip() for line in value if line.strip())


@extend_schema_view(
    patch=extend_schema(
        tags=TAGS,
        summary="Fill in or change one requirement of the GSPR checklist",
        parameters=[
            OpenApiParameter(
                "number",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                description="Annex I number, e.g. 10.4.1(a) (URL-encoded).",
            )
        ],
        request=GsprEntrySerializer,
        responses=GsprRowSerializer,
    )
)
class GsprEntryView(DeviceMixin, ApiView):
    """One checklist entry; not applicable needs a justification."""

    permission_map = {"PATCH": perms.COMPLIANCE_CHANGE}
    serializer_class = GsprEntrySerializer

    def patch(self, request, pk, number):
        device = self.get_device()
        row = selectors.gspr_row(user=request.user, device=device, number=number)
        form = GsprEntrySerializer(data=request.data, device=device)
        form.is_valid(raise_exception=True)
        services.gspr_entry_save(
            actor=request.user, device=device, number=row.number, **form.validated_data
        )
        row = selectors.gspr_row(user=request.user, device=device, number=row.number)
        return Response(GsprRowSerializer(row).data)
