"""Competence and training records (ISO 13485:2016 6.2; MDR/IVDR Art. 15 for the PRRC).

Job roles say which controlled documents and competences a role needs; people hold roles
through assignments. When a revision of a required document becomes effective, everyone whose
role requires it gets a training task, completed by a read-and-understood e-signature or by an
instructor-led session with an assessment. Competence records hold the evidence of education,
experience and certificates; effectiveness evaluations check that the training worked.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from samsvar.core.controlled import ControlledModel, VersionedModel

DEFAULT_DUE_DAYS = 30


def _url(name: str, pk) -> str:
    """The record's page; "" while the app's pages are not wired up."""
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return ""


class Method(models.TextChoices):
    READ_UNDERSTOOD = "read_understood", _("Read and understood")
    INSTRUCTOR_LED = "instructor_led", _("Instructor-led")


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")
    SUPERSEDED = "superseded", _("Superseded")


class AssessmentResult(models.TextChoices):
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Failed")


class CompetenceKind(models.TextChoices):
    EDUCATION = "education", _("Education")
    EXPERIENCE = "experience", _("Experience")
    CERTIFICATE = "certificate", _("Certificate")
    TRAINING = "training", _("Training")
    OTHER = "other", _("Other")


class EvaluationMethod(models.TextChoices):
    OBSERVATION = "observation", _("Observation at work")
    TEST = "test", _("Test")
    AUDIT = "audit", _("Audit")
    KPI = "kpi", _("Performance indicator")
    OTHER = "other", _("Other")


class EvaluationResult(models.TextChoices):
    EFFECTIVE = "effective", _("Training effective")
    NOT_EFFECTIVE = "not_effective", _("Training not effective")


class JobRole(ControlledModel):
    """A job role and the documents and competences it requires (ISO 13485 6.2 a).

    Training follows the effective revision of each required document; `due_days` is how long
    a person has, from the effective date or from their assignment, to complete a task.
    """

    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    required_documents = models.ManyToManyField(
        "documents.Document",
        blank=True,
        related_name="required_by_job_roles",
        verbose_name=_("required documents"),
    )
    training_method = models.CharField(
        _("training method"),
        max_length=20,
        choices=Method.choices,
        default=Method.READ_UNDERSTOOD,
        help_text=_("How new training tasks for this role are completed."),
    )
    due_days = models.PositiveSmallIntegerField(
        _("days to complete training"),
        default=DEFAULT_DUE_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("Counted from the effective date of the revision or from the assignment."),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("job role")
        verbose_name_plural = _("job roles")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(due_days__gte=1, due_days__lte=365),
                name="job_role_due_days_range",
            ),
            models.CheckConstraint(
                condition=models.Q(training_method__in=[m.value for m in Method]),
                name="job_role_training_method_valid",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return _url("training:job_role", self.pk)


class CompetenceRequirement(ControlledModel):
    """A competence a job role needs besides its documents, e.g. a servicing certificate."""

    job_role = models.ForeignKey(
        JobRole,
        on_delete=models.PROTECT,
        related_name="competence_requirements",
        verbose_name=_("job role"),
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["job_role", "name"]
        verbose_name = _("competence requirement")
        verbose_name_plural = _("competence requirements")
        constraints = [
            models.UniqueConstraint(
                fields=["job_role", "name"], name="competence_requirement_once_per_role"
            )
        ]

    def __str__(self):
        return f"{self.job_role}: {self.name}"

    def get_absolute_url(self):
        return _url("training:job_role", self.job_role_id)


class RoleAssignment(ControlledModel):
    """A person holding a job role from `since`; `until` is set when they leave it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="role_assignments",
        verbose_name=_("person"),
    )
    job_role = models.ForeignKey(
        JobRole, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("job role")
    )
    since = models.DateField(_("since"))
    until = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        ordering = ["user__full_name", "job_role__name", "-since"]
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "job_role"],
                condition=models.Q(until__isnull=True),
                name="role_assignment_one_current",
            ),
            models.CheckConstraint(
                condition=models.Q(until__isnull=True) | models.Q(until__gte=models.F("since")),
                name="role_assignment_until_after_since",
            ),
        ]

    def __str__(self):
        return f"{self.user}: {self.job_role}"

    def get_absolute_url(self):
        return _url("training:job_role", self.job_role_id)

    @property
    def is_current(self) -> bool:
        return self.until is None


