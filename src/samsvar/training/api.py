"""Competence and training over the API (ISO 13485:2016 6.2; MDR/IVDR Art. 15 for the PRRC).

Job roles and the documents and competences they require, people's assignments to them, the
training tasks that follow the document life cycle and their completion (read and understood by
the trainee's e-signature, or instructor-led with an assessment), competence records, the
effectiveness of training and the training matrix. Every write goes through
`training.services`; bodies are strict.

A training task is signed only through `complete-read` (by its trainee) and `sign-instructor`
(by its trainee and its trainer); a task that is not the caller's to sign is not found there.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import exceptions, serializers, status
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
from samsvar.core.selectors import current_signatures, current_signatures_by_pk
from samsvar.documents.models import Document, Revision
from samsvar.training import selectors, services
from samsvar.training.models import (
    AssessmentResult,
    CompetenceKind,
    CompetenceRecord,
    CompetenceRequirement,
    EffectivenessEvaluation,
    EvaluationMethod,
    EvaluationResult,
    JobRole,
    Method,
    RoleAssignment,
    TaskStatus,
    TrainingTask,
)

TAGS = ["training"]
TEXT_MAX = 5000


def reason_field(help_text="Why it changes; kept in the audit trail."):
    return serializers.CharField(
        write_only=True, required=False, allow_blank=True, max_length=2000, help_text=help_text
    )


def inline_choices(choices, **kwargs) -> serializers.ChoiceField:
    """A choice field whose values the schema lists in place: "method" and "result" mean
    different things on tasks, assessments and evaluations, so no shared enum is named."""
    schema = {"type": "string", "enum": list(choices.values)}
    field_class = extend_schema_field(schema)(
        type(f"{choices.__name__}Field", (serializers.ChoiceField,), {})
    )
    return field_class(choices=choices.choices, **kwargs)


def people():
    return get_user_model().objects.all()


def person_name(user) -> str:
    return (user.full_name or user.username) if user is not None else ""


def signatures_context(page) -> dict:
    return {"signatures": current_signatures_by_pk(list(page))}


class SignaturesMixin(serializers.Serializer):
    """The e-signatures on the record's current version, computed once per page when given."""

    signatures = serializers.SerializerMethodField(help_text="E-signatures on the current version.")

    @extend_schema_field(SignatureSerializer(many=True))
    def get_signatures(self, record):
        by_pk = self.context.get("signatures")
        found = (
            by_pk.get(str(record.pk), []) if by_pk is not None else current_signatures(obj=record)
        )
        return SignatureSerializer(found, many=True).data


class RecordDetailView(ApiView):
    """One record, found by `get_record()` for the user (404 when not visible)."""

    permission_map = {"GET": perms.RECORD_VIEW}

    def get(self, request, pk):
        return Response(self.serializer_class(self.get_record()).data)


class EditableDetailView(RecordDetailView):
    """One record (GET) and a change to some of its fields (PATCH) through `update()`."""

    permission_map = {"GET": perms.RECORD_VIEW, "PATCH": perms.TRAINING_MANAGE}

    def update(self, record, data: dict):
        raise NotImplementedError

    def patch(self, request, pk):
        record = self.get_record()
        form = self.serializer_class(record, data=request.data, partial=True)
        form.is_valid(raise_exception=True)
        self.update(record, dict(form.validated_data))
        return Response(self.serializer_class(self.get_record()).data)


# --- Job roles --------------------------------------------------------------------------------


class TrainingCompetenceRequirementSerializer(serializers.ModelSerializer):
    class Meta:
        model = CompetenceRequirement
        fields = ["id", "name", "description"]
        read_only_fields = fields


