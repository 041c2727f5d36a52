"""Forms of the training pages. They collect input only: the services validate and save."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from samsvar.core.forms import ServiceModelForm, SignForm
from samsvar.documents.models import Document, DocumentStatus, Revision, RevisionStatus
from samsvar.training import selectors
from samsvar.training.models import (
    AssessmentResult,
    CompetenceRecord,
    EvaluationMethod,
    EvaluationResult,
    JobRole,
    Method,
    TaskStatus,
)
from samsvar.training.services import COMPETENCE_FIELDS, JOB_ROLE_FIELDS

REASON_HELP = _("Why it changes; kept in the audit trail.")


def date_widget():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def reason_field(*, required=False, help_text=REASON_HELP):
    return forms.CharField(
        label=_("Reason for change"), required=required, max_length=500, help_text=help_text
    )


def person_label(user) -> str:
    return user.full_name or user.username


def people_field(queryset, *, label, required=True):
    field = forms.ModelChoiceField(queryset=queryset, label=label, required=required)
    field.label_from_instance = person_label
    return field


def controlled_documents():
    """Documents a job role may require: every document not withdrawn, by number."""
    return Document.objects.exclude(status=DocumentStatus.OBSOLETE).order_by("number")


def document_label(document) -> str:
    return f"{document.number} {document.title}"


# --- Completing training ----------------------------------------------------------------------


class TaskSignForm(SignForm):
    """The password (and authenticator code) that sign a training task; the meaning follows
    from who signs: the trainee reads and understands, the trainer reviews."""

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        del self.fields["meaning"]


class InstructorForm(forms.Form):
    """An instructor-led session and its assessment (ISO 13485 6.2 b, d)."""

    trainer = forms.ModelChoiceField(queryset=None, label=_("Trainer"))
    session_date = forms.DateField(label=_("Session date"), widget=date_widget())
    assessment = forms.CharField(
        label=_("Assessment method"),
        max_length=300,
        help_text=_("e.g. “Written test, 10 questions, pass mark 8” or “Observed at the bench”."),
    )
    result = forms.ChoiceField(
        label=_("Result"), choices=AssessmentResult.choices, widget=forms.RadioSelect
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    reason = reason_field()

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trainer"].queryset = selectors.trainers(user=user)
        self.fields["trainer"].label_from_instance = person_label


class RescheduleForm(forms.Form):
    due_date = forms.DateField(label=_("New due date"), widget=date_widget())
    reason = reason_field(required=True)


class CancelForm(forms.Form):
    reason = reason_field(required=True, help_text=_("Why the training is not needed."))


class TaskCreateForm(forms.Form):
    """Training on an effective revision outside the person's job roles."""

    user = forms.ModelChoiceField(queryset=None, label=_("Trainee"))
    revision = forms.ModelChoiceField(queryset=None, label=_("Document"))
    method = forms.ChoiceField(label=_("Method"), choices=Method.choices)
    due_date = forms.DateField(
        label=_("Due date"),
        required=False,
        widget=date_widget(),
        help_text=_("Empty: 30 days from today."),
    )
    reason = reason_field()

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = selectors.trainees(user=user)
        self.fields["user"].label_from_instance = person_label
        self.fields["revision"].queryset = (
            Revision.objects.filter(status=RevisionStatus.EFFECTIVE)
            .select_related("document")
            .order_by("document__number")
        )
        self.fields["revision"].label_from_instance = lambda r: (
            f"{r.document.number} {r.document.title} (rev. {r.label})"
        )


class TaskFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)
    person = forms.ModelChoiceField(queryset=None, label=_("Person"), required=False)
    document = forms.ModelChoiceField(queryset=None, label=_("Document"), required=False)
    overdue = forms.BooleanField(label=_("Only overdue"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("All")), *TaskStatus.choices]
        self.fields["person"].queryset = (
            get_user_model()
            .objects.filter(training_tasks__isnull=False)
            .distinct()
            .order_by("full_name", "username")
        )
        self.fields["person"].label_from_instance = person_label
        self.fields["document"].queryset = (
            Document.objects.filter(revisions__training_tasks__isnull=False)
            .distinct()
            .order_by("number")
        )
        self.fields["document"].label_from_instance = document_label


class MatrixFilterForm(forms.Form):
    job_role = forms.ModelChoiceField(
        queryset=JobRole.objects.filter(active=True).order_by("name"),
        label=_("Job role"),
        required=False,
        empty_label=_("All job roles"),
    )


