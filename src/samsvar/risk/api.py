"""The risk management file of a device over the API (ISO 14971:2019, Annex Z of EN ISO
14971:2019+A11:2021).

Every record of the file is here: plan (4.4) and its level changes, analysis (5.2), safety
characteristics (5.3), hazards, hazardous situations and harms (5.4, 5.5), risks (5.5, 6, 7.3),
control measures and their verification (7), benefit-risk analyses (7.4), the overall residual
risk (8), reviews and issued reports (9), production and post-production information (10), FMEA
worksheets and rows, plus the gap list, the matrix and the risk table as XLSX. Every write goes
through `risk.services`; bodies are strict, computed values (P, levels, RPN) are read-only, and
each versioned record has its history, frozen versions and e-signature endpoints.
"""

from django.contrib.auth import get_user_model
from django.db import models
from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header
from django.utils.text import get_valid_filename
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import exceptions, parsers, renderers, serializers, status
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
from samsvar.core.models import SignatureMeaning
from samsvar.core.selectors import current_signatures_by_pk
from samsvar.devices.selectors import access_device_by_id
from samsvar.regulatory.risk import catalogue
from samsvar.reports.render import XLSX_TYPE
from samsvar.risk import selectors, services, xlsx
from samsvar.risk.models import (
    BenefitRiskAnalysis,
    ControlMeasure,
    FmeaRow,
    FmeaWorksheet,
    Harm,
    Hazard,
    HazardousSituation,
    IssuedReport,
    OverallEvaluation,
    ProductionInfo,
    Risk,
    RiskAnalysis,
    RiskLevelChange,
    RiskPlan,
    RiskReview,
    SafetyCharacteristic,
    VerificationResult,
)

TAGS = ["risk"]
TEXT_MAX = 20000


# --- Serializer bases -------------------------------------------------------------------------


def reason_field():
    return serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text="Why it changes; kept in the audit trail; required once the record is signed.",
    )


def device_records(model, *, many: bool = False, **kwargs):
    """A field naming records of the device by id; the view narrows it to the device."""
    if many:
        return serializers.PrimaryKeyRelatedField(
            queryset=model.objects.none(), many=True, required=False, **kwargs
        )
    return serializers.PrimaryKeyRelatedField(queryset=model.objects.none(), **kwargs)


class RiskRecordSerializer(StrictModelSerializer):
    """A record of the risk file with the signatures on its current version.

    Related-record fields listed in `scoped` accept only records of the same device: the view
    passes `device=` when it checks a body. Text fields are limited to TEXT_MAX characters.
    """

    scoped: dict = {}
    signatures = serializers.SerializerMethodField(help_text="E-signatures on the current version.")
    approved = serializers.SerializerMethodField(
        help_text="The current version carries an e-signature with the meaning approved."
    )
    reason = reason_field()

    def __init__(self, *args, device=None, **kwargs):
        super().__init__(*args, **kwargs)
        if device is not None:
            for name, model in self.scoped.items():
                field = self.fields[name]
                relation = getattr(field, "child_relation", field)
                relation.queryset = model.objects.filter(device=device)

    def build_standard_field(self, field_name, model_field):
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        if isinstance(model_field, models.TextField) and "max_length" not in kwargs:
            kwargs["max_length"] = TEXT_MAX
        return field_class, kwargs

    def _signatures(self, record) -> list:
        by_pk = self.context.get("signatures")
        if by_pk is None:
            by_pk = current_signatures_by_pk([record])
        return by_pk.get(str(record.pk), [])

    @extend_schema_field(SignatureSerializer(many=True))
    def get_signatures(self, record):
        return SignatureSerializer(self._signatures(record), many=True).data

    def get_approved(self, record) -> bool:
        return any(s.meaning == SignatureMeaning.APPROVED for s in self._signatures(record))


EVIDENCE_FIELDS = ["version", "signatures", "approved", "created_at", "updated_at"]
READ_ONLY = ["id", "device", "version", "created_at", "updated_at"]


def signatures_context(page) -> dict:
    return {"signatures": current_signatures_by_pk(list(page))}


# --- Plan (4.4) and analysis (5.2) ------------------------------------------------------------


class RiskPlanSerializer(RiskRecordSerializer):
    """The risk management plan with its acceptability policy (scales, P1 x P2 table, matrix)."""

    policy = JsonObjectField(
        required=False,
        help_text="Scales, combination table and matrix in the form GET returns; changing it "
        "re-evaluates every risk of the device.",
    )

    class Meta:
        model = RiskPlan
        fields = ["id", "device", *services.PLAN_FIELDS, *EVIDENCE_FIELDS, "reason"]
        read_only_fields = READ_ONLY
        validators = []


class ReasonSerializer(StrictSerializer):
    reason = reason_field()


class DeviceMixin:
    def get_device(self):
        return access_device_by_id(user=self.request.user, device_id=self.kwargs["pk"])


class PlanMixin(DeviceMixin):
    def get_record(self) -> RiskPlan:
        plan = selectors.plan_for(self.get_device())
        if plan is None:
            raise exceptions.NotFound(_("The device has no risk management plan yet."))
        return plan


@extend_schema_view(
    get=extend_schema(tags=TAGS, summary="The risk management plan of a device"),
    post=extend_schema(
        tags=TAGS,
        summary="Start the plan with the ready 5 x 5 policy",
        request=ReasonSerializer,
        responses={201: RiskPlanSerializer},
    ),
    put=extend_schema(
        tags=TAGS,
        summary="Change the risk management plan",
        description="A changed policy re-evaluates every risk of the device; see level-changes.",
    ),
)
class PlanView(PlanMixin, ApiView):
    """ISO 14971:2019 4.4 — one plan per device, approved by e-signature."""

    permission_map = {"GET": perms.RECORD_VIEW, "POST": perms.RISK_CHANGE, "PUT": perms.RISK_CHANGE}
    serializer_class = RiskPlanSerializer

    def get(self, request, pk):
        return Response(RiskPlanSerializer(self.get_record()).data)

    def post(self, request, pk):
        device = self.get_device()
        form = ReasonSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        plan = services.plan_adopt_default(actor=request.user, device=device, **form.validated_data)
        return Response(RiskPlanSerializer(plan).data, status=status.HTTP_201_CREATED)

    def put(self, request, pk):
        plan = self.get_record()
        form = RiskPlanSerializer(plan, data=request.data)
        form.is_valid(raise_exception=True)
        plan = services.plan_update(actor=request.user, plan=plan, **form.validated_data)
        return Response(RiskPlanSerializer(plan).data)


class LevelChangeSerializer(serializers.ModelSerializer):
    risk_code = serializers.CharField(source="risk.code", read_only=True)

    class Meta:
        model = RiskLevelChange
        fields = [
            "risk",
            "risk_code",
            "plan_version",
            "estimate",
            "severity",
            "before_p",
            "before_acceptable",
            "after_p",
            "after_acceptable",
            "note",
        ]
        read_only_fields = fields


class LevelChangeFilterSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        required=False, min_value=1, help_text="Plan version; default: the latest with changes."
    )


@extend_schema_view(
    get=extend_schema(
        tags=TAGS,
        summary="Risks whose level changed when the plan's policy changed",
        parameters=[LevelChangeFilterSerializer],
        responses=LevelChangeSerializer(many=True),
    )
)
class PlanLevelChangesView(PlanMixin, ApiView):
    permission_map = {"GET": perms.RECORD_VIEW}
    serializer_class = LevelChangeSerializer

    def get(self, request, pk):
        filters = query_params(LevelChangeFilterSerializer, request)
        return self.paginated(selectors.level_changes(self.get_record(), filters.get("version")))


class RiskAnalysisSerializer(RiskRecordSerializer):
    class Meta:
        model = RiskAnalysis
        fields = ["id", "device", *services.ANALYSIS_FIELDS, *EVIDENCE_FIELDS, "reason"]
        read_only_fields = READ_ONLY
        validators = []


class AnalysisMixin(DeviceMixin):
    def get_record(self) -> RiskAnalysis:
        analysis = selectors.risk_analysis_for(self.get_device())
        if analysis is None:
            raise exceptions.NotFound(_("The device has no risk analysis yet."))
        return analysis


@extend_schema_view(
    get=extend_schema(tags=TAGS, summary="Intended use and foreseeable misuse of a device"),
    put=extend_schema(
        tags=TAGS, summary="Record the intended use and reasonably foreseeable misuse"
    ),
)
class AnalysisView(AnalysisMixin, ApiView):
    """ISO 14971:2019 5.2; a new analysis starts from the device's intended purpose."""

    permission_map = {"GET": perms.RECORD_VIEW, "PUT": perms.RISK_CHANGE}
    serializer_class = RiskAnalysisSerializer

    def get(self, request, pk):
        return Response(RiskAnalysisSerializer(self.get_record()).data)

    def put(self, request, pk):
        device = self.get_device()
        form = RiskAnalysisSerializer(selectors.risk_analysis_for(device), data=request.data)
        form.is_valid(raise_exception=True)
        analysis = services.risk_analysis_save(
            actor=request.user, device=device, **form.validated_data
        )
        return Response(RiskAnalysisSerializer(analysis).data)


class OverallSerializer(RiskRecordSerializer):
    class Meta:
        model = OverallEvaluation
        fields = ["id", "device", *services.OVERALL_FIELDS, *EVIDENCE_FIELDS, "reason"]
        read_only_fields = READ_ONLY
        validators = []


class OverallMixin(DeviceMixin):
    def get_record(self) -> OverallEvaluation:
        evaluation = selectors.overall_evaluation_for(self.get_device())
        if evaluation is None:
            raise exceptions.NotFound(_("The overall residual risk is not evaluated yet."))
        return evaluation


@extend_schema_view(
    get=extend_schema(tags=TAGS, summary="The evaluation of the overall residual risk"),
    put=extend_schema(tags=TAGS, summary="Evaluate the overall residual risk"),
)
class OverallView(OverallMixin, ApiView):
    """ISO 14971:2019 8 — by the method in the plan; approved by e-signature."""

    permission_map = {"GET": perms.RECORD_VIEW, "PUT": perms.RISK_CHANGE}
    serializer_class = OverallSerializer

    def get(self, request, pk):
        return Response(OverallSerializer(self.get_record()).data)

    def put(self, request, pk):
        device = self.get_device()
        form = OverallSerializer(selectors.overall_evaluation_for(device), data=request.data)
        form.is_valid(raise_exception=True)
        evaluation = services.overall_evaluation_save(
            actor=request.user, device=device, **form.validated_data
        )
        return Response(OverallSerializer(evaluation).data)


# --- Completeness and matrix ------------------------------------------------------------------


class GapSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Stable code of the kind of gap.")
    clause = serializers.CharField(help_text='ISO 14971:2019 clause, or "Annex Z".')
    message = serializers.CharField()
    object_kind = serializers.CharField(help_text="plan, hazard, situation, risk, control, ...")
    object_id = serializers.IntegerField(allow_null=True)
    object_name = serializers.CharField()


class GapListSerializer(serializers.Serializer):
    complete = serializers.BooleanField(help_text="No gap: the review can be completed.")
    count = serializers.IntegerField()
    gaps = GapSerializer(many=True)


@extend_schema_view(
    get=extend_schema(
        tags=TAGS, summary="Every gap in the risk file of a device", responses=GapListSerializer
    )
)
class GapsView(DeviceMixin, ApiView):
    """The live completeness check; the review is refused while it lists anything."""

    permission_map = {"GET": perms.RECORD_VIEW}
    serializer_class = GapListSerializer

    def get(self, request, pk):
        gaps = selectors.risk_file_gaps(self.get_device())
        language = get_language() or "en"
        data = {
            "complete": not gaps,
            "count": len(gaps),
            "gaps": [
                {
                    "code": gap.code,
                    "clause": gap.clause,
                    "message": gap.message(language),
                    "object_kind": gap.ref.kind,
                    "object_id": gap.ref.id if isinstance(gap.ref.id, int) else None,
                    "object_name": gap.ref.name,
                }
                for gap in gaps
            ],
        }
        return Response(GapListSerializer(data).data)


class LevelSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    name = serializers.CharField()
    definition = serializers.CharField()


class ProbabilityLevelSerializer(LevelSerializer):
    low = serializers.FloatField()
    high = serializers.FloatField()


class CellSerializer(serializers.Serializer):
    severity = serializers.IntegerField()
    p = serializers.IntegerField()
    count = serializers.IntegerField()
    acceptable = serializers.BooleanField(allow_null=True)


class MatrixSerializer(serializers.Serializer):
    residual = serializers.BooleanField(help_text="After control (the residual estimates).")
    total = serializers.IntegerField()
    unestimated = serializers.IntegerField(help_text="Risks without an estimate to count.")
    severity_levels = LevelSerializer(many=True)
    probability_levels = ProbabilityLevelSerializer(many=True)
    cells = CellSerializer(many=True)


class MatrixFilterSerializer(serializers.Serializer):
    residual = serializers.BooleanField(
        required=False, default=False, help_text="1: after control; 0 (default): before."
    )