class TrainingJobRoleSerializer(StrictModelSerializer):
    """A job role with the documents and competences it requires (ISO 13485 6.2 a).

    Changing `required_documents` opens training for everyone in the role on a newly required
    document and cancels their open training on a document no longer required.
    """

    required_documents = serializers.PrimaryKeyRelatedField(
        queryset=Document.objects.all(),
        many=True,
        required=False,
        help_text="Ids of the controlled documents the role trains on.",
    )
    required_document_numbers = serializers.SerializerMethodField()
    competence_requirements = TrainingCompetenceRequirementSerializer(many=True, read_only=True)
    name = serializers.CharField(max_length=200)
    people = serializers.SerializerMethodField(help_text="Ids of the people holding the role.")
    reason = reason_field()

    class Meta:
        model = JobRole
        fields = [
            "id",
            "name",
            "description",
            "required_documents",
            "required_document_numbers",
            "competence_requirements",
            "training_method",
            "due_days",
            "active",
            "people",
            "created_at",
            "updated_at",
            "reason",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]
        extra_kwargs = {"description": {"max_length": TEXT_MAX}}
        # The service checks the name case-insensitively and names the field.
        validators = []

    def get_required_document_numbers(self, role) -> list[str]:
        return [d.number for d in role.required_documents.all()]

    def get_people(self, role) -> list[int]:
        return [a.user_id for a in role.assignments.all() if a.until is None]


def job_roles(user):
    return selectors.job_role_list(user=user).prefetch_related("assignments")


@extend_schema_view(
    get=extend_schema(
        tags=TAGS, summary="List the job roles", responses=TrainingJobRoleSerializer(many=True)
    ),
    post=extend_schema(
        tags=TAGS, summary="Create a job role", responses={201: TrainingJobRoleSerializer}
    ),
)
class JobRoleListView(ApiView):
    permission_map = {"GET": perms.RECORD_VIEW, "POST": perms.TRAINING_MANAGE}
    serializer_class = TrainingJobRoleSerializer

    def get(self, request):
        return self.paginated(job_roles(request.user))

    def post(self, request):
        form = TrainingJobRoleSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        role = services.job_role_create(actor=request.user, **form.validated_data)
        found = job_roles(request.user).get(pk=role.pk)
        return Response(TrainingJobRoleSerializer(found).data, status=status.HTTP_201_CREATED)


class JobRoleMixin:
    def get_record(self) -> JobRole:
        return selectors.access_job_role_by_id(
            user=self.request.user, job_role_id=self.kwargs["pk"]
        )


@extend_schema_view(
    get=extend_schema(tags=TAGS, summary="Show a job role"),
    patch=extend_schema(tags=TAGS, summary="Change a job role and the documents it requires"),
)
class JobRoleDetailView(JobRoleMixin, EditableDetailView):
    serializer_class = TrainingJobRoleSerializer

    def update(self, record, data):
        services.job_role_update(actor=self.request.user, job_role=record, **data)


class TrainingRequirementAddSerializer(StrictSerializer):
    name = serializers.CharField(max_length=200, help_text='e.g. "Pump servicing certificate".')
    description = serializers.CharField(required=False, allow_blank=True, max_length=TEXT_MAX)
    reason = reason_field()


@extend_schema_view(
    post=extend_schema(
        tags=TAGS,
        summary="Add a competence the job role requires",
        request=TrainingRequirementAddSerializer,
        responses={201: TrainingJobRoleSerializer},
    )
)
class JobRoleRequirementsView(JobRoleMixin, ApiView):
    permission_map = {"POST": perms.TRAINING_MANAGE}
    serializer_class = TrainingRequirementAddSerializer

    def post(self, request, pk):
        role = self.get_record()
        form = TrainingRequirementAddSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        services.competence_requirement_add(
            actor=request.user, job_role=role, **form.validated_data
        )
        return Response(
            TrainingJobRoleSerializer(self.get_record()).data, status=status.HTTP_201_CREATED
        )


# --- Assignments ------------------------------------------------------------------------------


class TrainingAssignmentSerializer(serializers.ModelSerializer):
    """A person holding a job role from `since`; `until` is set when they leave it."""

    user_name = serializers.SerializerMethodField()
    job_role_name = serializers.CharField(source="job_role.name", read_only=True)
    current = serializers.BooleanField(source="is_current", read_only=True)

    class Meta:
        model = RoleAssignment
        fields = [
            "id",
            "user",
            "user_name",
            "job_role",
            "job_role_name",
            "since",
            "until",
            "current",
        ]
        read_only_fields = fields

    def get_user_name(self, assignment) -> str:
        return person_name(assignment.user)


