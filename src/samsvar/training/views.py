"""Training pages (ISO 13485:2016 6.2): my training, all tasks, the training matrix, job roles,
competence records with the PRRC's qualification evidence (MDR/IVDR Art. 15), expiring
certificates and the effectiveness of training."""

import datetime as dt
from collections import Counter, defaultdict

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from samsvar.accounts.models import Prrc
from samsvar.core import permissions as perms
from samsvar.core import selectors as core_selectors
from samsvar.core.models import SignatureMeaning
from samsvar.core.views import (
    HtmxPartialMixin,
    Protected,
    RecordSignView,
    ServiceFormView,
    paginate,
)
from samsvar.documents.markdown import render_markdown
from samsvar.documents.selectors import can_download_revision
from samsvar.reports.render import XLSX_TYPE, file_response
from samsvar.training import selectors, services
from samsvar.training.forms import (
    AssignForm,
    AssignmentEndForm,
    CancelForm,
    CompetenceForm,
    EvaluationForm,
    InstructorForm,
    JobRoleForm,
    MatrixFilterForm,
    RequirementForm,
    RequirementRemoveForm,
    RescheduleForm,
    TaskCreateForm,
    TaskFilterForm,
    TaskSignForm,
)
from samsvar.training.models import AssessmentResult, Method, TaskStatus

EXPIRY_WINDOW_DAYS = 60
DUE_SOON_DAYS = 14


def revision_reading(revision, user) -> dict:
    """What the trainee reads: the revision's text rendered safely, its page, and its controlled
    copy and attached file where the user may download them (ISO 13485 4.2.4)."""
    downloadable = can_download_revision(user, revision)
    return {
        "revision": revision,
        "content_html": render_markdown(revision.content_md) if revision.content_md else "",
        "revision_url": revision.get_absolute_url(),
        "controlled_copy_url": (
            reverse("documents:revision_copy", args=[revision.pk]) if downloadable else ""
        ),
        "attachment_url": (
            reverse("documents:revision_file", args=[revision.pk])
            if downloadable and revision.attachment
            else ""
        ),
    }


def signing_role(user, task) -> str:
    """The meaning with which `user` still has to sign `task`, or "" when they have nothing
    to sign: the trainee reads and understands, the trainer of a passed session reviews."""
    if task.status != TaskStatus.OPEN or user is None:
        return ""
    if task.method == Method.READ_UNDERSTOOD:
        return SignatureMeaning.READ_UNDERSTOOD if user.pk == task.user_id else ""
    if task.assessment_result != AssessmentResult.PASSED:
        return ""
    if user.pk == task.user_id:
        meaning = SignatureMeaning.READ_UNDERSTOOD
    elif user.pk == task.trainer_id:
        meaning = services.TRAINER_MEANING
    else:
        return ""
    signed = {(s.signer_id, s.meaning) for s in core_selectors.current_signatures(obj=task)}
    return "" if (user.pk, meaning.value) in signed else meaning


def access_person(pk):
    """A person's training record is read by everyone with RECORD_VIEW (ISO 13485 6.2 e)."""
    try:
        return get_user_model().objects.get(pk=int(pk))
    except (get_user_model().DoesNotExist, ValueError, TypeError):
        raise Http404("No such person") from None


def form_with_user(view, form_class, **extra):
    kwargs = view.get_form_kwargs()
    return form_class(user=view.request.user, **kwargs, **extra)


# --- My training and the task list ------------------------------------------------------------


class MyTasksView(Protected, TemplateView):
    """The signed-in person's open training, overdue first, and what they completed lately."""

    permission = perms.RECORD_VIEW
    template_name = "training/my_tasks.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        today = timezone.localdate()
        tasks = list(selectors.my_tasks(user))
        context["today"] = today
        context["overdue"] = [t for t in tasks if t.due_date < today]
        context["open"] = [t for t in tasks if t.due_date >= today]
        context["to_sign_as_trainer"] = list(
            selectors.task_list(user=user, status=TaskStatus.OPEN).filter(
                trainer=user, assessment_result=AssessmentResult.PASSED
            )
        )
        context["completed"] = list(
            selectors.my_tasks(user, include_closed=True)
            .filter(status=TaskStatus.COMPLETED)
            .order_by("-completed_at")[:10]
        )
        context["can_train"] = perms.has_perm(user, perms.TRAINING_TAKE)
        return context