@extend_schema_view(
    get=extend_schema(
        tags=TAGS,
        summary="The risk matrix of a device with counts per cell",
        parameters=[MatrixFilterSerializer],
        responses=MatrixSerializer,
    )
)
class MatrixView(DeviceMixin, ApiView):
    permission_map = {"GET": perms.RECORD_VIEW}
    serializer_class = MatrixSerializer

    def get(self, request, pk):
        filters = query_params(MatrixFilterSerializer, request)
        result = selectors.matrix(
            self.get_device(), residual=filters.get("residual", False), user=request.user
        )
        language = get_language() or "en"
        policy = result.policy

        def level(item):
            row = {"rank": item.rank, "name": item.name(language)}
            row["definition"] = item.definition(language)
            if hasattr(item, "low"):
                row |= {"low": item.low, "high": item.high}
            return row

        data = {
            "residual": result.residual,
            "total": result.total,
            "unestimated": result.unestimated,
            "severity_levels": [level(lv) for lv in policy.severity.ordered()] if policy else [],
            "probability_levels": (
                [level(lv) for lv in policy.probability.ordered()] if policy else []
            ),
            "cells": [
                {"severity": c.severity, "p": c.p, "count": c.count, "acceptable": c.acceptable}
                for _level, cells in result.rows()
                for c in cells
            ],
        }
        return Response(MatrixSerializer(data).data)


# --- Generic list and detail views ------------------------------------------------------------


class DeviceRecordsView(DeviceMixin, ApiView):
    """The records of one kind in a device's file (GET) and a new one (POST)."""

    permission_map = {"GET": perms.RECORD_VIEW, "POST": perms.RISK_CHANGE}

    def records(self, device):
        raise NotImplementedError

    def create(self, device, data: dict):
        raise NotImplementedError

    def get(self, request, pk):
        return self.paginated(self.records(self.get_device()), page_context=signatures_context)

    def post(self, request, pk):
        device = self.get_device()
        form = self.serializer_class(data=request.data, device=device)
        form.is_valid(raise_exception=True)
        record = self.create(device, dict(form.validated_data))
        return Response(self.serializer_class(record).data, status=status.HTTP_201_CREATED)


class RecordDetailView(ApiView):
    """One record (GET) and a change to some of its fields (PATCH)."""

    permission_map = {"GET": perms.RECORD_VIEW, "PATCH": perms.RISK_CHANGE}

    def update(self, record, data: dict):
        raise NotImplementedError

    def device_of(self, record):
        return record.device

    def get(self, request, pk):
        return Response(self.serializer_class(self.get_record()).data)

    def patch(self, request, pk):
        record = self.get_record()
        form = self.serializer_class(
            record, data=request.data, partial=True, device=self.device_of(record)
        )
        form.is_valid(raise_exception=True)
        record = self.update(record, dict(form.validated_data))
        return Response(self.serializer_class(self.get_record()).data)


def record_mixin(name: str, access, id_argument: str) -> type:
    """A mixin whose get_record() finds the record of the URL's pk for the user, or 404."""

    def get_record(self):
        return access(user=self.request.user, **{id_argument: self.kwargs["pk"]})

    return type(name, (), {"get_record": get_record, "__module__": __name__})


def evidence_views(mixin, noun: str):
    return core_evidence_views(mixin, noun, tags=TAGS)


PLAN_EVIDENCE = evidence_views(PlanMixin, "a risk management plan")
ANALYSIS_EVIDENCE = evidence_views(AnalysisMixin, "a risk analysis")
OVERALL_EVIDENCE = evidence_views(OverallMixin, "an overall residual risk evaluation")


# --- Safety characteristics (5.3) -------------------------------------------------------------


class SafetyCharacteristicSerializer(RiskRecordSerializer):
    """One question on characteristics related to safety, answered for the device."""

    scoped = {"hazards": Hazard}
    topic_key = serializers.ChoiceField(
        choices=[], help_text="Key of a question of the questionnaire (ISO/TR 24971 Annex A)."
    )
    topic_title = serializers.SerializerMethodField()
    hazards = device_records(Hazard, many=True, help_text="Ids of the hazards the answer raised.")

    class Meta:
        model = SafetyCharacteristic
        fields = [
            "id",
            "device",
            "topic_key",
            "topic_title",
            "answer",
            "notes",
            "hazards",
            *EVIDENCE_FIELDS,
            "reason",
        ]
        read_only_fields = READ_ONLY
        validators = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic_key"].choices = [t.key for t in catalogue.all_safety_topics()]

    def get_topic_title(self, item) -> str:
        try:
            return catalogue.safety_topic(item.topic_key).title(get_language() or "en")
        except KeyError:
            return item.topic_key

    def validate_topic_key(self, value):
        if self.instance is not None and value != self.instance.topic_key:
            raise serializers.ValidationError(_("The question of an answer cannot change."))
        return value


SafetyMixin = record_mixin("SafetyMixin", selectors.access_safety_characteristic_by_id, "item_id")


@extend_schema_view(
    get=extend_schema(
        tags=TAGS,
        summary="Answers on characteristics related to safety",
        responses=SafetyCharacteristicSerializer(many=True),
    ),
    post=extend_schema(
        tags=TAGS,
        summary="Answer a question on characteristics related to safety",
        description="Saves the answer to the question of `topic_key`, new or changed.",
        responses={201: SafetyCharacteristicSerializer},
    ),
)
class SafetyCharacteristicListView(DeviceRecordsView):
    """ISO 14971:2019 5.3."""

    serializer_class = SafetyCharacteristicSerializer

    def records(self, device):
        return selectors.safety_characteristics(device, user=self.request.user)

    def create(self, device, data):
        return services.safety_characteristic_save(actor=self.request.user, device=device, **data)


@extend_schema_view(
    get=extend_schema(tags=TAGS, summary="One answer on characteristics related to safety"),
    patch=extend_schema(tags=TAGS, summary="Change an answer, its notes or its hazards"),
)
class SafetyCharacteristicDetailView(SafetyMixin, RecordDetailView):
    serializer_class = SafetyCharacteristicSerializer

    def update(self, item, data):
        return services.safety_characteristic_save(
            actor=self.request.user,
            device=item.device,
            topic_key=item.topic_key,
            answer=data.get("answer", item.answer),
            notes=data.get("notes", item.notes),
            hazards=data.get("hazards"),
            reason=data.get("reason", ""),
        )


SAFETY_EVIDENCE = evidence_views(SafetyMixin, "an answer on characteristics related to safety")


# --- Hazards, hazardous situations, harms (5.4, 5.5) ------------------------------------------


class HazardSerializer(RiskRecordSerializer):
    scoped = {"introduced_by": ControlMeasure}
    code = serializers.CharField(read_only=True, help_text="H-001, ...")
    category_title = serializers.SerializerMethodField()
    introduced_by = device_records(
        ControlMeasure,
        required=False,
        allow_null=True,
        help_text="Id of the control measure that introduced it (7.5).",
    )

    class Meta:
        model = Hazard
        fields = [
            "id",
            "device",
            "number",
            "code",
            "category_key",
            "category_title",
            "title",
            "description",
            "origin",
            "introduced_by",
            *EVIDENCE_FIELDS,
            "reason",
        ]
        read_only_fields = [*READ_ONLY, "number"]
        validators = []

    def get_category_title(self, hazard) -> str:
        if not hazard.category_key:
            return ""
        try:
            return catalogue.hazard_category(hazard.category_key).title(get_language() or "en")
        except KeyError:
            return hazard.category_key