class TrainingAssignmentCreateSerializer(StrictSerializer):
    user = serializers.PrimaryKeyRelatedField(queryset=people(), help_text="The person.")
    job_role = serializers.PrimaryKeyRelatedField(queryset=JobRole.objects.all())
    since = serializers.DateField(required=False, help_text="YYYY-MM-DD; today when left out.")
    reason = reason_field()


class TrainingAssignmentFilterSerializer(serializers.Serializer):
    job_role = serializers.IntegerField(required=False, min_value=1, help_text="Job role id.")
    person = serializers.IntegerField(required=False, min_value=1, help_text="User id.")
    current = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="true: current only, false: ended only; left out: both.",
    )


@extend_schema_view(
    get=extend_schema(
        tags=TAGS,
        summary="List who holds which job role",
        parameters=[TrainingAssignmentFilterSerializer],
        responses=TrainingAssignmentSerializer(many=True),
    ),
    post=extend_schema(
        tags=TAGS,
        summary="Assign a person to a job role and open the training it requires",
        request=TrainingAssignmentCreateSerializer,
        responses={201: TrainingAssignmentSerializer},
    ),
)
class AssignmentListView(ApiView):
    permission_map = {"GET": perms.RECORD_VIEW, "POST": perms.TRAINING_MANAGE}
    serializer_class = TrainingAssignmentSerializer

    def get(self, request):
        filters = query_params(TrainingAssignmentFilterSerializer, request)
        assignments = selectors.assignment_list(user=request.user, current=filters.get("current"))
        if "job_role" in filters:
            assignments = assignments.filter(job_role_id=filters["job_role"])
        if "person" in filters:
            assignments = assignments.filter(user_id=filters["person"])
        return self.paginated(assignments)

    def post(self, request):
        form = TrainingAssignmentCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        assignment = services.role_assignment_create(actor=request.user, **form.validated_data)
        return Response(
            TrainingAssignmentSerializer(assignment).data, status=status.HTTP_201_CREATED
        )


class AssignmentMixin:
    def get_record(self) -> RoleAssignment:
        return selectors.access_assignment_by_id(
            user=self.request.user, assignment_id=self.kwargs["pk"]
        )


@extend_schema_view(get=extend_schema(tags=TAGS, summary="Show a role assignment"))
class AssignmentDetailView(AssignmentMixin, RecordDetailView):
    serializer_class = TrainingAssignmentSerializer


class TrainingAssignmentEndSerializer(StrictSerializer):
    until = serializers.DateField(required=False, help_text="YYYY-MM-DD; today when left out.")
    reason = serializers.CharField(
        max_length=2000,
        help_text="Required: kept with the assignment and with the training it cancels.",
    )


@extend_schema_view(
    post=extend_schema(
        tags=TAGS,
        summary="Record that a person left a job role",
        request=TrainingAssignmentEndSerializer,
        responses=TrainingAssignmentSerializer,
    )
)
class AssignmentEndView(AssignmentMixin, ApiView):
    permission_map = {"POST": perms.TRAINING_MANAGE}
    serializer_class = TrainingAssignmentEndSerializer

    def post(self, request, pk):
        form = TrainingAssignmentEndSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        assignment = services.role_assignment_end(
            actor=request.user, assignment=self.get_record(), **form.validated_data
        )
        return Response(TrainingAssignmentSerializer(assignment).data)


# --- Training tasks ---------------------------------------------------------------------------


TASK_WRITABLE = ("user", "revision", "method", "due_date", "reason")


