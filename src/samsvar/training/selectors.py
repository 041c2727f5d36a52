"""Reads of the training records, starting from what the user may see (ISO 13485 6.2).

Every role reads training records (RECORD_VIEW); the matrix answers an auditor's "who is trained
on the current SOP" in a fixed number of queries, whatever the number of people and documents.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import models
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samsvar.core import permissions as perms
from samsvar.documents.models import Revision, RevisionStatus
from samsvar.regulatory import prrc as prrc_rules
from samsvar.training.models import (
    CompetenceKind,
    CompetenceRecord,
    CompetenceRequirement,
    EffectivenessEvaluation,
    JobRole,
    RoleAssignment,
    TaskStatus,
    TrainingTask,
)

EFFECTIVE = RevisionStatus.EFFECTIVE


def _may_read(user) -> bool:
    return user is None or perms.has_perm(user, perms.RECORD_VIEW)


def _today(today) -> dt.date:
    return today or timezone.localdate()


def _ids(values) -> list[int] | None:
    if values is None:
        return None
    return [int(getattr(v, "pk", v)) for v in values]


def _get(queryset, pk, what: str):
    try:
        return queryset.get(pk=int(pk))
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404(f"No such {what}") from None


# --- Job roles and assignments ----------------------------------------------------------------


def job_role_list(*, user, active: bool | None = None):
    if not _may_read(user):
        return JobRole.objects.none()
    qs = JobRole.objects.all()
    if active is not None:
        qs = qs.filter(active=active)
    return qs.prefetch_related("required_documents", "competence_requirements").order_by("name")


def access_job_role_by_id(*, user, job_role_id) -> JobRole:
    return _get(job_role_list(user=user), job_role_id, "job role")


def assignment_list(*, user, job_role=None, person=None, current: bool | None = True):
    """Who holds which role; `current` None lists past assignments too."""
    if not _may_read(user):
        return RoleAssignment.objects.none()
    qs = RoleAssignment.objects.select_related("user", "job_role")
    if job_role is not None:
        qs = qs.filter(job_role=job_role)
    if person is not None:
        qs = qs.filter(user=person)
    if current is not None:
        qs = qs.filter(until__isnull=current)
    return qs.order_by("user__full_name", "job_role__name", "-since")


def access_assignment_by_id(*, user, assignment_id) -> RoleAssignment:
    return _get(assignment_list(user=user, current=None), assignment_id, "assignment")


def trainees(*, user):
    """Active people who can be assigned job roles and complete training."""
    return _people_with(user, perms.TRAINING_TAKE)


def trainers(*, user):
    """Active people who can sign an instructor-led assessment as trainer."""
    return _people_with(user, perms.SIGN_REVIEWED)


def _people_with(user, permission: str):
    User = get_user_model()
    if not _may_read(user):
        return User.objects.none()
    roles = [str(role) for role in perms.PERMISSIONS[permission]]
    return User.objects.filter(is_active=True, role__in=roles).order_by("full_name", "username")


# --- Tasks ------------------------------------------------------------------------------------


def _tasks():
    return TrainingTask.objects.select_related(
        "user", "revision", "revision__document", "job_role", "trainer"
    )


def task_list(
    *,
    user,
    status: str = "",
    person=None,
    document=None,
    overdue: bool | None = None,
    today: dt.date | None = None,
):
    """Training tasks with filters, soonest due first."""
    if not _may_read(user):
        return TrainingTask.objects.none()
    qs = _tasks()
    if status:
        qs = qs.filter(status=status)
    if person is not None:
        qs = qs.filter(user=person)
    if document is not None:
        qs = qs.filter(revision__document=document)
    if overdue is not None:
        late = models.Q(status=TaskStatus.OPEN, due_date__lt=_today(today))
        qs = qs.filter(late) if overdue else qs.exclude(late)
    return qs.order_by("due_date", "pk")


def access_task_by_id(*, user, task_id) -> TrainingTask:
    return _get(task_list(user=user), task_id, "training task")


def my_tasks(user, *, include_closed: bool = False):
    """The person's own training tasks: the open ones, soonest due first."""
    qs = _tasks().filter(user=user)
    if not include_closed:
        qs = qs.filter(status=TaskStatus.OPEN)
    return qs.order_by("due_date", "pk")