HazardMixin = record_mixin("HazardMixin", selectors.access_hazard_by_id, "hazard_id")


@extend_schema_view(
    get=extend_schema(
        tags=TAGS, summary="Hazards of a device", responses=HazardSerializer(many=True)
    ),
    post=extend_schema(tags=TAGS, summary="Identify a hazard", responses={201: HazardSerializer}),
)
class HazardListView(DeviceRecordsView):
    """ISO 14971:2019 5.4 — from the catalogue of hazard categories or the manufacturer's own."""

    serializer_class = HazardSerializer

    def records(self, device):
        return selectors.hazards(device, user=self.request.user)

    def create(self, device, data):
        return services.hazard_create(actor=self.request.user, device=device, **data)


@extend_schema_view(
    get=extend_schema(tags=TAGS, summary="One hazard"),
    patch=extend_schema(tags=TAGS, summary="Change a hazard"),
)
class HazardDetailView(HazardMixin, RecordDetailView):
    serializer_class = HazardSerializer

    def update(self, hazard, data):
        return services.hazard_update(actor=self.request.user, hazard=hazard, **data)


HAZARD_EVIDENCE = evidence_views(HazardMixin, "a hazard")


class SituationSerializer(RiskRecordSerializer):
    scoped = {"hazard": Hazard, "introduced_by": ControlMeasure}
    code = serializers.CharField(read_only=True, help_text="HS-001, ...")
    hazard = device_records(Hazard, help_text="Id of the hazard; PATCH moves the situation.")
    introduced_by = device_records(
        ControlMeasure,
        required=False,
        allow_null=True,
        help_text="Id of the control measure that introduced it (7.5).",
    )

    class Meta:
        model = HazardousSituation
        fields = [
            "id",
            "device",
            "number",
            "code",
            "hazard",
            "sequence_of_events",
            "description",
            "introduced_by",
            *EVIDENCE_FIELDS,
            "reason",
        ]
        read_only_fields = [*READ_ONLY, "number"]
        validators = []


SituationMixin = record_mixin("SituationMixin", selectors.access_situation_by_id, "situation_id")


@extend_schema_view(
    get=extend_schema(
        tags=TAGS,
        summary="Hazardous situations of a device",
        responses=SituationSerializer(many=True),
    ),
    post=extend_schema(
        tags=TAGS,
        summary="Add a hazardous situation to a hazard",
        responses={201: SituationSerializer},
    ),
)
class SituationListView(DeviceRecordsView):
    """ISO 14971:2019 5.4 — a sequence of events and the hazardous situation it leads to."""

    serializer_class = SituationSerializer

    def records(self, device):
        return selectors.situations(device, user=self.request.user)

    def create(self, device, data):
        hazard = data.pop("hazard")
        return services.situation_create(actor=self.request.user, hazard=hazard, **data)


@extend_schema_view(
    get=extend_schema(tags=TAGS, summary="One hazardous situation"),
    patch=extend_schema(tags=TAGS, summary="Change a hazardous situation"),
)
class SituationDetailView(SituationMixin, RecordDetailView):
    serializer_class = SituationSerializer

    def update(self, situation, data):
        return services.situation_update(actor=self.request.user, situation=situation, **data)


SITUATION_EVIDENCE = evidence_views(SituationMixin, "a hazardous situation")


class HarmSerializer(RiskRecordSerializer):
    class Meta:
        model = Harm
        fields = [
            "id",
            "device",
            "name",
            "description",
            "severity",
            *EVIDENCE_FIELDS,
            "reason",
        ]
        read_only_fields = READ_ONLY
        validators = []
        extra_kwargs = {"severity": {"help_text": "A level of the plan's severity scale."}}


HarmMixin = record_mixin("HarmMixin", selectors.access_harm_by_id, "harm_id")


@extend_schema_view(
    get=extend_schema(tags=TAGS, summary="Harms of a device", responses=HarmSerializer(many=True)),
    post=extend_schema(
        tags=TAGS, summary="Add a harm with its severity", responses={201: HarmSerializer}
    ),
)
class HarmListView(DeviceRecordsView):
    """ISO 14971:2019 5.5 — a new severity re-estimates every risk that leads to the harm."""

    serializer_class = HarmSerializer

    def records(self, device):
        return selectors.harms(device, user=self.request.user).order_by("-severity", "name")

    def create(self, device, data):
        return services.harm_create(actor=self.request.user, device=device, **data)


@extend_schema_view(
    get=extend_schema(tags=TAGS, summary="One harm"),
    patch=extend_schema(tags=TAGS, summary="Change a harm"),
)
class HarmDetailView(HarmMixin, RecordDetailView):
    serializer_class = HarmSerializer

    def update(self, harm, data):
        return services.harm_update(actor=self.request.user, harm=harm, **data)


HARM_EVIDENCE = evidence_views(HarmMixin, "a harm")


# --- Risks (5.5, 6, 7.3) ----------------------------------------------------------------------


class RiskSerializer(RiskRecordSerializer):
    """A hazardous situation-harm pair. P1, P2 and the residual ranks are given; severity, P
    and acceptability are computed from the plan's policy and are read-only."""

    scoped = {"situation": HazardousSituation, "harm": Harm}
    code = serializers.CharField(read_only=True, help_text="R-001, ...")
    situation = device_records(
        HazardousSituation, help_text="Id of the hazardous situation; fixed once created."
    )
    hazard = serializers.IntegerField(source="situation.hazard_id", read_only=True)
    harm = device_records(Harm, help_text="Id of the harm; fixed once created.")
    controls = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True, help_text="Ids of the control measures of the risk."
    )

    class Meta:
        model = Risk
        fields = [
            "id",
            "device",
            "number",
            "code",
            "situation",
            "hazard",
            "harm",
            "p1",
            "p2",
            "severity",
            "p",
            "initial_acceptable",
            "controls",
            "control_option_rationale",
            "residual_p1",
            "residual_p2",
            "residual_severity",
            "residual_p",
            "residual_acceptable",
            "afap_justification",
            "disclose",
            "disclosure_text",
            "review_flag",
            "review_reason",
            "review_flagged_at",
            "review_note",
            *EVIDENCE_FIELDS,
            "reason",
        ]
        read_only_fields = [
            *READ_ONLY,
            "number",
            "review_flag",
            "review_reason",
            "review_flagged_at",
            "review_note",
        ]
        validators = []

    def validate(self, attrs):
        if self.instance is not None:
            fixed = {
                name: [_("A risk keeps its hazardous situation and harm.")]
                for name in ("situation", "harm")
                if name in attrs
            }
            if fixed:
                raise serializers.ValidationError(fixed)
        return attrs