class TrainingTaskSerializer(SignaturesMixin, StrictModelSerializer):
    """One person's training on one revision of a controlled document (ISO 13485 6.2 b, e).

    A POST gives `user`, `revision` (an effective one), and optionally `method` and `due_date`;
    everything else follows from the task's life.
    """

    user = serializers.PrimaryKeyRelatedField(queryset=people(), help_text="The trainee.")
    user_name = serializers.SerializerMethodField()
    revision = serializers.PrimaryKeyRelatedField(
        queryset=Revision.objects.all(), help_text="An effective revision."
    )
    document = serializers.IntegerField(source="revision.document_id", read_only=True)
    document_number = serializers.CharField(source="revision.document.number", read_only=True)
    document_title = serializers.CharField(source="revision.document.title", read_only=True)
    revision_label = serializers.CharField(source="revision.label", read_only=True)
    method = inline_choices(Method, required=False)
    due_date = serializers.DateField(required=False, help_text="30 days from today when left out.")
    overdue = serializers.SerializerMethodField(help_text="Open and past its due date.")
    reason = reason_field()

    class Meta:
        model = TrainingTask
        fields = [
            "id",
            "user",
            "user_name",
            "revision",
            "document",
            "document_number",
            "document_title",
            "revision_label",
            "job_role",
            "method",
            "due_date",
            "status",
            "overdue",
            "completed_at",
            "status_reason",
            "evaluation",
            "trainer",
            "session_date",
            "assessment_method",
            "assessment_result",
            "notes",
            "version",
            "signatures",
            "created_at",
            "updated_at",
            "reason",
        ]
        read_only_fields = [f for f in fields if f not in TASK_WRITABLE]

    def get_user_name(self, task) -> str:
        return person_name(task.user)

    def get_overdue(self, task) -> bool:
        return task.is_overdue(timezone.localdate())


class TrainingTaskFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=TaskStatus.choices, required=False)
    person = serializers.IntegerField(required=False, min_value=1, help_text="User id.")
    document = serializers.IntegerField(required=False, min_value=1, help_text="Document id.")
    overdue = serializers.BooleanField(required=False, allow_null=True, default=None)
    mine = serializers.BooleanField(
        required=False, default=False, help_text="Only the caller's own tasks."
    )


@extend_schema_view(
    get=extend_schema(
        tags=TAGS,
        summary="List training tasks, soonest due first",
        parameters=[TrainingTaskFilterSerializer],
        responses=TrainingTaskSerializer(many=True),
    ),
    post=extend_schema(
        tags=TAGS,
        summary="Give a person training on an effective revision outside their roles",
        request=TrainingTaskSerializer,
        responses={201: TrainingTaskSerializer},
    ),
)
class TaskListView(ApiView):
    permission_map = {"GET": perms.RECORD_VIEW, "POST": perms.TRAINING_MANAGE}
    serializer_class = TrainingTaskSerializer

    def get(self, request):
        filters = query_params(TrainingTaskFilterSerializer, request)
        tasks = selectors.task_list(
            user=request.user,
            status=filters.get("status", ""),
            overdue=filters.get("overdue"),
        )
        if filters.get("mine"):
            tasks = tasks.filter(user=request.user)
        if "person" in filters:
            tasks = tasks.filter(user_id=filters["person"])
        if "document" in filters:
            tasks = tasks.filter(revision__document_id=filters["document"])
        return self.paginated(tasks, page_context=signatures_context)

    def post(self, request):
        form = TrainingTaskSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        task = services.task_create(actor=request.user, **form.validated_data)
        return Response(TrainingTaskSerializer(task).data, status=status.HTTP_201_CREATED)


class TaskMixin:
    def get_record(self) -> TrainingTask:
        return selectors.access_task_by_id(user=self.request.user, task_id=self.kwargs["pk"])

    def task_response(self):
        return Response(TrainingTaskSerializer(self.get_record()).data)


@extend_schema_view(get=extend_schema(tags=TAGS, summary="Show a training task"))
class TaskDetailView(TaskMixin, RecordDetailView):
    serializer_class = TrainingTaskSerializer


class TrainingSignSerializer(StrictSerializer):
    """Re-authentication for the e-signature (Part 11 §11.200)."""

    password = serializers.CharField(
        write_only=True, max_length=4096, trim_whitespace=False, style={"input_type": "password"}
    )
    otp_token = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=12,
        help_text="The authenticator code, where the signer has enrolled one.",
    )


