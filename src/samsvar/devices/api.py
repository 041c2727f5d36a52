"""Device register API: list, register, change, history, frozen versions and e-signatures.

The register is the root of the technical documentation (MDR/IVDR Art. 10, Annex II 1.1): every
write goes through `devices.services`, so each change is audited and a signed version is never
changed in place.
"""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from samsvar.core import permissions as perms
from samsvar.core.api import (
    ApiView,
    RecordHistoryView,
    RecordSignView,
    RecordVersionsView,
    SignatureSerializer,
    StrictModelSerializer,
    StrictSerializer,
    query_params,
)
from samsvar.core.selectors import current_signatures_by_pk
from samsvar.devices import selectors, services
from samsvar.devices.models import Classification, Device, LifecycleStatus, Regime
from samsvar.regulatory import eea

TAGS = ["devices"]


class DeviceSerializer(StrictModelSerializer):
    """A device in the register with the signatures on its current version."""

    variants = serializers.ListField(
        child=serializers.CharField(max_length=200),
        required=False,
        max_length=200,
        help_text="Model variants or configurations covered by this device record.",
    )
    target_markets = serializers.ListField(
        child=serializers.ChoiceField(choices=sorted(eea.EEA_STATES.items())),
        required=False,
        allow_empty=False,
        help_text="ISO 3166-1 alpha-2 codes of the EEA states where it is placed on the market.",
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
        model = Device
        fields = [
            "id",
            "regime",
            "version",
            "name",
            "model_number",
            "variants",
            "intended_purpose",
            "intended_users",
            "target_markets",
            "lifecycle_status",
            "device_class",
            "classification_rule",
            "basic_udi_di",
            "signatures",
            "created_at",
            "updated_at",
            "reason",
        ]
        # Class, rule and Basic UDI-DI come from the classification and UDI workflows.
        read_only_fields = [
            "id",
            "version",
            "device_class",
            "classification_rule",
            "basic_udi_di",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {"intended_purpose": {"max_length": 20000}}

    @extend_schema_field(SignatureSerializer(many=True))
    def get_signatures(self, device):
        by_pk = self.context.get("signatures")
        if by_pk is None:
            by_pk = current_signatures_by_pk([device])
        return SignatureSerializer(by_pk.get(str(device.pk), []), many=True).data


class DeviceFilterSerializer(serializers.Serializer):
    regime = serializers.ChoiceField(choices=Regime.choices, required=False)
    lifecycle_status = serializers.ChoiceField(choices=LifecycleStatus.choices, required=False)
    q = serializers.CharField(
        required=False, allow_blank=True, max_length=200, help_text="Part of a name or model."
    )


@extend_schema_view(
    get=extend_schema(
        tags=TAGS,
        summary="List devices",
        parameters=[DeviceFilterSerializer],
        responses=DeviceSerializer(many=True),
    ),
    post=extend_schema(tags=TAGS, summary="Register a device", responses={201: DeviceSerializer}),
)
class DeviceListView(ApiView):
    """The device register (ISO 13485 4.2.3: a file for each device type)."""

    permission_map = {"GET": perms.RECORD_VIEW, "POST": perms.DEVICE_CREATE}
    serializer_class = DeviceSerializer

    def get(self, request):
        filters = query_params(DeviceFilterSerializer, request)
        devices = selectors.device_list(
            user=request.user,
            regime=filters.get("regime", ""),
            status=filters.get("lifecycle_status", ""),
            query=filters.get("q", ""),
        )
        return self.paginated(
            devices, page_context=lambda page: {"signatures": current_signatures_by_pk(page)}
        )

    def post(self, request):
        form = DeviceSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        device = services.device_create(actor=request.user, **form.validated_data)
        return Response(DeviceSerializer(device).data, status=status.HTTP_201_CREATED)


class DeviceRecordMixin:
    def get_record(self) -> Device:
        return selectors.access_device_by_id(user=self.request.user, device_id=self.kwargs["pk"])


@extend_schema_view(
    get=extend_schema(tags=TAGS, summary="Show a device"),
    put=extend_schema(tags=TAGS, summary="Change a device (all required fields)"),
    patch=extend_schema(tags=TAGS, summary="Change some fields of a device"),
)
class DeviceDetailView(DeviceRecordMixin, ApiView):
    """One device. No DELETE: a device leaves the market by its life-cycle status, not erasure."""

    permission_map = {
        "GET": perms.RECORD_VIEW,
        "PUT": perms.DEVICE_CHANGE,
        "PATCH": perms.DEVICE_CHANGE,
    }
    serializer_class = DeviceSerializer

    def get(self, request, pk):
        return Response(DeviceSerializer(self.get_record()).data)

    def put(self, request, pk):
        return self._update(request, partial=False)

    def patch(self, request, pk):
        return self._update(request, partial=True)

    def _update(self, request, *, partial: bool):
        device = self.get_record()
        form = DeviceSerializer(device, data=request.data, partial=partial)
        form.is_valid(raise_exception=True)
        device = services.device_update(actor=request.user, device=device, **form.validated_data)
        return Response(DeviceSerializer(device).data)


@extend_schema_view(get=extend_schema(tags=TAGS, summary="Audit events about a device"))
class DeviceHistoryView(DeviceRecordMixin, RecordHistoryView):
    pass


@extend_schema_view(get=extend_schema(tags=TAGS, summary="Frozen (signed) versions of a device"))
class DeviceVersionsView(DeviceRecordMixin, RecordVersionsView):
    pass


@extend_schema_view(
    post=extend_schema(
        tags=TAGS,
        summary="E-sign the current version of a device",
        responses={201: SignatureSerializer},
    )
)
class DeviceSignView(DeviceRecordMixin, RecordSignView):
    pass


# --- Classification (MDR/IVDR Annex VIII) ------------------------------------------------------


class RuleHitSerializer(serializers.Serializer):
    rule = serializers.CharField()
    sub = serializers.CharField(allow_blank=True)
    device_class = serializers.CharField(source="class")
    reason = serializers.CharField()


class ClassificationSerializer(serializers.ModelSerializer):
    """A device's classification record: the answers, the class, every rule and why."""

    rules = RuleHitSerializer(many=True, read_only=True)
    special = serializers.ListField(child=serializers.CharField(), read_only=True)
    profile = serializers.DictField(help_text="The answers, in the regime's profile vocabulary.")
    signatures = serializers.SerializerMethodField(help_text="E-signatures on the current version.")

    class Meta:
        model = Classification
        fields = [
            "id",
            "device",
            "version",
            "regime",
            "profile",
            "device_class",
            "special",
            "rule",
            "rules",
            "decided_by",
            "rationale",
            "review_needed",
            "review_reason",
            "signatures",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(SignatureSerializer(many=True))
    def get_signatures(self, record):
        signatures = current_signatures_by_pk([record]).get(str(record.pk), [])
        return SignatureSerializer(signatures, many=True).data


class ClassificationWriteSerializer(StrictSerializer):
    profile = serializers.DictField(
        help_text="Answers to the classification questions (see GET …/classification/schema/)."
    )
    rationale = serializers.CharField(max_length=20000)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)


@extend_schema_view(
    get=extend_schema(tags=TAGS, summary="The device's classification record"),
    put=extend_schema(
        tags=TAGS,
        summary="Classify the device from a profile of answers",
        request=ClassificationWriteSerializer,
        responses={200: ClassificationSerializer},
    ),
)
class DeviceClassificationView(DeviceRecordMixin, ApiView):
    """Annex VIII classification: the engine decides; the record keeps answers and rationale."""

    permission_map = {"GET": perms.RECORD_VIEW, "PUT": perms.CLASSIFICATION_CHANGE}
    serializer_class = ClassificationSerializer

    def get(self, request, pk):
        record = Classification.objects.filter(device=self.get_record()).first()
        if record is None:
            raise NotFound(_("The device is not classified yet."))
        return Response(ClassificationSerializer(record).data)

    def put(self, request, pk):
        device = self.get_record()
        form = ClassificationWriteSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        record = services.classification_save(
            actor=request.user, device=device, **form.validated_data
        )
        return Response(ClassificationSerializer(record).data)


@extend_schema_view(
    post=extend_schema(
        tags=TAGS,
        summary="E-sign the current version of the classification",
        responses={201: SignatureSerializer},
    )
)
class DeviceClassificationSignView(RecordSignView):
    def get_record(self):
        device = selectors.access_device_by_id(user=self.request.user, device_id=self.kwargs["pk"])
        record = Classification.objects.filter(device=device).first()
        if record is None:
            raise NotFound(_("The device is not classified yet."))
        return record