class RiskFilterSerializer(serializers.Serializer):
    category = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=80,
        help_text='A hazard category key or its group, e.g. "energy".',
    )
    hazard = serializers.IntegerField(required=False, help_text="Hazard id.")
    situation = serializers.IntegerField(required=False, help_text="Hazardous situation id.")
    harm = serializers.IntegerField(required=False, help_text="Harm id.")
    severity = serializers.IntegerField(required=False)
    p = serializers.IntegerField(required=False)
    acceptable = serializers.BooleanField(required=False, allow_null=True, default=None)
    residual_acceptable = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="After control (the estimate before control for an uncontrolled risk).",
    )
    estimated = serializers.BooleanField(required=False, allow_null=True, default=None)
    controlled = serializers.BooleanField(required=False, allow_null=True, default=None)
    flagged = serializers.BooleanField(required=False, allow_null=True, default=None)
    q = serializers.CharField(required=False, allow_blank=True, max_length=200)
    sort = serializers.ChoiceField(
        required=False,
        choices=[*selectors.REGISTER_SORTS, *(f"-{key}" for key in selectors.REGISTER_SORTS)],
        help_text="Sort key; a leading '-' sorts descending.",
    )


RiskMixin = record_mixin("RiskMixin", selectors.access_risk_by_id, "risk_id")


@extend_schema_view(
    get=extend_schema(
        tags=TAGS,
        summary="The risk register of a device",
        parameters=[RiskFilterSerializer],
        responses=RiskSerializer(many=True),
    ),
    post=extend_schema(
        tags=TAGS,
        summary="Estimate a risk: a hazardous situation, a harm, P1 and P2",
        responses={201: RiskSerializer},
    ),
)
class RiskListView(DeviceRecordsView):
    """ISO 14971:2019 5.5, 6 — filterable and sortable like the register page."""

    serializer_class = RiskSerializer

    def records(self, device):
        filters = query_params(RiskFilterSerializer, self.request)
        sort = filters.pop("sort", "")
        rows = selectors.register(device, filters=filters, sort=sort, user=self.request.user)
        return rows.prefetch_related("controls")

    def create(self, device, data):
        situation, harm = data.pop("situation"), data.pop("harm")
        return services.risk_create(actor=self.request.user, situation=situation, harm=harm, **data)


@extend_schema_view(
    get=extend_schema(tags=TAGS, summary="One risk"),
    patch=extend_schema(
        tags=TAGS, summary="Change the estimates, justifications or disclosure of a risk"
    ),
)
class RiskDetailView(RiskMixin, RecordDetailView):
    serializer_class = RiskSerializer

    def update(self, risk, data):
        return services.risk_update(actor=self.request.user, risk=risk, **data)


@extend_schema_view(
    get=extend_schema(
        tags=TAGS, summary="Audit events about a risk and the control measures that control it"
    )
)
class RiskHistoryView(RiskMixin, RecordHistoryView):
    def get(self, request, *args, **kwargs):
        return self.paginated(selectors.risk_history(self.get_record(), user=request.user))


RISK_EVIDENCE = evidence_views(RiskMixin, "a risk")


class NoteSerializer(StrictSerializer):
    note = serializers.CharField(
        max_length=TEXT_MAX, help_text="What the review found and decided."
    )


@extend_schema_view(
    post=extend_schema(
        tags=TAGS,
        summary="Record the review of a risk flagged by post-production information",
        request=NoteSerializer,
        responses=RiskSerializer,
    )
)
class RiskFlagClearView(RiskMixin, ApiView):
    """ISO 14971:2019 10.4."""

    permission_map = {"POST": perms.RISK_CHANGE}
    serializer_class = NoteSerializer

    def post(self, request, pk):
        risk = self.get_record()
        form = NoteSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        services.risk_flag_clear(actor=request.user, risk=risk, **form.validated_data)
        return Response(RiskSerializer(self.get_record()).data)


# --- Control measures (7) ---------------------------------------------------------------------


class ControlSerializer(RiskRecordSerializer):
    """A risk control measure; verification is recorded with POST .../verify/."""

    scoped = {"risks": Risk}
    code = serializers.CharField(read_only=True, help_text="RC-001, ...")
    risks = device_records(Risk, many=True, help_text="Ids of the risks it controls.")
    implementation_verified = serializers.BooleanField(read_only=True)
    implementation_result = serializers.CharField(
        read_only=True, help_text="pass or fail; empty until verified."
    )
    effectiveness_verified = serializers.BooleanField(read_only=True)
    effectiveness_result = serializers.CharField(
        read_only=True, help_text="pass or fail; empty until verified."
    )

    class Meta:
        model = ControlMeasure
        fields = [
            "id",
            "device",
            "number",
            "code",
            "kind",
            "description",
            "implementation",
            "safety_information_text",
            "risks",
            "new_risks_reviewed",
            "new_risks_notes",
            "implementation_verified",
            "implementation_evidence",
            "implementation_result",
            "implementation_date",
            "implementation_verified_by",
            "effectiveness_verified",
            "effectiveness_evidence",
            "effectiveness_result",
            "effectiveness_date",
            "effectiveness_verified_by",
            *EVIDENCE_FIELDS,
            "reason",
        ]
        read_only_fields = [
            *READ_ONLY,
            "number",
            *(
                f"{aspect}_{part}"
                for aspect in services.VERIFICATION_ASPECTS
                for part in ("evidence", "date", "verified_by")
            ),
        ]
        validators = []


ControlMixin = record_mixin("ControlMixin", selectors.access_control_by_id, "control_id")


@extend_schema_view(
    get=extend_schema(
        tags=TAGS,
        summary="Risk control measures of a device",
        responses=ControlSerializer(many=True),
    ),
    post=extend_schema(
        tags=TAGS, summary="Add a risk control measure", responses={201: ControlSerializer}
    ),
)
class ControlListView(DeviceRecordsView):
    """ISO 14971:2019 7.1 — a lower-priority kind without the higher ones needs, on each risk,
    a rationale why the higher kinds are not practicable."""

    serializer_class = ControlSerializer

    def records(self, device):
        return selectors.controls(device, user=self.request.user)

    def create(self, device, data):
        risks = data.pop("risks", [])
        return services.control_create(actor=self.request.user, device=device, risks=risks, **data)


@extend_schema_view(
    get=extend_schema(tags=TAGS, summary="One risk control measure"),
    patch=extend_schema(tags=TAGS, summary="Change a control measure or the risks it controls"),
)
class ControlDetailView(ControlMixin, RecordDetailView):
    serializer_class = ControlSerializer

    def update(self, control, data):
        risks = data.pop("risks", None)
        return services.control_update(
            actor=self.request.user, control=control, risks=risks, **data
        )


CONTROL_EVIDENCE = evidence_views(ControlMixin, "a risk control measure")