@extend_schema_view(
    post=extend_schema(
        tags=TAGS,
        summary="Sign my training task as read and understood",
        description="Only the trainee signs; for anyone else the task is not found here. The "
        "signature freezes the task and completes it.",
        request=TrainingSignSerializer,
        responses=TrainingTaskSerializer,
    )
)
class TaskCompleteReadView(TaskMixin, ApiView):
    permission_map = {"POST": perms.TRAINING_TAKE}
    serializer_class = TrainingSignSerializer

    def post(self, request, pk):
        form = TrainingSignSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        task = get_object_or_404(selectors.my_tasks(request.user, include_closed=True), pk=pk)
        services.task_complete_read(actor=request.user, task=task, **form.validated_data)
        return self.task_response()


@extend_schema_view(
    post=extend_schema(
        tags=TAGS,
        summary="Sign a passed instructor-led assessment as trainee or trainer",
        description="The trainee signs read and understood, the trainer reviewed; the second "
        "signature completes the task. For anyone else the task is not found here.",
        request=TrainingSignSerializer,
        responses=TrainingTaskSerializer,
    )
)
class TaskSignInstructorView(TaskMixin, ApiView):
    permission_map = {"POST": perms.TRAINING_TAKE}
    serializer_class = TrainingSignSerializer

    def post(self, request, pk):
        form = TrainingSignSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        mine = selectors.task_list(user=request.user).filter(
            Q(user=request.user) | Q(trainer=request.user)
        )
        task = get_object_or_404(mine, pk=pk)
        services.task_sign_instructor(actor=request.user, task=task, **form.validated_data)
        return self.task_response()


class TrainingInstructorSerializer(StrictSerializer):
    trainer = serializers.PrimaryKeyRelatedField(queryset=people())
    session_date = serializers.DateField(help_text="YYYY-MM-DD, not in the future.")
    assessment = serializers.CharField(
        max_length=300, help_text='How the trainee was assessed, e.g. "Written test".'
    )
    result = inline_choices(AssessmentResult)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=TEXT_MAX)
    reason = reason_field()


@extend_schema_view(
    post=extend_schema(
        tags=TAGS,
        summary="Record an instructor-led session and its assessment",
        description="A failed assessment leaves the task open; after a passed one the trainee "
        "and the trainer sign (sign-instructor).",
        request=TrainingInstructorSerializer,
        responses=TrainingTaskSerializer,
    )
)
class TaskInstructorView(TaskMixin, ApiView):
    permission_map = {"POST": perms.TRAINING_MANAGE}
    serializer_class = TrainingInstructorSerializer

    def post(self, request, pk):
        form = TrainingInstructorSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        services.task_complete_instructor(
            actor=request.user, task=self.get_record(), **form.validated_data
        )
        return self.task_response()


class TrainingRescheduleSerializer(StrictSerializer):
    due_date = serializers.DateField(help_text="YYYY-MM-DD.")
    reason = serializers.CharField(max_length=2000, help_text="Required; kept in the trail.")


class TrainingCancelSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=2000, help_text="Required; kept with the task.")


@extend_schema_view(
    post=extend_schema(
        tags=TAGS,
        summary="Move the due date of an open training task",
        request=TrainingRescheduleSerializer,
        responses=TrainingTaskSerializer,
    )
)
class TaskRescheduleView(TaskMixin, ApiView):
    permission_map = {"POST": perms.TRAINING_MANAGE}
    serializer_class = TrainingRescheduleSerializer

    def post(self, request, pk):
        form = TrainingRescheduleSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        services.task_reschedule(actor=request.user, task=self.get_record(), **form.validated_data)
        return self.task_response()


@extend_schema_view(
    post=extend_schema(
        tags=TAGS,
        summary="Cancel an open training task",
        request=TrainingCancelSerializer,
        responses=TrainingTaskSerializer,
    )
)
class TaskCancelView(TaskMixin, ApiView):
    permission_map = {"POST": perms.TRAINING_MANAGE}
    serializer_class = TrainingCancelSerializer

    def post(self, request, pk):
        form = TrainingCancelSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        services.task_cancel(actor=request.user, task=self.get_record(), **form.validated_data)
        return self.task_response()


# --- Competence records -----------------------------------------------------------------------