# --- Job roles --------------------------------------------------------------------------------


class JobRoleForm(ServiceModelForm):
    """A job role and the documents it requires; `job_role_create`/`_update` validate."""

    reason = reason_field()

    class Meta:
        model = JobRole
        fields = list(JOB_ROLE_FIELDS)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "required_documents": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        documents = self.fields["required_documents"]
        documents.queryset = controlled_documents()
        documents.label_from_instance = document_label
        documents.help_text = _(
            "Everyone in the role trains on the effective revision of each document."
        )


class AssignForm(forms.Form):
    user = forms.ModelChoiceField(queryset=None, label=_("Person"))
    since = forms.DateField(
        label=_("Since"), required=False, widget=date_widget(), help_text=_("Empty: today.")
    )
    reason = reason_field()

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = selectors.trainees(user=user)
        self.fields["user"].label_from_instance = person_label


class AssignmentEndForm(forms.Form):
    until = forms.DateField(
        label=_("Left the role on"),
        required=False,
        widget=date_widget(),
        help_text=_("Empty: today."),
    )
    reason = reason_field(
        required=True, help_text=_("Kept with the assignment and with the training cancelled.")
    )


class RequirementForm(forms.Form):
    name = forms.CharField(
        label=_("Competence"),
        max_length=200,
        help_text=_("e.g. “Insulin pump servicing certificate”."),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    reason = reason_field()


class RequirementRemoveForm(forms.Form):
    requirement = forms.ModelChoiceField(queryset=None, label=_("Competence"))
    reason = reason_field()

    def __init__(self, *args, job_role=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requirement"].queryset = job_role.competence_requirements.order_by("name")
        self.fields["requirement"].label_from_instance = lambda r: r.name


# --- Competence -------------------------------------------------------------------------------


class CompetenceForm(ServiceModelForm):
    """Evidence of education, experience, a certificate or training (ISO 13485 6.2 e)."""

    reason = reason_field()

    class Meta:
        model = CompetenceRecord
        fields = list(COMPETENCE_FIELDS)
        widgets = {
            "date": date_widget(),
            "expiry_date": date_widget(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        person = self.fields["user"]
        person.queryset = (
            get_user_model().objects.filter(is_active=True).order_by("full_name", "username")
        )
        person.label_from_instance = person_label
        self.fields["requirement"].queryset = self.fields["requirement"].queryset.select_related(
            "job_role"
        )
        self.fields["evidence_file"].widget = forms.FileInput()
        self.fields["evidence_file"].help_text = _(
            "A diploma, certificate or CV as PDF, image or office document."
        )


# --- Effectiveness ----------------------------------------------------------------------------


class EvaluationForm(forms.Form):
    """Whether training worked (ISO 13485 6.2 d): for one completed task, or for a job role's
    training on one document."""

    task = forms.ModelChoiceField(
        queryset=None,
        label=_("Completed training task"),
        required=False,
        help_text=_("Either a task, or a job role and a document."),
    )
    job_role = forms.ModelChoiceField(
        queryset=JobRole.objects.order_by("name"), label=_("Job role"), required=False
    )
    document = forms.ModelChoiceField(
        queryset=controlled_documents(), label=_("Document"), required=False
    )
    method = forms.ChoiceField(label=_("Method"), choices=EvaluationMethod.choices)
    date = forms.DateField(label=_("Date"), widget=date_widget())
    evaluator = forms.ModelChoiceField(
        queryset=None,
        label=_("Evaluator"),
        required=False,
        help_text=_("Empty: you."),
    )
    result = forms.ChoiceField(
        label=_("Result"), choices=EvaluationResult.choices, widget=forms.RadioSelect
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was observed or measured; a not-effective result opens new training."),
    )
    reason = reason_field()

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["task"].queryset = selectors.task_list(user=user, status=TaskStatus.COMPLETED)
        self.fields["task"].label_from_instance = lambda t: (
            f"{t.revision.document.number} rev. {t.revision.label}: {person_label(t.user)}"
        )
        self.fields["document"].label_from_instance = document_label
        self.fields["evaluator"].queryset = (
            get_user_model().objects.filter(is_active=True).order_by("full_name", "username")
        )
        self.fields["evaluator"].label_from_instance = person_label
