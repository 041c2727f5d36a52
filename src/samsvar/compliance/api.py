"""Compliance API: the Article 10 checklist, the technical documentation index and the EU
declaration of conformity of a device (MDR/IVDR Art. 10, Annexes II-IV).

Every write goes through `compliance.services`, so each change is audited and a signed
declaration is never changed in place.
"""

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers
from rest_framework.response import Response

from samsvar.compliance import documents, selectors, services
from samsvar.compliance.models import Declaration, Evidence, Obligation, ObligationStatus
from samsvar.core import permissions as perms
from samsvar.core.api import (
    ApiView,
    SignatureSerializer,
    StrictModelSerializer,
    query_params,
)
from samsvar.core.selectors import current_signatures
from samsvar.devices.selectors import access_device_by_id

TAGS = ["compliance"]


class ObligationEvidenceSerializer(serializers.ModelSerializer):
    """A link from an obligation to a samsvar record or to a document outside samsvar."""

    record_type = serializers.SerializerMethodField(help_text="e.g. devices.classification")
    url = serializers.SerializerMethodField(help_text="The page of the linked samsvar record.")

    class Meta:
        model = Evidence
        fields = ["id", "label", "record_type", "object_id", "external_reference", "url"]
        read_only_fields = fields

    def get_record_type(self, evidence) -> str:
        if evidence.content_type_id is None:
            return ""
        from django.contrib.contenttypes.models import ContentType

        ctype = ContentType.objects.get_for_id(evidence.content_type_id)
        return f"{ctype.app_label}.{ctype.model}"

    def get_url(self, evidence) -> str:
        return evidence.url


class ObligationSerializer(StrictModelSerializer):
    """One Article 10 / 10a obligation of a device or of the manufacturer.

    A user changes its status, justification, owner, due date and notes; the rest comes from
    the catalogue. "not_applicable" needs a justification.
    """

    citation = serializers.CharField(read_only=True, help_text='e.g. "MDR Art. 10(9)(a)"')
    title = serializers.SerializerMethodField(help_text="In the user's language.")
    overdue = serializers.SerializerMethodField(
        help_text="The due date has passed and the obligation is neither met nor not applicable."
    )
    device_name = serializers.SerializerMethodField()
    owner = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.filter(is_active=True), required=False, allow_null=True
    )
    owner_name = serializers.SerializerMethodField()
    evidence = ObligationEvidenceSerializer(many=True, read_only=True)
    reason = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text="Why it changes; kept in the audit trail.",
    )

    class Meta:
        model = Obligation
        fields = [
            "id",
            "key",
            "regime",
            "paragraph",
            "citation",
            "title",
            "scope",
            "device",
            "device_name",
            "status",
            "justification",
            "owner",
            "owner_name",
            "due_date",
            "overdue",
            "notes",
            "evidence",
            "updated_at",
            "reason",
        ]
        read_only_fields = ["id", "key", "regime", "paragraph", "scope", "device", "updated_at"]
        extra_kwargs = {
            "justification": {"max_length": 5000},
            "notes": {"max_length": 5000},
        }

    def get_title(self, obligation) -> str:
        return obligation.title

    def get_overdue(self, obligation) -> bool:
        return obligation.is_overdue

    def get_device_name(self, obligation) -> str:
        return obligation.device.name if obligation.device_id else ""

    def get_owner_name(self, obligation) -> str:
        owner = obligation.owner
        return (owner.full_name or owner.username) if owner else ""


class ObligationFilterSerializer(serializers.Serializer):
    device = serializers.IntegerField(required=False, min_value=1, help_text="Device id.")
    status = serializers.ChoiceField(choices=ObligationStatus.choices, required=False)
    paragraph = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=20,
        help_text='e.g. "10(9)", which also matches its points "10(9)(a)" to "10(9)(m)".',
    )
    overdue = serializers.BooleanField(required=False, allow_null=True, default=None)