class CompetenceRecordSerializer(StrictModelSerializer):
    """Evidence of a person's education, experience, certificates or training (6.2 e).

    `prrc_evidence` marks the records that show the PRRC's qualification (MDR/IVDR Art. 15(1)).
    An evidence file is sent as multipart/form-data; it is never served from a public URL.
    """

    user = serializers.PrimaryKeyRelatedField(queryset=people())
    user_name = serializers.SerializerMethodField()
    requirement = serializers.PrimaryKeyRelatedField(
        queryset=CompetenceRequirement.objects.all(), required=False, allow_null=True
    )
    evidence_file = serializers.FileField(
        write_only=True, required=False, help_text="A PDF, image or office document."
    )
    has_evidence_file = serializers.SerializerMethodField()
    expired = serializers.SerializerMethodField(help_text="The expiry date has passed.")
    reason = reason_field()

    class Meta:
        model = CompetenceRecord
        fields = [
            "id",
            "user",
            "user_name",
            "kind",
            "title",
            "issuer",
            "date",
            "expiry_date",
            "expired",
            "years_experience",
            "requirement",
            "prrc_evidence",
            "evidence_file",
            "has_evidence_file",
            "evidence_sha256",
            "notes",
            "created_at",
            "updated_at",
            "reason",
        ]
        read_only_fields = ["id", "evidence_sha256", "created_at", "updated_at"]
        extra_kwargs = {"notes": {"max_length": TEXT_MAX}}

    def get_user_name(self, record) -> str:
        return person_name(record.user)

    def get_has_evidence_file(self, record) -> bool:
        return bool(record.evidence_file)

    def get_expired(self, record) -> bool:
        return record.is_expired(timezone.localdate())


class CompetenceRecordFilterSerializer(serializers.Serializer):
    person = serializers.IntegerField(required=False, min_value=1, help_text="User id.")
    kind = serializers.ChoiceField(choices=CompetenceKind.choices, required=False)
    expiring_within = serializers.IntegerField(
        required=False, min_value=0, max_value=3650, help_text="Days from today."
    )
    expired = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Only records that have expired and were not renewed.",
    )
    prrc_evidence = serializers.BooleanField(required=False, allow_null=True, default=None)


@extend_schema_view(
    get=extend_schema(
        tags=TAGS,
        summary="List competence records",
        parameters=[CompetenceRecordFilterSerializer],
        responses=CompetenceRecordSerializer(many=True),
    ),
    post=extend_schema(
        tags=TAGS,
        summary="Record a person's competence",
        responses={201: CompetenceRecordSerializer},
    ),
)
class CompetenceListView(ApiView):
    permission_map = {"GET": perms.RECORD_VIEW, "POST": perms.TRAINING_MANAGE}
    serializer_class = CompetenceRecordSerializer

    def get(self, request):
        filters = query_params(CompetenceRecordFilterSerializer, request)
        user = request.user
        if filters.get("expired"):
            records = selectors.competences_expired(user=user)
        elif "expiring_within" in filters:
            records = selectors.competences_expiring(
                within_days=filters["expiring_within"], user=user
            )
        else:
            records = selectors.competence_list(user=user)
        if "person" in filters:
            records = records.filter(user_id=filters["person"])
        if "kind" in filters:
            records = records.filter(kind=filters["kind"])
        if filters.get("prrc_evidence") is not None:
            records = records.filter(prrc_evidence=filters["prrc_evidence"])
        return self.paginated(records.select_related("user"))

    def post(self, request):
        form = CompetenceRecordSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        record = services.competence_record_create(actor=request.user, **form.validated_data)
        return Response(CompetenceRecordSerializer(record).data, status=status.HTTP_201_CREATED)


class CompetenceMixin:
    def get_record(self) -> CompetenceRecord:
        return selectors.access_competence_by_id(
            user=self.request.user, record_id=self.kwargs["pk"]
        )


@extend_schema_view(
    get=extend_schema(tags=TAGS, summary="Show a competence record"),
    patch=extend_schema(tags=TAGS, summary="Correct or renew a competence record"),
)
class CompetenceDetailView(CompetenceMixin, EditableDetailView):
    serializer_class = CompetenceRecordSerializer

    def update(self, record, data):
        services.competence_record_update(actor=self.request.user, record=record, **data)