class VerifySerializer(StrictSerializer):
    aspect = serializers.ChoiceField(choices=services.VERIFICATION_ASPECTS)
    evidence = serializers.CharField(max_length=300, help_text="e.g. a test report and revision.")
    result = serializers.ChoiceField(choices=VerificationResult.choices)
    date = serializers.DateField()
    verified_by = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.filter(is_active=True),
        required=False,
        help_text="User id of who verified it; default: the caller.",
    )
    reason = reason_field()


@extend_schema_view(
    post=extend_schema(
        tags=TAGS,
        summary="Record the verification of a control's implementation or effectiveness",
        request=VerifySerializer,
        responses=ControlSerializer,
    )
)
class ControlVerifyView(ControlMixin, ApiView):
    """ISO 14971:2019 7.2."""

    permission_map = {"POST": perms.RISK_CHANGE}
    serializer_class = VerifySerializer

    def post(self, request, pk):
        control = self.get_record()
        form = VerifySerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        data.setdefault("verified_by", request.user)
        services.control_verify(actor=request.user, control=control, **data)
        return Response(ControlSerializer(self.get_record()).data)


# --- Benefit-risk (7.4) -----------------------------------------------------------------------


class BenefitRiskSerializer(RiskRecordSerializer):
    scoped = {"risks": Risk}
    code = serializers.CharField(read_only=True, help_text="BR-001, ...")
    risks = device_records(Risk, many=True, help_text="Ids of the residual risks it weighs.")

    class Meta:
        model = BenefitRiskAnalysis
        fields = [
            "id",
            "device",
            "number",
            "code",
            "title",
            "risks",
            "benefits",
            "analysis",
            "conclusion",
            *EVIDENCE_FIELDS,
            "reason",
        ]
        read_only_fields = [*READ_ONLY, "number"]
        validators = []


BenefitRiskMixin = record_mixin(
    "BenefitRiskMixin", selectors.access_benefit_risk_by_id, "analysis_id"
)


@extend_schema_view(
    get=extend_schema(
        tags=TAGS,
        summary="Benefit-risk analyses of a device",
        responses=BenefitRiskSerializer(many=True),
    ),
    post=extend_schema(
        tags=TAGS, summary="Add a benefit-risk analysis", responses={201: BenefitRiskSerializer}
    ),
)
class BenefitRiskListView(DeviceRecordsView):
    """ISO 14971:2019 7.4 — approved by e-signature."""

    serializer_class = BenefitRiskSerializer

    def records(self, device):
        return selectors.benefit_risk_analyses(device, user=self.request.user)

    def create(self, device, data):
        risks = data.pop("risks", [])
        return services.benefit_risk_create(
            actor=self.request.user, device=device, risks=risks, **data
        )


@extend_schema_view(
    get=extend_schema(tags=TAGS, summary="One benefit-risk analysis"),
    patch=extend_schema(tags=TAGS, summary="Change a benefit-risk analysis"),
)
class BenefitRiskDetailView(BenefitRiskMixin, RecordDetailView):
    serializer_class = BenefitRiskSerializer

    def update(self, analysis, data):
        risks = data.pop("risks", None)
        return services.benefit_risk_update(
            actor=self.request.user, analysis=analysis, risks=risks, **data
        )


BENEFIT_RISK_EVIDENCE = evidence_views(BenefitRiskMixin, "a benefit-risk analysis")


# --- Production and post-production information (10) ------------------------------------------


class ProductionInfoSerializer(RiskRecordSerializer):
    scoped = {"hazards": Hazard, "risks": Risk, "situation": HazardousSituation}
    code = serializers.CharField(read_only=True, help_text="PI-001, ...")
    hazards = device_records(Hazard, many=True, help_text="Ids of the hazards it concerns.")
    risks = device_records(Risk, many=True, help_text="Ids of the risks it concerns.")
    situation = device_records(
        HazardousSituation,
        required=False,
        allow_null=True,
        help_text="Id of the hazardous situation whose occurrences it counts.",
    )

    class Meta:
        model = ProductionInfo
        fields = [
            "id",
            "device",
            "number",
            "code",
            "source",
            "date",
            "reference",
            "description",
            "hazards",
            "risks",
            "situation",
            "occurrences",
            "exposure",
            "finding",
            "is_open",
            "review_note",
            "reviewed_by",
            "reviewed_at",
            *EVIDENCE_FIELDS,
            "reason",
        ]
        read_only_fields = [
            *READ_ONLY,
            "number",
            "is_open",
            "review_note",
            "reviewed_by",
            "reviewed_at",
        ]
        validators = []


class ProductionInfoFilterSerializer(serializers.Serializer):
    open = serializers.BooleanField(
        required=False, default=False, help_text="1: only items not reviewed yet."
    )


ProductionInfoMixin = record_mixin(
    "ProductionInfoMixin", selectors.access_production_info_by_id, "item_id"
)


@extend_schema_view(
    get=extend_schema(
        tags=TAGS,
        summary="Production and post-production information of a device",
        parameters=[ProductionInfoFilterSerializer],
        responses=ProductionInfoSerializer(many=True),
    ),
    post=extend_schema(
        tags=TAGS,
        summary="Record production or post-production information",
        description="A finding other than none flags the risks it concerns for review.",
        responses={201: ProductionInfoSerializer},
    ),
)
class ProductionInfoListView(DeviceRecordsView):
    """ISO 14971:2019 10."""

    serializer_class = ProductionInfoSerializer

    def records(self, device):
        filters = query_params(ProductionInfoFilterSerializer, self.request)
        return selectors.production_information(
            device, user=self.request.user, open_only=filters.get("open", False)
        )

    def create(self, device, data):
        hazards, risks = data.pop("hazards", []), data.pop("risks", [])
        return services.production_info_create(
            actor=self.request.user, device=device, hazards=hazards, risks=risks, **data
        )


@extend_schema_view(
    get=extend_schema(tags=TAGS, summary="One item of production or post-production information"),
    patch=extend_schema(tags=TAGS, summary="Change an information item"),
)
class ProductionInfoDetailView(ProductionInfoMixin, RecordDetailView):
    serializer_class = ProductionInfoSerializer

    def update(self, item, data):
        hazards, risks = data.pop("hazards", None), data.pop("risks", None)
        return services.production_info_update(
            actor=self.request.user, item=item, hazards=hazards, risks=risks, **data
        )


PRODUCTION_INFO_EVIDENCE = evidence_views(
    ProductionInfoMixin, "an item of production or post-production information"
)