@extend_schema_view(
    get=extend_schema(
        tags=TAGS,
        summary="List Article 10 obligations",
        parameters=[ObligationFilterSerializer],
        responses=ObligationSerializer(many=True),
    )
)
class ObligationListView(ApiView):
    """The Article 10 checklist of the manufacturer and every device, in Article order."""

    permission_map = {"GET": perms.RECORD_VIEW}
    serializer_class = ObligationSerializer

    def get(self, request):
        filters = query_params(ObligationFilterSerializer, request)
        obligations = selectors.obligation_list(
            user=request.user,
            device=filters.get("device"),
            status=filters.get("status", ""),
            paragraph=filters.get("paragraph", ""),
            overdue=filters.get("overdue"),
        )
        return self.paginated(selectors.with_evidence(obligations))


@extend_schema_view(
    get=extend_schema(tags=TAGS, summary="Show an Article 10 obligation"),
    patch=extend_schema(
        tags=TAGS, summary="Change the status, owner, due date or notes of an obligation"
    ),
)
class ObligationDetailView(ApiView):
    permission_map = {"GET": perms.RECORD_VIEW, "PATCH": perms.COMPLIANCE_CHANGE}
    serializer_class = ObligationSerializer

    def get_record(self) -> Obligation:
        return selectors.access_obligation_by_id(
            user=self.request.user, obligation_id=self.kwargs["pk"]
        )

    def get(self, request, pk):
        return Response(ObligationSerializer(self.get_record()).data)

    def patch(self, request, pk):
        obligation = self.get_record()
        form = ObligationSerializer(obligation, data=request.data, partial=True)
        form.is_valid(raise_exception=True)
        obligation = services.obligation_update(
            actor=request.user, obligation=obligation, **form.validated_data
        )
        return Response(ObligationSerializer(self.get_record()).data)


# --- Technical documentation index ------------------------------------------------------------


class TechdocEntrySerializer(serializers.Serializer):
    label = serializers.CharField()
    document_number = serializers.CharField()
    location = serializers.CharField()
    url = serializers.CharField(help_text="A samsvar page, for entries samsvar fills itself.")
    automatic = serializers.BooleanField(help_text="Filled by samsvar from its own records.")
    reference_id = serializers.IntegerField(allow_null=True)


class TechdocSectionSerializer(serializers.Serializer):
    key = serializers.CharField()
    annex = serializers.CharField()
    number = serializers.CharField()
    title = serializers.CharField()
    heading = serializers.BooleanField(help_text="Only groups the sections within it.")
    depth = serializers.IntegerField()
    covered = serializers.BooleanField()
    gap = serializers.BooleanField()
    entries = TechdocEntrySerializer(many=True)


class TechdocIndexSerializer(serializers.Serializer):
    device = serializers.IntegerField()
    regime = serializers.CharField()
    sections = TechdocSectionSerializer(many=True)
    gaps = serializers.ListField(
        child=serializers.CharField(), help_text="Keys of the sections with nothing in them."
    )


def techdoc_data(device, rows, gaps) -> dict:
    return {
        "device": device.pk,
        "regime": device.regime,
        "sections": [
            {
                "key": row.section.key,
                "annex": row.section.annex,
                "number": row.section.number,
                "title": row.title,
                "heading": row.section.heading,
                "depth": row.depth,
                "covered": row.covered,
                "gap": row.gap,
                "entries": [
                    {
                        "label": e.label,
                        "document_number": e.document_number,
                        "location": e.location,
                        "url": e.url,
                        "automatic": e.automatic,
                        "reference_id": e.reference.pk if e.reference else None,
                    }
                    for e in row.entries
                ],
            }
            for row in rows
        ],
        "gaps": [row.section.key for row in gaps],
    }


@extend_schema_view(
    get=extend_schema(
        tags=TAGS,
        summary="The technical documentation index of a device (Annexes II and III)",
        responses=TechdocIndexSerializer,
    )
)
class TechdocView(ApiView):
    permission_map = {"GET": perms.RECORD_VIEW}
    serializer_class = TechdocIndexSerializer

    def get(self, request, pk):
        device = access_device_by_id(user=request.user, device_id=pk)
        rows, gaps = selectors.techdoc_index(user=request.user, device=device)
        return Response(TechdocIndexSerializer(techdoc_data(device, rows, gaps)).data)