def tasks_due(today: dt.date | None = None, within_days: int = 14, *, user=None):
    """Open tasks due from today to `within_days` ahead (not yet overdue)."""
    if not _may_read(user):
        return TrainingTask.objects.none()
    today = _today(today)
    return (
        _tasks()
        .filter(
            status=TaskStatus.OPEN,
            due_date__gte=today,
            due_date__lte=today + dt.timedelta(days=within_days),
        )
        .order_by("due_date", "pk")
    )


def tasks_overdue(today: dt.date | None = None, *, user=None):
    """Open tasks whose due date has passed, the longest overdue first."""
    if not _may_read(user):
        return TrainingTask.objects.none()
    return (
        _tasks()
        .filter(status=TaskStatus.OPEN, due_date__lt=_today(today))
        .order_by("due_date", "pk")
    )


# --- Competence -------------------------------------------------------------------------------


def competence_list(*, user, person=None, kind: str = ""):
    if not _may_read(user):
        return CompetenceRecord.objects.none()
    qs = CompetenceRecord.objects.select_related("user", "requirement", "requirement__job_role")
    if person is not None:
        qs = qs.filter(user=person)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("user__full_name", "-date", "pk")


def access_competence_by_id(*, user, record_id) -> CompetenceRecord:
    return _get(competence_list(user=user), record_id, "competence record")


def competences_expiring(today: dt.date | None = None, within_days: int = 60, *, user=None):
    """Records (certificates, mostly) that expire from today to `within_days` ahead."""
    if not _may_read(user):
        return CompetenceRecord.objects.none()
    today = _today(today)
    return (
        CompetenceRecord.objects.select_related("user")
        .filter(expiry_date__gte=today, expiry_date__lte=today + dt.timedelta(days=within_days))
        .order_by("expiry_date", "pk")
    )


def competences_expired(today: dt.date | None = None, *, user=None):
    """Records whose expiry date has passed and that no later record of the same person, kind
    and title renews.
    """
    if not _may_read(user):
        return CompetenceRecord.objects.none()
    today = _today(today)
    renewed = CompetenceRecord.objects.filter(
        user=models.OuterRef("user"),
        kind=models.OuterRef("kind"),
        title__iexact=models.OuterRef("title"),
        date__gt=models.OuterRef("date"),
    ).filter(models.Q(expiry_date__isnull=True) | models.Q(expiry_date__gte=today))
    return (
        CompetenceRecord.objects.select_related("user")
        .filter(expiry_date__lt=today)
        .exclude(models.Exists(renewed))
        .order_by("expiry_date", "pk")
    )


@dataclass
class PrrcQualification:
    """The competence records that show a person's PRRC qualification (MDR/IVDR Art. 15(1))."""

    records: list[CompetenceRecord]
    degrees: list[CompetenceRecord]
    years_experience: Decimal
    route: str
    problems: list[str]

    @property
    def met(self) -> bool:
        return bool(self.records) and not self.problems

    @property
    def problem_messages(self) -> list[str]:
        messages = {
            prrc_rules.NO_DEGREE: _("The degree route needs a degree."),
            prrc_rules.TOO_LITTLE_EXPERIENCE: _("Not enough years of experience for this route."),
        }
        return [str(messages.get(code, code)) for code in self.problems]