@extend_schema_view(
    post=extend_schema(
        tags=TAGS,
        summary="Close an open information item with the review's conclusion",
        request=NoteSerializer,
        responses=ProductionInfoSerializer,
    )
)
class ProductionInfoReviewView(ProductionInfoMixin, ApiView):
    """ISO 14971:2019 10.4."""

    permission_map = {"POST": perms.RISK_CHANGE}
    serializer_class = NoteSerializer

    def post(self, request, pk):
        item = self.get_record()
        form = NoteSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        services.production_info_review(actor=request.user, item=item, **form.validated_data)
        return Response(ProductionInfoSerializer(self.get_record()).data)


# --- FMEA -------------------------------------------------------------------------------------


class FmeaWorksheetSerializer(RiskRecordSerializer):
    class Meta:
        model = FmeaWorksheet
        fields = ["id", "device", "kind", "title", *EVIDENCE_FIELDS, "reason"]
        read_only_fields = READ_ONLY
        validators = []


WorksheetMixin = record_mixin(
    "WorksheetMixin", selectors.access_fmea_worksheet_by_id, "worksheet_id"
)


@extend_schema_view(
    get=extend_schema(
        tags=TAGS,
        summary="FMEA worksheets of a device",
        responses=FmeaWorksheetSerializer(many=True),
    ),
    post=extend_schema(
        tags=TAGS,
        summary="Start a design, process or use FMEA",
        responses={201: FmeaWorksheetSerializer},
    ),
)
class FmeaWorksheetListView(DeviceRecordsView):
    serializer_class = FmeaWorksheetSerializer

    def records(self, device):
        return selectors.fmea_worksheets(device, user=self.request.user)

    def create(self, device, data):
        return services.fmea_worksheet_create(actor=self.request.user, device=device, **data)


@extend_schema_view(
    get=extend_schema(tags=TAGS, summary="One FMEA worksheet"),
    patch=extend_schema(tags=TAGS, summary="Change an FMEA worksheet"),
)
class FmeaWorksheetDetailView(WorksheetMixin, RecordDetailView):
    serializer_class = FmeaWorksheetSerializer

    def update(self, worksheet, data):
        return services.fmea_worksheet_update(actor=self.request.user, worksheet=worksheet, **data)


WORKSHEET_EVIDENCE = evidence_views(WorksheetMixin, "an FMEA worksheet")


class FmeaRowSerializer(RiskRecordSerializer):
    """A failure mode with S, O and D (1 to 10); RPN = S x O x D is computed."""

    scoped = {"hazard": Hazard}
    hazard = device_records(
        Hazard,
        required=False,
        allow_null=True,
        help_text="Id of the hazard the failure mode reveals.",
    )

    class Meta:
        model = FmeaRow
        fields = [
            "id",
            "worksheet",
            "position",
            "item_function",
            "failure_mode",
            "effect",
            "cause",
            "severity",
            "occurrence",
            "detection",
            "rpn",
            "actions",
            "hazard",
            *EVIDENCE_FIELDS,
            "reason",
        ]
        read_only_fields = [
            "id",
            "worksheet",
            "position",
            "rpn",
            "version",
            "created_at",
            "updated_at",
        ]
        validators = []


@extend_schema_view(
    get=extend_schema(
        tags=TAGS,
        summary="Rows of an FMEA worksheet",
        responses=FmeaRowSerializer(many=True),
    ),
    post=extend_schema(
        tags=TAGS, summary="Add a failure mode to a worksheet", responses={201: FmeaRowSerializer}
    ),
)
class FmeaRowListView(WorksheetMixin, ApiView):
    permission_map = {"GET": perms.RECORD_VIEW, "POST": perms.RISK_CHANGE}
    serializer_class = FmeaRowSerializer

    def get(self, request, pk):
        rows = selectors.fmea_rows(self.get_record(), user=request.user)
        return self.paginated(rows, page_context=signatures_context)

    def post(self, request, pk):
        worksheet = self.get_record()
        form = FmeaRowSerializer(data=request.data, device=worksheet.device)
        form.is_valid(raise_exception=True)
        row = services.fmea_row_create(
            actor=request.user, worksheet=worksheet, **form.validated_data
        )
        return Response(FmeaRowSerializer(row).data, status=status.HTTP_201_CREATED)


FmeaRowMixin = record_mixin("FmeaRowMixin", selectors.access_fmea_row_by_id, "row_id")


@extend_schema_view(
    get=extend_schema(tags=TAGS, summary="One FMEA row"),
    patch=extend_schema(tags=TAGS, summary="Change an FMEA row"),
)
class FmeaRowDetailView(FmeaRowMixin, RecordDetailView):
    serializer_class = FmeaRowSerializer

    def device_of(self, row):
        return row.worksheet.device

    def update(self, row, data):
        return services.fmea_row_update(actor=self.request.user, row=row, **data)


FMEA_ROW_EVIDENCE = evidence_views(FmeaRowMixin, "an FMEA row")


class FmeaHazardSerializer(StrictSerializer):
    category_key = serializers.CharField(required=False, allow_blank=True, max_length=80)
    title = serializers.CharField(
        required=False, allow_blank=True, max_length=300, help_text="Default: the failure mode."
    )
    description = serializers.CharField(required=False, allow_blank=True, max_length=TEXT_MAX)
    origin = serializers.ChoiceField(
        choices=Hazard._meta.get_field("origin").choices, required=False
    )
    reason = reason_field()


@extend_schema_view(
    post=extend_schema(
        tags=TAGS,
        summary="Carry an FMEA failure mode into the risk analysis as a hazard",
        request=FmeaHazardSerializer,
        responses={201: HazardSerializer},
    )
)
class FmeaRowHazardView(FmeaRowMixin, ApiView):
    permission_map = {"POST": perms.RISK_CHANGE}
    serializer_class = FmeaHazardSerializer

    def post(self, request, pk):
        row = self.get_record()
        form = FmeaHazardSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        hazard = services.fmea_row_create_hazard(actor=request.user, row=row, **form.validated_data)
        return Response(HazardSerializer(hazard).data, status=status.HTTP_201_CREATED)


# --- Review and issued reports (9) ------------------------------------------------------------


class RiskReviewSerializer(RiskRecordSerializer):
    class Meta:
        model = RiskReview
        fields = [
            "id",
            "device",
            "conclusions",
            "plan_version",
            "risk_count",
            *EVIDENCE_FIELDS,
            "reason",
        ]
        read_only_fields = [*READ_ONLY, "plan_version", "risk_count"]
        validators = []


ReviewMixin = record_mixin("ReviewMixin", selectors.access_review_by_id, "review_id")


@extend_schema_view(
    get=extend_schema(
        tags=TAGS,
        summary="Risk management reviews of a device",
        responses=RiskReviewSerializer(many=True),
    ),
    post=extend_schema(
        tags=TAGS,
        summary="Record that the risk management review is complete",
        description="Refused (400) while the file has any gap; the errors list every gap.",
        responses={201: RiskReviewSerializer},
    ),
)
class ReviewListView(DeviceRecordsView):
    """ISO 14971:2019 9 — signed by the reviewers."""

    serializer_class = RiskReviewSerializer

    def records(self, device):
        return selectors.reviews(device, user=self.request.user)

    def create(self, device, data):
        return services.risk_review_complete(actor=self.request.user, device=device, **data)