# --- Effectiveness evaluations ----------------------------------------------------------------


class TrainingEvaluationSerializer(SignaturesMixin, StrictModelSerializer):
    """Whether training achieved its aim (ISO 13485 6.2 d), for one completed `task` or for a
    `job_role` and `document`. A not-effective result opens new training (`retraining_tasks`).
    """

    task = serializers.PrimaryKeyRelatedField(
        queryset=TrainingTask.objects.all(),
        required=False,
        allow_null=True,
        help_text="A completed task; or give job_role and document.",
    )
    job_role = serializers.PrimaryKeyRelatedField(
        queryset=JobRole.objects.all(), required=False, allow_null=True
    )
    document = serializers.PrimaryKeyRelatedField(
        queryset=Document.objects.all(), required=False, allow_null=True
    )
    method = inline_choices(EvaluationMethod)
    date = serializers.DateField(help_text="YYYY-MM-DD, not in the future.")
    evaluator = serializers.PrimaryKeyRelatedField(
        queryset=people(), required=False, allow_null=True, help_text="The caller when left out."
    )
    evaluator_name = serializers.SerializerMethodField()
    result = inline_choices(EvaluationResult)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=TEXT_MAX)
    retraining_tasks = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    reason = reason_field()

    class Meta:
        model = EffectivenessEvaluation
        fields = [
            "id",
            "task",
            "job_role",
            "document",
            "method",
            "date",
            "evaluator",
            "evaluator_name",
            "result",
            "notes",
            "retraining_tasks",
            "version",
            "signatures",
            "created_at",
            "updated_at",
            "reason",
        ]
        read_only_fields = ["id", "version", "created_at", "updated_at"]

    def get_evaluator_name(self, evaluation) -> str:
        return person_name(evaluation.evaluator)


class TrainingEvaluationFilterSerializer(serializers.Serializer):
    result = serializers.ChoiceField(choices=EvaluationResult.choices, required=False)


@extend_schema_view(
    get=extend_schema(
        tags=TAGS,
        summary="List training effectiveness evaluations, newest first",
        parameters=[TrainingEvaluationFilterSerializer],
        responses=TrainingEvaluationSerializer(many=True),
    ),
    post=extend_schema(
        tags=TAGS,
        summary="Record whether training was effective",
        description="A not-effective result opens new training for the people concerned.",
        request=TrainingEvaluationSerializer,
        responses={201: TrainingEvaluationSerializer},
    ),
)
class EvaluationListView(ApiView):
    permission_map = {"GET": perms.RECORD_VIEW, "POST": perms.TRAINING_MANAGE}
    serializer_class = TrainingEvaluationSerializer

    def get(self, request):
        filters = query_params(TrainingEvaluationFilterSerializer, request)
        evaluations = selectors.evaluation_list(user=request.user, result=filters.get("result", ""))
        return self.paginated(evaluations, page_context=signatures_context)

    def post(self, request):
        form = TrainingEvaluationSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        evaluation = services.effectiveness_evaluation_create(
            actor=request.user, **form.validated_data
        )
        return Response(
            TrainingEvaluationSerializer(evaluation).data, status=status.HTTP_201_CREATED
        )


class EvaluationMixin:
    def get_record(self) -> EffectivenessEvaluation:
        return selectors.access_evaluation_by_id(
            user=self.request.user, evaluation_id=self.kwargs["pk"]
        )


@extend_schema_view(get=extend_schema(tags=TAGS, summary="Show an effectiveness evaluation"))
class EvaluationDetailView(EvaluationMixin, RecordDetailView):
    serializer_class = TrainingEvaluationSerializer


# --- History, versions, signing ---------------------------------------------------------------


def history_view(mixin, noun: str):
    return extend_schema_view(get=extend_schema(tags=TAGS, summary=f"Audit events about {noun}"))(
        type(f"{mixin.__name__}HistoryView", (mixin, RecordHistoryView), {})
    )


def versions_view(mixin, noun: str):
    return extend_schema_view(
        get=extend_schema(tags=TAGS, summary=f"Frozen (signed) versions of {noun}")
    )(type(f"{mixin.__name__}VersionsView", (mixin, RecordVersionsView), {}))