def prrc_qualification(user) -> PrrcQualification:
    """The records marked as PRRC evidence, and whether they meet Art. 15(1): a degree and one
    year of regulatory or QMS experience, or four years of it.
    """
    records = list(
        CompetenceRecord.objects.filter(user=user, prrc_evidence=True).order_by("date", "pk")
    )
    degrees = [r for r in records if r.kind == CompetenceKind.EDUCATION]
    years = sum(
        (r.years_experience or Decimal(0)) for r in records if r.kind == CompetenceKind.EXPERIENCE
    )
    route = prrc_rules.DEGREE if degrees else prrc_rules.EXPERIENCE
    problems = prrc_rules.qualification_problems(
        route=route, has_degree=bool(degrees), years_experience=float(years), regimes="both"
    )
    return PrrcQualification(records, degrees, Decimal(years), route, problems)


@dataclass(frozen=True)
class CompetenceGap:
    user: object
    requirement: CompetenceRequirement


def competence_gaps(*, user=None, people=None, today: dt.date | None = None) -> list:
    """Competence requirements of people's current roles with no valid record that meets them."""
    if not _may_read(user):
        return []
    today = _today(today)
    assignments = RoleAssignment.objects.filter(
        until__isnull=True, job_role__active=True
    ).select_related("user")
    if people is not None:
        assignments = assignments.filter(user__in=_ids(people))
    holders: dict[int, list] = defaultdict(list)
    for assignment in assignments:
        holders[assignment.job_role_id].append(assignment.user)
    requirements = CompetenceRequirement.objects.filter(job_role_id__in=list(holders))
    met = set(
        CompetenceRecord.objects.filter(requirement__in=requirements)
        .filter(models.Q(expiry_date__isnull=True) | models.Q(expiry_date__gte=today))
        .values_list("user_id", "requirement_id")
    )
    gaps = []
    for requirement in requirements.select_related("job_role").order_by("job_role__name", "name"):
        for person in holders[requirement.job_role_id]:
            if (person.pk, requirement.pk) not in met:
                gaps.append(CompetenceGap(person, requirement))
    return gaps


# --- Effectiveness evaluations ----------------------------------------------------------------


def evaluation_list(*, user, result: str = ""):
    if not _may_read(user):
        return EffectivenessEvaluation.objects.none()
    qs = EffectivenessEvaluation.objects.select_related(
        "task", "task__user", "task__revision", "task__revision__document",
        "job_role", "document", "evaluator",
    )  # fmt: skip
    if result:
        qs = qs.filter(result=result)
    return qs.order_by("-date", "-pk")


def access_evaluation_by_id(*, user, evaluation_id) -> EffectivenessEvaluation:
    return _get(evaluation_list(user=user), evaluation_id, "evaluation")


# --- The training matrix ----------------------------------------------------------------------


class MatrixStatus(models.TextChoices):
    CURRENT = "current", gettext_lazy("Trained on the current revision")
    OPEN = "open", gettext_lazy("Open")
    OVERDUE = "overdue", gettext_lazy("Overdue")
    OLDER = "older", gettext_lazy("Trained on an earlier revision only")
    MISSING = "missing", gettext_lazy("Not trained")
    NOT_REQUIRED = "not_required", gettext_lazy("Not required")


COLOURS = {
    MatrixStatus.CURRENT: "green",
    MatrixStatus.OPEN: "amber",
    MatrixStatus.OLDER: "amber",
    MatrixStatus.OVERDUE: "red",
    MatrixStatus.MISSING: "red",
    MatrixStatus.NOT_REQUIRED: "grey",
}


@dataclass
class MatrixColumn:
    document_id: int
    number: str
    title: str
    revision_id: int
    revision_label: str


@dataclass
class MatrixCell:
    status: str
    required: bool
    due_date: dt.date | None = None
    task_id: int | None = None
    trained_label: str = ""  # the revision last completed
    completed_at: dt.datetime | None = None

    @property
    def colour(self) -> str:
        return COLOURS[self.status]

    @property
    def label(self) -> str:
        return str(MatrixStatus(self.status).label)