@extend_schema_view(get=extend_schema(tags=TAGS, summary="One risk management review"))
class ReviewDetailView(ReviewMixin, ApiView):
    permission_map = {"GET": perms.RECORD_VIEW}
    serializer_class = RiskReviewSerializer

    def get(self, request, pk):
        return Response(RiskReviewSerializer(self.get_record()).data)


REVIEW_EVIDENCE = evidence_views(ReviewMixin, "a risk management review")


class IssuedReportSerializer(RiskRecordSerializer):
    """An issued risk management report: the exact file, its SHA-256 and who issued it."""

    issued_by_name = serializers.CharField(source="issued_by.full_name", read_only=True)

    class Meta:
        model = IssuedReport
        fields = [
            "id",
            "device",
            "title",
            "format",
            "filename",
            "size",
            "sha256",
            "issued_by",
            "issued_by_name",
            "issued_at",
            "version",
            "signatures",
            "approved",
            "created_at",
        ]
        read_only_fields = fields


class IssuedReportDetailSerializer(IssuedReportSerializer):
    intact = serializers.SerializerMethodField(
        help_text="The stored file still has the SHA-256 recorded when it was issued."
    )

    class Meta(IssuedReportSerializer.Meta):
        fields = [*IssuedReportSerializer.Meta.fields, "intact"]
        read_only_fields = fields

    def get_intact(self, report) -> bool:
        return selectors.report_intact(report)


ReportMixin = record_mixin("ReportMixin", selectors.access_report_by_id, "report_id")


@extend_schema_view(
    get=extend_schema(
        tags=TAGS,
        summary="Issued risk management reports of a device",
        responses=IssuedReportSerializer(many=True),
    )
)
class ReportListView(DeviceMixin, ApiView):
    """ISO 14971:2019 9 — issued reports are immutable; they are issued from the report page."""

    permission_map = {"GET": perms.RECORD_VIEW}
    serializer_class = IssuedReportSerializer

    def get(self, request, pk):
        reports = selectors.issued_reports(self.get_device(), user=request.user)
        return self.paginated(reports, page_context=signatures_context)


@extend_schema_view(get=extend_schema(tags=TAGS, summary="One issued risk management report"))
class ReportDetailView(ReportMixin, ApiView):
    permission_map = {"GET": perms.RECORD_VIEW}
    serializer_class = IssuedReportDetailSerializer

    def get(self, request, pk):
        return Response(IssuedReportDetailSerializer(self.get_record()).data)


REPORT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@extend_schema_view(
    get=extend_schema(
        tags=TAGS,
        summary="Download the file of an issued report",
        responses={
            (200, media): OpenApiResponse(OpenApiTypes.BINARY, description="The issued file.")
            for media in REPORT_TYPES.values()
        },
    )
)
class ReportDownloadView(ReportMixin, ApiView):
    permission_map = {"GET": perms.RECORD_VIEW}
    renderer_classes = [renderers.JSONRenderer, FileRenderer]

    def get(self, request, pk):
        report = self.get_record()
        try:
            handle = report.file.open("rb")
        except (FileNotFoundError, ValueError, OSError):
            raise Http404 from None
        return FileResponse(
            handle,
            as_attachment=True,
            filename=report.filename,
            content_type=REPORT_TYPES.get(report.format, "application/octet-stream"),
        )


REPORT_EVIDENCE = evidence_views(ReportMixin, "an issued report")


# --- The risk table as XLSX -------------------------------------------------------------------


class TableImportSerializer(StrictSerializer):
    file = serializers.FileField(
        max_length=200, help_text="The edited workbook, as exported by GET on this endpoint."
    )
    reason = reason_field()


class TableErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="Spreadsheet row; 1 is the heading; 0 the file.")
    column = serializers.CharField(help_text="The column heading; empty for the whole row.")
    message = serializers.CharField()


class CountsSerializer(serializers.Serializer):
    hazards = serializers.IntegerField()
    situations = serializers.IntegerField()
    harms = serializers.IntegerField()
    risks = serializers.IntegerField()
    controls = serializers.IntegerField()


class TableImportResultSerializer(serializers.Serializer):
    created = CountsSerializer()
    updated = CountsSerializer()
    unchanged = serializers.IntegerField(help_text="Risks the table left as they were.")


class TableImportErrorSerializer(serializers.Serializer):
    file = serializers.ListField(child=serializers.CharField())
    errors = TableErrorSerializer(many=True, help_text="Every error, by row and column.")


@extend_schema_view(
    get=extend_schema(
        tags=TAGS,
        summary="The risk table of a device as XLSX",
        responses={
            (200, XLSX_TYPE): OpenApiResponse(
                OpenApiTypes.BINARY, description="Sheets Risks and Read me."
            )
        },
    ),
    post=extend_schema(
        tags=TAGS,
        summary="Import an edited risk table",
        description="Every row is checked; with any error nothing is imported and the answer "
        "(400) lists every error by row and column.",
        request={"multipart/form-data": TableImportSerializer},
        responses={200: TableImportResultSerializer, 400: TableImportErrorSerializer},
    ),
)
class RiskTableView(DeviceMixin, ApiView):
    """The Excel round trip of the risk table (see `risk.xlsx`)."""

    permission_map = {"GET": perms.RECORD_VIEW, "POST": perms.RISK_CHANGE}
    renderer_classes = [renderers.JSONRenderer, FileRenderer]
    parser_classes = [parsers.MultiPartParser, parsers.FormParser]
    serializer_class = TableImportSerializer

    def get(self, request, pk):
        device = self.get_device()
        content = xlsx.export_risk_table(device)
        response = HttpResponse(content, content_type=XLSX_TYPE)
        name = get_valid_filename(f"risk-table-{device.name}.xlsx")
        response["Content-Disposition"] = content_disposition_header(True, name)
        return response

    def post(self, request, pk):
        device = self.get_device()
        form = TableImportSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        upload = form.validated_data["file"]
        if upload.size > xlsx.MAX_BYTES:
            raise exceptions.ValidationError(
                {"file": [_("The file is larger than %(size)s MB.") % {
                    "size": xlsx.MAX_BYTES // (1024 * 1024)
                }]}
            )  # fmt: skip
        result = xlsx.import_risk_table(
            actor=request.user,
            device=device,
            data=upload.read(),
            reason=form.validated_data.get("reason", ""),
        )
        if not result.ok:
            errors = [
                {"row": e.row, "column": e.column, "message": e.message} for e in result.errors
            ]
            return Response(
                {"file": [result.summary()], "errors": errors}, status=status.HTTP_400_BAD_REQUEST
            )
        return Response(TableImportResultSerializer(result).data)