JobRoleHistoryView = history_view(JobRoleMixin, "a job role")
AssignmentHistoryView = history_view(AssignmentMixin, "a role assignment")
TaskHistoryView = history_view(TaskMixin, "a training task")
TaskVersionsView = versions_view(TaskMixin, "a training task")
CompetenceHistoryView = history_view(CompetenceMixin, "a competence record")
EvaluationHistoryView = history_view(EvaluationMixin, "an effectiveness evaluation")
EvaluationVersionsView = versions_view(EvaluationMixin, "an effectiveness evaluation")
EvaluationSignView = extend_schema_view(
    post=extend_schema(
        tags=TAGS,
        summary="E-sign the current version of an effectiveness evaluation",
        responses={201: SignatureSerializer},
    )
)(type("EvaluationSignView", (EvaluationMixin, RecordSignView), {}))


# --- The training matrix ----------------------------------------------------------------------


class TrainingMatrixColumnSerializer(serializers.Serializer):
    document = serializers.IntegerField(source="document_id")
    number = serializers.CharField()
    title = serializers.CharField()
    revision = serializers.IntegerField(source="revision_id", help_text="The effective revision.")
    revision_label = serializers.CharField()


class TrainingMatrixCellSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=selectors.MatrixStatus.choices)
    colour = serializers.ChoiceField(choices=["green", "amber", "red", "grey"])
    required = serializers.BooleanField(help_text="A current job role requires the document.")
    due_date = serializers.DateField(allow_null=True)
    task = serializers.IntegerField(source="task_id", allow_null=True)
    trained_revision_label = serializers.CharField(
        source="trained_label", help_text="The revision last completed, if any."
    )
    completed_at = serializers.DateTimeField(allow_null=True)


class TrainingMatrixRowSerializer(serializers.Serializer):
    user = serializers.IntegerField(source="user_id")
    name = serializers.CharField()
    username = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField())
    cells = TrainingMatrixCellSerializer(many=True, help_text="One per column, in column order.")


class TrainingMatrixLegendSerializer(serializers.Serializer):
    status = serializers.CharField()
    label = serializers.CharField()
    colour = serializers.CharField()
    count = serializers.IntegerField()


class TrainingMatrixSerializer(serializers.Serializer):
    today = serializers.DateField()
    columns = TrainingMatrixColumnSerializer(many=True)
    rows = TrainingMatrixRowSerializer(many=True)
    legend = TrainingMatrixLegendSerializer(many=True)


class TrainingMatrixFilterSerializer(serializers.Serializer):
    job_role = serializers.IntegerField(
        required=False, min_value=1, help_text="Only this role's people and documents."
    )


@extend_schema_view(
    get=extend_schema(
        tags=TAGS,
        summary="The training matrix: people by documents with a status per cell",
        parameters=[TrainingMatrixFilterSerializer],
        responses=TrainingMatrixSerializer,
    )
)
class MatrixView(ApiView):
    permission_map = {"GET": perms.RECORD_VIEW}
    serializer_class = TrainingMatrixSerializer

    def get(self, request):
        filters = query_params(TrainingMatrixFilterSerializer, request)
        users = documents = None
        if "job_role" in filters:
            try:
                role = selectors.access_job_role_by_id(
                    user=request.user, job_role_id=filters["job_role"]
                )
            except Http404:
                raise exceptions.ValidationError({"job_role": [_("No such job role.")]}) from None
            users = [a.user for a in selectors.assignment_list(user=request.user, job_role=role)]
            documents = list(role.required_documents.all())
        matrix = selectors.training_matrix(users=users, documents=documents, user=request.user)
        counts = matrix.counts()
        legend = [
            {
                "status": s.value,
                "label": str(s.label),
                "colour": selectors.COLOURS[s],
                "count": counts[s.value],
            }
            for s in selectors.MatrixStatus
        ]
        data = {
            "today": matrix.today,
            "columns": matrix.columns,
            "rows": matrix.rows,
            "legend": legend,
        }
        return Response(TrainingMatrixSerializer(data).data)