@dataclass
class MatrixRow:
    user_id: int
    name: str
    username: str
    roles: list[str]
    cells: list[MatrixCell] = field(default_factory=list)


@dataclass
class TrainingMatrix:
    columns: list[MatrixColumn]
    rows: list[MatrixRow]
    today: dt.date

    def counts(self) -> dict[str, int]:
        found = dict.fromkeys(MatrixStatus.values, 0)
        for row in self.rows:
            for cell in row.cells:
                found[cell.status] += 1
        return found


def training_matrix(
    *, users=None, documents=None, today: dt.date | None = None, user=None
) -> TrainingMatrix:
    """People by documents, with the training status of each cell (ISO 13485 6.2 e).

    Rows: the given people, else every active person in a current job role. Columns: the given
    documents, else every document a current role requires, that has an effective revision.
    A cell is trained on the current revision, open, overdue, trained on an earlier revision
    only, not trained, or not required. Three queries (four when `users` is a queryset).
    """
    today = _today(today)
    if not _may_read(user):
        return TrainingMatrix([], [], today)
    User = get_user_model()
    assignments = RoleAssignment.objects.filter(
        until__isnull=True, job_role__active=True, user__is_active=True
    )
    people: dict[int, MatrixRow] = {}
    if users is not None:
        given = list(users)
        ids = [p for p in given if not isinstance(p, User)]
        found = User.objects.in_bulk([int(p) for p in ids]) if ids else {}
        for person in given:
            person = person if isinstance(person, User) else found.get(int(person))
            if person is not None:
                people[person.pk] = MatrixRow(person.pk, str(person), person.username, [])
        assignments = assignments.filter(user_id__in=list(people))
    required: dict[int, set[int]] = defaultdict(set)
    wanted_docs = set(_ids(documents) or [])
    every_doc = documents is None
    rows = assignments.values_list(
        "user_id",
        "user__full_name",
        "user__username",
        "job_role__name",
        "job_role__required_documents",
    ).order_by("user__full_name", "user__username", "job_role__name")
    for user_id, full_name, username, role_name, document_id in rows:
        row = people.setdefault(user_id, MatrixRow(user_id, full_name or username, username, []))
        if role_name not in row.roles:
            row.roles.append(role_name)
        if document_id is not None:
            required[user_id].add(document_id)
            if every_doc:
                wanted_docs.add(document_id)
    effective = Revision.objects.filter(status=EFFECTIVE, document_id__in=wanted_docs)
    columns = [
        MatrixColumn(*values)
        for values in effective.values_list(
            "document_id", "document__number", "document__title", "id", "label"
        ).order_by("document__number", "document_id")
    ]
    tasks: dict[tuple[int, int], list[dict]] = defaultdict(list)
    if columns and people:
        for task in TrainingTask.objects.filter(
            user_id__in=list(people),
            revision__document_id__in=[c.document_id for c in columns],
            status__in=(TaskStatus.OPEN, TaskStatus.COMPLETED),
        ).values(
            "id", "user_id", "revision_id", "revision__document_id", "revision__label",
            "status", "due_date", "completed_at",
        ):  # fmt: skip
            tasks[(task["user_id"], task["revision__document_id"])].append(task)
    ordered = sorted(people.values(), key=lambda r: (r.name.casefold(), r.username))
    for row in ordered:
        for column in columns:
            row.cells.append(
                _cell(
                    tasks.get((row.user_id, column.document_id), []),
                    column,
                    column.document_id in required[row.user_id],
                    today,
                )
            )
    return TrainingMatrix(columns, ordered, today)