class TrainingTask(VersionedModel):
    """One person's training on one revision of a controlled document (ISO 13485 6.2 b, e).

    Completed by the trainee's read-and-understood signature, or by an instructor-led session
    whose passed assessment the trainee and the trainer sign. The signature freezes the task's
    content; the status is bookkeeping and stays outside it.
    """

    accepts_read_understood = True

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="training_tasks",
        verbose_name=_("trainee"),
    )
    revision = models.ForeignKey(
        "documents.Revision",
        on_delete=models.PROTECT,
        related_name="training_tasks",
        verbose_name=_("revision"),
    )
    job_role = models.ForeignKey(
        JobRole,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("required by job role"),
    )
    method = models.CharField(
        _("method"), max_length=20, choices=Method.choices, default=Method.READ_UNDERSTOOD
    )
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=20, choices=TaskStatus.choices, default=TaskStatus.OPEN
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    status_reason = models.TextField(_("reason for cancelling"), blank=True)
    evaluation = models.ForeignKey(
        "EffectivenessEvaluation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="retraining_tasks",
        verbose_name=_("opened after evaluation"),
        help_text=_("The evaluation that found earlier training not effective."),
    )
    # Instructor-led training: the latest session; every attempt is kept in TrainingAttempt.
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="trainings_given",
        verbose_name=_("trainer"),
    )
    session_date = models.DateField(_("session date"), null=True, blank=True)
    assessment_method = models.CharField(_("assessment method"), max_length=300, blank=True)
    assessment_result = models.CharField(
        _("assessment result"), max_length=10, choices=AssessmentResult.choices, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)

    content_exclude = ("version", "status", "completed_at", "status_reason")

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("training task")
        verbose_name_plural = _("training tasks")
        indexes = [
            models.Index(fields=["status", "due_date"]),
            models.Index(fields=["user", "status"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "revision"],
                condition=models.Q(status="open"),
                name="training_task_one_open_per_revision",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=[s.value for s in TaskStatus]),
                name="training_task_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(method__in=[m.value for m in Method]),
                name="training_task_method_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="completed") | models.Q(completed_at__isnull=False),
                name="training_task_completed_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.revision}: {self.user}"

    def get_absolute_url(self):
        return _url("training:task", self.pk)

    def signed_content(self) -> dict:
        """The signature names the document and revision read, not only their ids."""
        content = super().signed_content()
        content["fields"]["document_number"] = self.revision.document.number
        content["fields"]["revision_label"] = self.revision.label
        return content

    @property
    def is_open(self) -> bool:
        return self.status == TaskStatus.OPEN

    def is_overdue(self, today) -> bool:
        return self.is_open and self.due_date < today


class TrainingAttempt(ControlledModel):
    """One instructor-led session and its assessment; a failed one leaves the task open."""

    task = models.ForeignKey(
        TrainingTask, on_delete=models.PROTECT, related_name="attempts", verbose_name=_("task")
    )
    number = models.PositiveSmallIntegerField(_("attempt"))
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("trainer"),
    )
    session_date = models.DateField(_("session date"))
    assessment_method = models.CharField(_("assessment method"), max_length=300)
    result = models.CharField(_("result"), max_length=10, choices=AssessmentResult.choices)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["task", "number"]
        verbose_name = _("training attempt")
        verbose_name_plural = _("training attempts")
        constraints = [
            models.UniqueConstraint(fields=["task", "number"], name="training_attempt_number"),
        ]

    def __str__(self):
        return f"{self.task} #{self.number}"

    def get_absolute_url(self):
        return _url("training:task", self.task_id)


class CompetenceRecord(ControlledModel):
    """Evidence of a person's education, experience, certificates or training (ISO 13485 6.2 e).

    `prrc_evidence` marks the records that show the PRRC's qualification under MDR/IVDR
    Art. 15(1): a relevant degree and one year of experience, or four years of experience.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="competence_records",
        verbose_name=_("person"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=CompetenceKind.choices)
    title = models.CharField(_("title"), max_length=300)
    issuer = models.CharField(_("issuer"), max_length=300, blank=True)
    date = models.DateField(_("date"))
    expiry_date = models.DateField(_("expiry date"), null=True, blank=True)
    years_experience = models.DecimalField(
        _("years of experience"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(70)],
        help_text=_("For experience: the years in regulatory affairs or quality management."),
    )
    requirement = models.ForeignKey(
        CompetenceRequirement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="records",
        verbose_name=_("meets requirement"),
    )
    evidence_file = models.FileField(_("evidence file"), upload_to="training/", blank=True)
    evidence_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    prrc_evidence = models.BooleanField(
        _("PRRC qualification evidence"),
        default=False,
        help_text=_("Shows the qualification of the PRRC (MDR/IVDR Art. 15)."),
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["user__full_name", "-date", "pk"]
        verbose_name = _("competence record")
        verbose_name_plural = _("competence records")
        indexes = [models.Index(fields=["expiry_date"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=[k.value for k in CompetenceKind]),
                name="competence_record_kind_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(expiry_date__isnull=True)
                | models.Q(expiry_date__gte=models.F("date")),
                name="competence_record_expiry_after_date",
            ),
        ]

    def __str__(self):
        return f"{self.user}: {self.title}"

    def get_absolute_url(self):
        return _url("training:competence", self.pk)

    def is_expired(self, today) -> bool:
        return self.expiry_date is not None and self.expiry_date < today


class EffectivenessEvaluation(VersionedModel):
    """Whether training achieved its aim (ISO 13485 6.2 d), for a task or a job role's document.

    A not-effective result opens new training for the people concerned.
    """

    task = models.ForeignKey(
        TrainingTask,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evaluations",
        verbose_name=_("training task"),
    )
    job_role = models.ForeignKey(
        JobRole,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evaluations",
        verbose_name=_("job role"),
    )
    document = models.ForeignKey(
        "documents.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="training_evaluations",
        verbose_name=_("document"),
    )
    method = models.CharField(_("method"), max_length=20, choices=EvaluationMethod.choices)
    date = models.DateField(_("date"))
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("evaluator"),
    )
    result = models.CharField(_("result"), max_length=20, choices=EvaluationResult.choices)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("training effectiveness evaluation")
        verbose_name_plural = _("training effectiveness evaluations")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(task__isnull=False, job_role__isnull=True, document__isnull=True)
                    | models.Q(task__isnull=True, job_role__isnull=False, document__isnull=False)
                ),
                name="evaluation_task_or_role_document",
            ),
            models.CheckConstraint(
                condition=models.Q(result__in=[r.value for r in EvaluationResult]),
                name="evaluation_result_valid",
            ),
        ]

    def __str__(self):
        if self.task_id:
            return f"{self.task}: {self.get_result_display()} ({self.date})"
        return f"{self.job_role}, {self.document}: {self.get_result_display()} ({self.date})"

    def get_absolute_url(self):
        return _url("training:evaluation", self.pk)