# --- EU declaration of conformity -------------------------------------------------------------


class DeclarationSerializer(StrictModelSerializer):
    """The EU declaration of conformity of a device (Annex IV), with its signatures.

    Manufacturer, device, Basic UDI-DI, intended purpose, class and rule are read-only: they are
    copied from the organisation, the device and its classification record at each save.
    """

    exists = serializers.SerializerMethodField(
        help_text="False while no declaration is drawn up: the values are what it would start with."
    )
    references = serializers.ListField(
        child=serializers.CharField(max_length=300),
        required=False,
        max_length=200,
        help_text="Harmonised standards and other specifications applied, one per item.",
    )
    common_specifications = serializers.ListField(
        child=serializers.CharField(max_length=300), required=False, max_length=200
    )
    variants = serializers.ListField(child=serializers.CharField(), read_only=True)
    notified_body_required = serializers.SerializerMethodField(
        help_text="The class needs a notified body, so its fields are required."
    )
    gaps = serializers.SerializerMethodField(
        help_text="Annex IV points that must be given and are still empty."
    )
    signatures = serializers.SerializerMethodField(help_text="E-signatures on the current version.")
    reason = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text="Why it changes; required once the current version is signed.",
    )

    class Meta:
        model = Declaration
        read_only_fields = [
            "id",
            "version",
            "device",
            "manufacturer_name",
            "manufacturer_address",
            "manufacturer_srn",
            "regime",
            "device_name",
            "model_number",
            "basic_udi_di",
            "intended_purpose",
            "device_class",
            "class_label",
            "classification_rule",
            "created_at",
            "updated_at",
        ]
        fields = [
            *read_only_fields[:2],
            "exists",
            *read_only_fields[2:],
            "variants",
            *services.DECLARATION_FIELDS,
            "notified_body_required",
            "gaps",
            "signatures",
            "reason",
        ]

    def get_exists(self, declaration) -> bool:
        return declaration.pk is not None

    def get_notified_body_required(self, declaration) -> bool:
        return services.notified_body_required(declaration.device)

    def get_gaps(self, declaration) -> list[str]:
        return documents.declaration_gaps(declaration)

    @extend_schema_field(SignatureSerializer(many=True))
    def get_signatures(self, declaration):
        if declaration.pk is None:
            return []
        return SignatureSerializer(current_signatures(obj=declaration), many=True).data


@extend_schema_view(
    get=extend_schema(
        tags=TAGS,
        summary="The EU declaration of conformity of a device",
        description="Before one is drawn up, `exists` is false and the values show what it "
        "would start with.",
    ),
    put=extend_schema(
        tags=TAGS,
        summary="Draw up or change the EU declaration of conformity of a device",
        description="Refused (400) while the device is not classified; the notified body "
        "fields are required when its class needs one.",
    ),
)
class DeclarationView(ApiView):
    permission_map = {"GET": perms.RECORD_VIEW, "PUT": perms.COMPLIANCE_CHANGE}
    serializer_class = DeclarationSerializer

    def get(self, request, pk):
        device = access_device_by_id(user=request.user, device_id=pk)
        declaration = selectors.declaration_for(user=request.user, device=device)
        if declaration is None:
            declaration = services.declaration_preview(device)
        return Response(DeclarationSerializer(declaration).data)

    def put(self, request, pk):
        device = access_device_by_id(user=request.user, device_id=pk)
        existing = selectors.declaration_for(user=request.user, device=device)
        form = DeclarationSerializer(existing, data=request.data)
        form.is_valid(raise_exception=True)
        declaration = services.declaration_save(
            actor=request.user, device=device, **form.validated_data
        )
        return Response(DeclarationSerializer(declaration).data)