def _cell(tasks: list[dict], column: MatrixColumn, required: bool, today) -> MatrixCell:
    current = [t for t in tasks if t["revision_id"] == column.revision_id]
    open_task = next((t for t in current if t["status"] == TaskStatus.OPEN), None)
    done = sorted(
        (t for t in tasks if t["status"] == TaskStatus.COMPLETED),
        key=lambda t: t["completed_at"],
    )
    done_current = [t for t in done if t["revision_id"] == column.revision_id]
    last = done[-1] if done else None
    cell = MatrixCell(
        MatrixStatus.NOT_REQUIRED,
        required,
        trained_label=last["revision__label"] if last else "",
        completed_at=last["completed_at"] if last else None,
    )
    if open_task is not None:
        late = open_task["due_date"] < today
        cell.status = MatrixStatus.OVERDUE if late else MatrixStatus.OPEN
        cell.due_date = open_task["due_date"]
        cell.task_id = open_task["id"]
    elif done_current:
        cell.status = MatrixStatus.CURRENT
        cell.task_id = done_current[-1]["id"]
    elif not required:
        cell.status = MatrixStatus.NOT_REQUIRED
    elif last is not None:
        cell.status = MatrixStatus.OLDER
        cell.task_id = last["id"]
    else:
        cell.status = MatrixStatus.MISSING
    return cell


# Fills for the workbook: the colours of the web matrix, in Excel's pale conditional tones.
FILLS = {"green": "C6EFCE", "amber": "FFEB9C", "red": "FFC7CE", "grey": "E7E6E6"}


def _cell_text(cell: MatrixCell) -> str:
    if cell.status == MatrixStatus.CURRENT:
        return _("Trained")
    if cell.status == MatrixStatus.OPEN:
        return _("Due %(date)s") % {"date": cell.due_date.isoformat()}
    if cell.status == MatrixStatus.OVERDUE:
        return _("Overdue since %(date)s") % {"date": cell.due_date.isoformat()}
    if cell.status == MatrixStatus.OLDER:
        return _("Trained on revision %(label)s") % {"label": cell.trained_label}
    if cell.status == MatrixStatus.MISSING:
        return _("Not trained")
    return "—"


def training_matrix_xlsx(
    *, users=None, documents=None, today: dt.date | None = None, user=None
) -> bytes:
    """The training matrix as a workbook: a coloured matrix, its legend and the documents."""
    from openpyxl import load_workbook
    from openpyxl.styles import PatternFill

    from samsvar.reports.render import xlsx_bytes

    matrix = training_matrix(users=users, documents=documents, today=today, user=user)
    header = [_("Person"), _("Job roles")] + [
        f"{c.number} ({c.revision_label})" for c in matrix.columns
    ]
    rows = [
        [row.name, ", ".join(row.roles)] + [_cell_text(cell) for cell in row.cells]
        for row in matrix.rows
    ]
    legend = [[str(status.label), _colour_name(COLOURS[status])] for status in MatrixStatus]
    documents_sheet = [[c.number, c.title, c.revision_label] for c in matrix.columns]
    matrix_title, legend_title = _("Training matrix"), _("Legend")
    content = xlsx_bytes(
        [
            (matrix_title, header, rows),
            (legend_title, [_("Status"), _("Colour")], legend),
            (_("Documents"), [_("Number"), _("Title"), _("Effective revision")], documents_sheet),
        ]
    )
    book = load_workbook(io.BytesIO(content))
    fills = {
        name: PatternFill("solid", start_color=rgb, end_color=rgb) for name, rgb in FILLS.items()
    }
    sheet = book[matrix_title[:31]]
    for r, row in enumerate(matrix.rows, start=2):
        for c, cell in enumerate(row.cells, start=3):
            sheet.cell(row=r, column=c).fill = fills[cell.colour]
    key = book[legend_title[:31]]
    for r, status in enumerate(MatrixStatus, start=2):
        key.cell(row=r, column=2).fill = fills[COLOURS[status]]
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _colour_name(colour: str) -> str:
    return {
        "green": _("Green"),
        "amber": _("Amber"),
        "red": _("Red"),
        "grey": _("Grey"),
    }[colour]