class TaskListView(Protected, HtmxPartialMixin, TemplateView):
    permission = perms.RECORD_VIEW
    template_name = "training/task_list.html"
    partial_template_name = "training/_task_table.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = TaskFilterForm(self.request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {}
        tasks = selectors.task_list(
            user=self.request.user,
            status=filters.get("status", ""),
            person=filters.get("person"),
            document=filters.get("document"),
            overdue=True if filters.get("overdue") else None,
        )
        context.update(filter_form=form, page=paginate(self.request, tasks))
        context["today"] = timezone.localdate()
        return context


class TaskMixin:
    def prepare(self, request, *args, **kwargs):
        super().prepare(request, *args, **kwargs)
        self.task = selectors.access_task_by_id(user=request.user, task_id=kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["task"] = self.task
        context["today"] = timezone.localdate()
        return context

    def fresh_task(self):
        """The stored task, so a refused change leaves nothing behind in memory."""
        return selectors.access_task_by_id(user=self.request.user, task_id=self.task.pk)

    def success_url_for(self, result):
        return reverse("training:task", args=[self.task.pk])


class TaskDetailView(TaskMixin, Protected, TemplateView):
    """One task: the revision to read, the signatures, the instructor-led sessions, history."""

    permission = perms.RECORD_VIEW
    template_name = "training/task_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        task = self.task
        user = self.request.user
        context.update(revision_reading(task.revision, user))
        context["signatures"] = list(core_selectors.current_signatures(obj=task))
        context["attempts"] = list(task.attempts.select_related("trainer"))
        context["evaluations"] = list(task.evaluations.select_related("evaluator"))
        context["events"] = core_selectors.record_history(user=user, obj=task)[:50]
        meaning = signing_role(user, task)
        if meaning:
            context["sign_meaning"] = SignatureMeaning(meaning).label
            context["sign_form"] = TaskSignForm(user)
        return context


class TaskSignView(TaskMixin, Protected, ServiceFormView):
    """Sign a training task: read and understood by the trainee (Part 11 §11.200: password,
    and the authenticator code where enrolled); the trainer's review of a passed session."""

    permission = perms.TRAINING_TAKE
    template_name = "training/task_sign.html"

    def get_form(self, form_class=None):
        return TaskSignForm(self.request.user, **self.get_form_kwargs())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(revision_reading(self.task.revision, self.request.user))
        meaning = signing_role(self.request.user, self.task)
        context["sign_meaning"] = SignatureMeaning(meaning).label if meaning else ""
        context["signatures"] = list(core_selectors.current_signatures(obj=self.task))
        return context

    def perform(self, data):
        task = self.fresh_task()
        sign = (
            services.task_complete_read
            if task.method == Method.READ_UNDERSTOOD
            else services.task_sign_instructor
        )
        sign(actor=self.request.user, task=task, **data)
        return task

    def success_message_for(self, result):
        result.refresh_from_db()
        if result.status == TaskStatus.COMPLETED:
            return _("Signed: %(task)s. The training is completed.") % {"task": result.revision}
        return _("Signed: %(task)s. The other signature is still needed.") % {
            "task": result.revision
        }

    def success_url_for(self, result):
        if result.user_id == self.request.user.pk:
            return reverse("training:my_tasks")
        return reverse("training:task", args=[result.pk])


class TaskInstructorView(TaskMixin, Protected, ServiceFormView):
    """Record an instructor-led session: trainer, date, assessment and its result."""

    permission = perms.TRAINING_MANAGE
    template_name = "training/task_form.html"

    def get_form(self, form_class=None):
        initial = {"session_date": timezone.localdate()}
        if self.task.trainer_id:
            initial.update(trainer=self.task.trainer_id, assessment=self.task.assessment_method)
        kwargs = self.get_form_kwargs()
        kwargs["initial"] = {**initial, **kwargs.get("initial", {})}
        return InstructorForm(user=self.request.user, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Instructor-led training")
        context["attempts"] = list(self.task.attempts.select_related("trainer"))
        return context

    def perform(self, data):
        return services.task_complete_instructor(
            actor=self.request.user, task=self.fresh_task(), **data
        )

    def success_message_for(self, result):
        if result.assessment_result == AssessmentResult.PASSED:
            return _("Assessment passed. The trainee and the trainer now sign the training.")
        return _("Assessment failed. The task stays open for another session.")


class TaskRescheduleView(TaskMixin, Protected, ServiceFormView):
    permission = perms.TRAINING_MANAGE
    template_name = "training/task_form.html"
    form_class = RescheduleForm

    def get_initial(self):
        return {"due_date": self.task.due_date}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Change the due date")
        return context

    def perform(self, data):
        return services.task_reschedule(actor=self.request.user, task=self.fresh_task(), **data)

    def success_message_for(self, result):
        return _("The task is now due on %(date)s.") % {"date": result.due_date.isoformat()}


class TaskCancelView(TaskMixin, Protected, ServiceFormView):
    permission = perms.TRAINING_MANAGE
    template_name = "training/task_form.html"
    form_class = CancelForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Cancel the training")
        context["danger"] = True
        return context

    def perform(self, data):
        return services.task_cancel(actor=self.request.user, task=self.fresh_task(), **data)

    def success_message_for(self, result):
        return _("The task was cancelled.")


class TaskCreateView(Protected, ServiceFormView):
    """Training on an effective revision outside the person's job roles."""

    permission = perms.TRAINING_MANAGE
    template_name = "training/simple_form.html"

    def get_form(self, form_class=None):
        return form_with_user(self, TaskCreateForm)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("New training task")
        context["cancel_url"] = reverse("training:tasks")
        return context

    def perform(self, data):
        return services.task_create(actor=self.request.user, **data)

    def success_message_for(self, result):
        return _("%(person)s has a new training task on %(revision)s.") % {
            "person": result.user,
            "revision": result.revision,
        }


# --- The training matrix ----------------------------------------------------------------------


class MatrixMixin:
    def matrix_scope(self):
        """(form, job role, people, documents) for the job role filter; None: everyone."""
        form = MatrixFilterForm(self.request.GET or None)
        role = form.cleaned_data.get("job_role") if form.is_valid() else None
        if role is None:
            return form, None, None, None
        holders = selectors.assignment_list(user=self.request.user, job_role=role)
        return form, role, [a.user for a in holders], list(role.required_documents.all())


class MatrixView(MatrixMixin, Protected, TemplateView):
    """People by documents, coloured by training status (ISO 13485 6.2 e)."""

    permission = perms.RECORD_VIEW
    template_name = "training/matrix.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form, role, users, documents = self.matrix_scope()
        matrix = with_links(
            selectors.training_matrix(users=users, documents=documents, user=self.request.user)
        )
        context.update(filter_form=form, job_role=role, matrix=matrix)
        context["legend"] = legend(matrix)
        context["export_query"] = self.request.GET.urlencode()
        return context


def with_links(matrix):
    """Give each column the address of its document's page."""
    for column in matrix.columns:
        column.url = reverse("documents:detail", args=[column.document_id])
    return matrix


def legend(matrix) -> list[dict]:
    counts = matrix.counts()
    return [
        {
            "status": status.value,
            "label": status.label,
            "colour": selectors.COLOURS[status],
            "count": counts[status.value],
        }
        for status in selectors.MatrixStatus
    ]


class MatrixXlsxView(MatrixMixin, Protected, View):
    permission = perms.RECORD_VIEW

    def get(self, request):
        _form, _role, users, documents = self.matrix_scope()
        content = selectors.training_matrix_xlsx(
            users=users, documents=documents, user=request.user
        )
        filename = f"training-matrix-{timezone.localdate():%Y-%m-%d}.xlsx"
        return file_response(content, filename, XLSX_TYPE)


# --- Job roles and assignments ----------------------------------------------------------------


class JobRoleListView(Protected, TemplateView):
    permission = perms.RECORD_VIEW
    template_name = "training/job_role_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        roles = list(selectors.job_role_list(user=self.request.user))
        holders = defaultdict(list)
        for assignment in selectors.assignment_list(user=self.request.user):
            holders[assignment.job_role_id].append(assignment.user)
        context["roles"] = [(role, holders[role.pk]) for role in roles]
        return context


class JobRoleMixin:
    def prepare(self, request, *args, **kwargs):
        super().prepare(request, *args, **kwargs)
        self.job_role = selectors.access_job_role_by_id(user=request.user, job_role_id=kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["job_role"] = self.job_role
        return context

    def fresh_role(self):
        return selectors.access_job_role_by_id(user=self.request.user, job_role_id=self.job_role.pk)

    def success_url_for(self, result):
        return reverse("training:job_role", args=[self.job_role.pk])


class JobRoleDetailView(JobRoleMixin, Protected, TemplateView):
    """A job role: its documents, competences and people, and their training on it."""

    permission = perms.RECORD_VIEW
    template_name = "training/job_role_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        role = self.job_role
        current = list(selectors.assignment_list(user=user, job_role=role))
        context["assignments"] = current
        context["past"] = list(selectors.assignment_list(user=user, job_role=role, current=False))
        documents = list(role.required_documents.select_related("current_revision"))
        context["documents"] = documents
        context["requirements"] = list(role.competence_requirements.all())
        context["matrix"] = with_links(
            selectors.training_matrix(
                users=[a.user for a in current], documents=documents, user=user
            )
        )
        context["gaps"] = [
            gap
            for gap in selectors.competence_gaps(user=user, people=[a.user for a in current])
            if gap.requirement.job_role_id == role.pk
        ]
        context["evaluations"] = list(
            selectors.evaluation_list(user=user).filter(job_role=role)[:20]
        )
        context["events"] = core_selectors.record_history(user=user, obj=role)[:50]
        if perms.has_perm(user, perms.TRAINING_MANAGE):
            context["assign_form"] = AssignForm(user=user)
            context["requirement_form"] = RequirementForm()
        return context


class JobRoleCreateView(Protected, ServiceFormView):
    permission = perms.TRAINING_MANAGE
    template_name = "training/job_role_form.html"
    form_class = JobRoleForm

    def perform(self, data):
        return services.job_role_create(actor=self.request.user, **data)

    def success_message_for(self, result):
        return _("The job role %(name)s was created.") % {"name": result.name}


class JobRoleEditView(JobRoleMixin, Protected, ServiceFormView):
    permission = perms.TRAINING_MANAGE
    template_name = "training/job_role_form.html"
    form_class = JobRoleForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.job_role
        return kwargs

    def perform(self, data):
        return services.job_role_update(actor=self.request.user, job_role=self.fresh_role(), **data)

    def success_message_for(self, result):
        return _("The job role %(name)s was saved.") % {"name": result.name}


class JobRoleAssignView(JobRoleMixin, Protected, ServiceFormView):
    """Assign a person to the role; the tasks the role requires open at once."""

    permission = perms.TRAINING_MANAGE
    template_name = "training/job_role_action.html"

    def get_form(self, form_class=None):
        return form_with_user(self, AssignForm)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Assign a person")
        return context

    def perform(self, data):
        return services.role_assignment_create(
            actor=self.request.user, job_role=self.fresh_role(), **data
        )

    def success_message_for(self, result):
        opened = selectors.task_list(user=self.request.user, person=result.user).filter(
            job_role=result.job_role, status=TaskStatus.OPEN
        )
        return _("%(person)s now holds the role %(role)s. Open training tasks: %(n)s.") % {
            "person": result.user,
            "role": result.job_role,
            "n": opened.count(),
        }


class RequirementAddView(JobRoleMixin, Protected, ServiceFormView):
    permission = perms.TRAINING_MANAGE
    template_name = "training/job_role_action.html"
    form_class = RequirementForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Add a required competence")
        return context

    def perform(self, data):
        return services.competence_requirement_add(
            actor=self.request.user, job_role=self.fresh_role(), **data
        )

    def success_message_for(self, result):
        return _("%(role)s now requires %(name)s.") % {"role": result.job_role, "name": result.name}


class RequirementRemoveView(JobRoleMixin, Protected, ServiceFormView):
    permission = perms.TRAINING_MANAGE
    template_name = "training/job_role_action.html"

    def get_form(self, form_class=None):
        return RequirementRemoveForm(job_role=self.job_role, **self.get_form_kwargs())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Remove a required competence")
        context["danger"] = True
        return context

    def perform(self, data):
        services.competence_requirement_remove(actor=self.request.user, **data)
        return self.job_role

    def success_message_for(self, result):
        return _("The competence requirement was removed.")


class AssignmentEndView(Protected, ServiceFormView):
    """Record that a person left a role; their training no other role needs is cancelled."""

    permission = perms.TRAINING_MANAGE
    template_name = "training/job_role_action.html"
    form_class = AssignmentEndForm

    def prepare(self, request, *args, **kwargs):
        self.assignment = selectors.access_assignment_by_id(
            user=request.user, assignment_id=kwargs["pk"]
        )
        self.job_role = self.assignment.job_role

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(job_role=self.job_role, assignment=self.assignment)
        context["title"] = _("%(person)s leaves the role") % {"person": self.assignment.user}
        return context

    def perform(self, data):
        assignment = selectors.access_assignment_by_id(
            user=self.request.user, assignment_id=self.assignment.pk
        )
        return services.role_assignment_end(actor=self.request.user, assignment=assignment, **data)

    def success_url_for(self, result):
        return reverse("training:job_role", args=[result.job_role_id])

    def success_message_for(self, result):
        return _("%(person)s left the role %(role)s on %(date)s.") % {
            "person": result.user,
            "role": result.job_role,
            "date": result.until.isoformat(),
        }


# --- Competence -------------------------------------------------------------------------------


class PeopleView(Protected, TemplateView):
    """Everyone's roles, competence records, open training and the PRRC among them."""

    permission = perms.RECORD_VIEW
    template_name = "training/people.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        today = timezone.localdate()
        people = list(
            get_user_model().objects.filter(is_active=True).order_by("full_name", "username")
        )
        roles = defaultdict(list)
        for assignment in selectors.assignment_list(user=user):
            roles[assignment.user_id].append(assignment.job_role)
        records = Counter(selectors.competence_list(user=user).values_list("user_id", flat=True))
        expiring = Counter(
            selectors.competences_expiring(today, EXPIRY_WINDOW_DAYS, user=user).values_list(
                "user_id", flat=True
            )
        )
        expired = Counter(
            selectors.competences_expired(today, user=user).values_list("user_id", flat=True)
        )
        open_tasks = Counter(
            selectors.task_list(user=user, status=TaskStatus.OPEN).values_list("user_id", flat=True)
        )
        overdue = Counter(
            selectors.tasks_overdue(today, user=user).values_list("user_id", flat=True)
        )
        prrcs = set(
            Prrc.objects.filter(active=True, user__isnull=False).values_list("user_id", flat=True)
        )
        context["rows"] = [
            {
                "person": person,
                "roles": roles[person.pk],
                "records": records[person.pk],
                "expiring": expiring[person.pk],
                "expired": expired[person.pk],
                "open": open_tasks[person.pk],
                "overdue": overdue[person.pk],
                "prrc": person.pk in prrcs,
            }
            for person in people
        ]
        context["gaps"] = selectors.competence_gaps(user=user)
        return context


class PersonView(Protected, TemplateView):
    """One person's competence file: roles, education, experience, certificates, training."""

    permission = perms.RECORD_VIEW
    template_name = "training/person.html"

    def prepare(self, request, *args, **kwargs):
        self.person = access_person(kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, person = self.request.user, self.person
        today = timezone.localdate()
        records = list(selectors.competence_list(user=user, person=person))
        context.update(person=person, records=records, today=today)
        context["expiry_soon"] = today + dt.timedelta(days=EXPIRY_WINDOW_DAYS)
        context["assignments"] = list(
            selectors.assignment_list(user=user, person=person, current=None)
        )
        context["prrc_roles"] = list(Prrc.objects.filter(user=person).order_by("-active"))
        context["prrc"] = selectors.prrc_qualification(person)
        context["gaps"] = selectors.competence_gaps(user=user, people=[person])
        context["tasks"] = list(selectors.task_list(user=user, person=person)[:100])
        return context


class CompetenceMixin:
    def prepare(self, request, *args, **kwargs):
        super().prepare(request, *args, **kwargs)
        self.record = selectors.access_competence_by_id(user=request.user, record_id=kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["record"] = self.record
        return context


class CompetenceDetailView(CompetenceMixin, Protected, TemplateView):
    permission = perms.RECORD_VIEW
    template_name = "training/competence_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        context["today"] = today
        context["expiry_soon"] = today + dt.timedelta(days=EXPIRY_WINDOW_DAYS)
        context["events"] = core_selectors.record_history(user=self.request.user, obj=self.record)[
            :50
        ]
        return context


def _fresh_upload(data: dict) -> dict:
    """Pass the evidence file on only when a new one was uploaded."""
    if not isinstance(data.get("evidence_file"), UploadedFile):
        data.pop("evidence_file", None)
    return data


class CompetenceCreateView(Protected, ServiceFormView):
    permission = perms.TRAINING_MANAGE
    template_name = "training/competence_form.html"
    form_class = CompetenceForm

    def get_initial(self):
        initial = {"date": timezone.localdate()}
        person = self.request.GET.get("user", "")
        if person.isdigit():
            initial["user"] = int(person)
        return initial

    def perform(self, data):
        return services.competence_record_create(actor=self.request.user, **_fresh_upload(data))

    def success_message_for(self, result):
        return _("The competence record %(title)s was saved.") % {"title": result.title}


class CompetenceEditView(CompetenceMixin, Protected, ServiceFormView):
    permission = perms.TRAINING_MANAGE
    template_name = "training/competence_form.html"
    form_class = CompetenceForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.record
        return kwargs

    def perform(self, data):
        record = selectors.access_competence_by_id(user=self.request.user, record_id=self.record.pk)
        return services.competence_record_update(
            actor=self.request.user, record=record, **_fresh_upload(data)
        )

    def success_message_for(self, result):
        return _("The competence record %(title)s was saved.") % {"title": result.title}


class CompetenceEvidenceView(CompetenceMixin, Protected, View):
    """The evidence file, served only to signed-in users, never from a public media URL."""

    permission = perms.RECORD_VIEW

    def get(self, request, pk):
        record = self.record
        if not record.evidence_file:
            messages.info(request, _("No evidence file is attached to this record."))
            return redirect("training:competence", record.pk)
        try:
            handle = record.evidence_file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        name = record.evidence_file.name.rsplit("/", 1)[-1]
        return FileResponse(handle, as_attachment=True, filename=name)


class ExpiringView(Protected, TemplateView):
    """Certificates and other records that expire soon or have expired unrenewed."""

    permission = perms.RECORD_VIEW
    template_name = "training/expiring.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        days = self.request.GET.get("days", "")
        days = int(days) if days.isdigit() and 1 <= int(days) <= 730 else EXPIRY_WINDOW_DAYS
        today = timezone.localdate()
        user = self.request.user
        context.update(days=days, today=today)
        context["expiring"] = list(selectors.competences_expiring(today, days, user=user))
        context["expired"] = list(selectors.competences_expired(today, user=user))
        context["gaps"] = selectors.competence_gaps(user=user, today=today)
        return context


# --- Effectiveness of training ----------------------------------------------------------------


class EvaluationListView(Protected, TemplateView):
    permission = perms.RECORD_VIEW
    template_name = "training/evaluation_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        evaluations = selectors.evaluation_list(user=self.request.user)
        context["page"] = paginate(self.request, evaluations)
        signatures = core_selectors.current_signatures_by_pk(list(context["page"].object_list))
        context["rows"] = [(e, signatures.get(str(e.pk), [])) for e in context["page"]]
        return context


class EvaluationCreateView(Protected, ServiceFormView):
    permission = perms.TRAINING_MANAGE
    template_name = "training/simple_form.html"

    def get_form(self, form_class=None):
        return form_with_user(self, EvaluationForm)

    def get_initial(self):
        initial = {"date": timezone.localdate()}
        for name in ("task", "job_role", "document"):
            value = self.request.GET.get(name, "")
            if value.isdigit():
                initial[name] = int(value)
        return initial

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Evaluate the effectiveness of training")
        context["cancel_url"] = reverse("training:evaluations")
        return context

    def perform(self, data):
        return services.effectiveness_evaluation_create(actor=self.request.user, **data)

    def success_message_for(self, result):
        retraining = result.retraining_tasks.count()
        if retraining:
            return _("The evaluation was recorded. People who train again: %(n)s.") % {
                "n": retraining
            }
        return _("The evaluation was recorded.")


class EvaluationMixin:
    def get_record(self):
        return selectors.access_evaluation_by_id(
            user=self.request.user, evaluation_id=self.kwargs["pk"]
        )


class EvaluationDetailView(EvaluationMixin, Protected, TemplateView):
    permission = perms.RECORD_VIEW
    template_name = "training/evaluation_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        evaluation = self.get_record()
        context["evaluation"] = evaluation
        context["signatures"] = list(core_selectors.current_signatures(obj=evaluation))
        context["retraining"] = list(
            evaluation.retraining_tasks.select_related("user", "revision__document")
        )
        context["events"] = core_selectors.record_history(user=self.request.user, obj=evaluation)[
            :50
        ]
        return context


class EvaluationSignView(EvaluationMixin, RecordSignView):
    pass
