"""Writes to the training records (ISO 13485:2016 6.2). Each service checks the permission,
validates, saves inside `audited()` in one transaction and so leaves the audit trail.

Training tasks follow the documents: when a revision becomes effective
(`tasks_for_effective_revision`, run by the `revision_effective` receiver), when a person takes
a job role or leaves it, and when a role's required documents change. Open tasks on a revision
that a newer one replaced become superseded; tasks of a person who no longer needs the document
are cancelled with the reason given.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from samsvar.core import permissions as perms
from samsvar.core.audit import audited, record_event
from samsvar.core.events import Event
from samsvar.core.models import SignatureMeaning
from samsvar.core.selectors import current_signatures
from samsvar.core.validation import reject_unknown_fields
from samsvar.documents.files import check_upload
from samsvar.documents.models import Document, Revision, RevisionStatus
from samsvar.training.models import (
    DEFAULT_DUE_DAYS,
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
    TrainingAttempt,
    TrainingTask,
)

EFFECTIVE = RevisionStatus.EFFECTIVE
TRAINER_MEANING = SignatureMeaning.REVIEWED
TEXT_LIMIT = 5000


# --- Small checks shared by the services ------------------------------------------------------


def _as_date(value, field: str, *, required: bool = True) -> dt.date | None:
    if value in (None, ""):
        if required:
            raise ValidationError({field: _("This field is required.")})
        return None
    if isinstance(value, dt.datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    if isinstance(value, dt.date):
        return value
    try:
        parsed = parse_date(str(value))
    except ValueError:
        parsed = None
    if parsed is None:
        raise ValidationError({field: _("Enter a date as YYYY-MM-DD.")})
    return parsed


def _not_in_future(value: dt.date, field: str) -> None:
    if value > timezone.localdate():
        raise ValidationError({field: _("This date is in the future.")})


def _text(value, field: str, *, limit: int = TEXT_LIMIT, required: bool = False) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise ValidationError({field: _("This field is required.")})
    if len(text) > limit:
        raise ValidationError({field: _("Keep this to %(n)s characters.") % {"n": limit}})
    return text


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give a reason; it is recorded with the change.")})
    return reason


def _can_train(user) -> bool:
    """Whether the person can complete training tasks (the auditor role cannot)."""
    return perms.has_perm(user, perms.TRAINING_TAKE)


def _effective_date(revision) -> dt.date:
    """The day the revision became effective, in local time (today while it is being made so)."""
    if revision.effective_at is None:
        return timezone.localdate()
    return timezone.localdate(revision.effective_at)


def effective_revision(document) -> Revision | None:
    """The one effective revision of a document, or None (draft only, or obsolete)."""
    return Revision.objects.filter(document=document, status=EFFECTIVE).first()


# --- Job roles and their requirements ---------------------------------------------------------

JOB_ROLE_FIELDS = (
    "name",
    "description",
    "required_documents",
    "training_method",
    "due_days",
    "active",
)


def _clean_documents(value) -> list[Document]:
    if isinstance(value, str) or not isinstance(value, list | tuple | set | models.QuerySet):
        raise ValidationError({"required_documents": _("Give a list of documents.")})
    ids = []
    for item in value:
        try:
            ids.append(int(getattr(item, "pk", item)))
        except (TypeError, ValueError):
            raise ValidationError(
                {"required_documents": _("%(value)s is not an id.") % {"value": item}}
            ) from None
    found = Document.objects.in_bulk(ids)
    missing = [str(i) for i in ids if i not in found]
    if missing:
        raise ValidationError(
            {"required_documents": _("No such document: %(ids)s.") % {"ids": ", ".join(missing)}}
        )
    return [found[i] for i in dict.fromkeys(ids)]


def _validate_job_role(job_role: JobRole) -> None:
    job_role.name = " ".join(str(job_role.name or "").split())
    job_role.description = (job_role.description or "").strip()
    duplicate = JobRole.objects.filter(name__iexact=job_role.name).exclude(pk=job_role.pk)
    if job_role.name and duplicate.exists():
        raise ValidationError(
            {"name": _("A job role named %(name)s exists already.") % {"name": job_role.name}}
        )
    job_role.full_clean()


def job_role_create(*, actor, reason: str = "", **fields) -> JobRole:
    """Define a job role with the documents it requires (ISO 13485 6.2 a)."""
    perms.require_perm(actor, perms.TRAINING_MANAGE)
    reject_unknown_fields(fields, JOB_ROLE_FIELDS)
    documents = _clean_documents(fields.pop("required_documents", []))
    job_role = JobRole(**fields)
    _validate_job_role(job_role)
    with audited(actor=actor, reason=reason):
        job_role.save()
        _set_documents(job_role, documents)
    return job_role


def job_role_update(*, actor, job_role: JobRole, reason: str = "", **fields) -> JobRole:
    """Change a job role. A newly required document opens tasks for everyone in the role; a
    document no longer required cancels their open tasks on it, with the reason given.

    A role that people still hold cannot be made inactive; end their assignments first.
    """
    perms.require_perm(actor, perms.TRAINING_MANAGE)
    reject_unknown_fields(fields, JOB_ROLE_FIELDS)
    documents = None
    if "required_documents" in fields:
        documents = _clean_documents(fields.pop("required_documents"))
    for name, value in fields.items():
        setattr(job_role, name, value)
    _validate_job_role(job_role)
    holders = RoleAssignment.objects.filter(job_role=job_role, until__isnull=True)
    if not job_role.active and holders.exists():
        raise ValidationError(
            {"active": _("People still hold this role; end their assignments first.")}
        )
    with audited(actor=actor, reason=reason):
        job_role.save()
        if documents is not None and _set_documents(job_role, documents):
            for assignment in holders.select_related("user"):
                _sync_user(assignment.user, cancel_reason=reason)
    return job_role


def _set_documents(job_role: JobRole, documents: list[Document]) -> bool:
    current = list(job_role.required_documents.all())
    if {d.pk for d in current} == {d.pk for d in documents}:
        return False
    job_role.required_documents.set(documents)
    record_event(
        Event.RECORD_UPDATED,
        obj=job_role,
        action="update",
        changes={
            "required_documents": [
                sorted(d.number for d in current),
                sorted(d.number for d in documents),
            ]
        },
    )
    return True


def competence_requirement_add(
    *, actor, job_role: JobRole, name: str, description: str = "", reason: str = ""
) -> CompetenceRequirement:
    """Say that a job role needs a competence besides its documents (ISO 13485 6.2 a)."""
    perms.require_perm(actor, perms.TRAINING_MANAGE)
    name = " ".join(_text(name, "name", limit=200, required=True).split())
    if CompetenceRequirement.objects.filter(job_role=job_role, name__iexact=name).exists():
        raise ValidationError(
            {"name": _("%(role)s already requires %(name)s.") % {"role": job_role, "name": name}}
        )
    requirement = CompetenceRequirement(
        job_role=job_role, name=name, description=_text(description, "description")
    )
    requirement.full_clean()
    with audited(actor=actor, reason=reason):
        requirement.save()
    return requirement


def competence_requirement_remove(
    *, actor, requirement: CompetenceRequirement, reason: str = ""
) -> None:
    """Remove a competence requirement; refused while competence records cite it."""
    perms.require_perm(actor, perms.TRAINING_MANAGE)
    if requirement.records.exists():
        raise ValidationError(_("Competence records cite this requirement; change them first."))
    with audited(actor=actor, reason=reason):
        requirement.delete()


# --- People in roles --------------------------------------------------------------------------


def role_assignment_create(
    *, actor, user, job_role: JobRole, since=None, reason: str = ""
) -> RoleAssignment:
    """Assign a person to a job role and open the training tasks the role requires."""
    perms.require_perm(actor, perms.TRAINING_MANAGE)
    since = _as_date(since, "since", required=False) or timezone.localdate()
    errors = {}
    if not user.is_active:
        errors["user"] = _("Choose an active person.")
    elif not _can_train(user):
        errors["user"] = _("%(name)s has a samsvar role that cannot complete training.") % {
            "name": user
        }
    if not job_role.active:
        errors["job_role"] = _("This job role is no longer in use.")
    elif RoleAssignment.objects.filter(user=user, job_role=job_role, until__isnull=True).exists():
        errors["job_role"] = _("%(name)s already holds this role.") % {"name": user}
    if errors:
        raise ValidationError(errors)
    assignment = RoleAssignment(user=user, job_role=job_role, since=since)
    assignment.full_clean()
    with audited(actor=actor, reason=reason):
        assignment.save()
        _sync_user(user)
    return assignment


def role_assignment_end(
    *, actor, assignment: RoleAssignment, until=None, reason: str = ""
) -> RoleAssignment:
    """Record that a person left a job role. Their open tasks on documents that none of their
    other roles requires are cancelled, with this reason.
    """
    perms.require_perm(actor, perms.TRAINING_MANAGE)
    reason = _require_reason(reason)
    until = _as_date(until, "until", required=False) or timezone.localdate()
    if assignment.until is not None:
        raise ValidationError({"until": _("This assignment has ended already.")})
    _not_in_future(until, "until")
    if until < assignment.since:
        raise ValidationError({"until": _("The end date is before the start date.")})
    assignment.until = until
    with audited(actor=actor, reason=reason):
        assignment.save()
        _sync_user(assignment.user, cancel_reason=reason)
    return assignment


def tasks_sync_for_assignment(*, actor, assignment: RoleAssignment) -> list[TrainingTask]:
    """Open a task for every effective revision the person's roles require and they have
    neither completed nor been given; returns the tasks created.
    """
    perms.require_perm(actor, perms.TRAINING_MANAGE)
    if assignment.until is not None:
        return []
    with audited(actor=actor):
        return _sync_user(assignment.user)


def _required_by(user) -> dict[int, RoleAssignment]:
    """Document id -> the person's current assignment that requires it (shortest due time)."""
    assignments = {
        a.job_role_id: a
        for a in RoleAssignment.objects.filter(
            user=user, until__isnull=True, job_role__active=True
        ).select_related("job_role")
    }
    links = JobRole.required_documents.through.objects.filter(jobrole_id__in=list(assignments))
    required: dict[int, RoleAssignment] = {}
    for role_id, document_id in links.values_list("jobrole_id", "document_id"):
        assignment = assignments[role_id]
        chosen = required.get(document_id)
        if chosen is None or assignment.job_role.due_days < chosen.job_role.due_days:
            required[document_id] = assignment
    return required


def _sync_user(user, *, cancel_reason: str = "") -> list[TrainingTask]:
    """Bring one person's tasks in line with their current roles (inside an audited block)."""
    today = timezone.localdate()
    required = _required_by(user) if user.is_active else {}
    effective = {
        r.document_id: r
        for r in Revision.objects.filter(document_id__in=list(required), status=EFFECTIVE)
    }
    tasks = TrainingTask.objects.filter(
        user=user, status__in=(TaskStatus.OPEN, TaskStatus.COMPLETED)
    ).select_related("user", "revision__document")
    covered = {t.revision_id for t in tasks}
    created = []
    for document_id, assignment in required.items():
        revision = effective.get(document_id)
        if revision is None or revision.pk in covered:
            continue
        role = assignment.job_role
        due = max(assignment.since, today) + dt.timedelta(days=role.due_days)
        created.append(_open_task(user, revision, role, due))
    for task in tasks:
        if task.status != TaskStatus.OPEN or task.job_role_id is None:
            continue
        assignment = required.get(task.revision.document_id)
        if assignment is None:
            task.status = TaskStatus.CANCELLED
            task.status_reason = cancel_reason
            task.save()
        elif assignment.job_role_id != task.job_role_id:
            task.job_role = assignment.job_role
            task.save()
    return created


def _open_task(user, revision, job_role, due_date, *, method=None, evaluation=None):
    task = TrainingTask(
        user=user,
        revision=revision,
        job_role=job_role,
        method=method or (job_role.training_method if job_role else Method.READ_UNDERSTOOD),
        due_date=due_date,
        evaluation=evaluation,
    )
    task.save()
    return task


# --- Tasks from the document life cycle -------------------------------------------------------


def _require_document_control(actor) -> None:
    """Tasks that follow the document life cycle change with it: as document control, a
    training manager, or the system (`actor` None) carrying out a planned date.
    """
    if actor is None:
        return
    if not (
        perms.has_perm(actor, perms.DOCUMENT_CONTROL)
        or perms.has_perm(actor, perms.TRAINING_MANAGE)
    ):
        perms.require_perm(actor, perms.DOCUMENT_CONTROL)


def tasks_for_effective_revision(*, actor, revision) -> list[TrainingTask]:
    """Open a task for everyone whose current role requires the revision's document, and
    supersede the open tasks on the document's earlier revisions (ISO 13485 6.2 b, 4.2.4).

    Idempotent: a person who has an open or completed task on this revision gets no second
    one. Runs inside the transaction that makes the revision effective, as the person who did
    it (document control), or as the system (`actor` None) for a scheduled effective date.
    """
    _require_document_control(actor)
    document_id = revision.document_id
    assignments = (
        RoleAssignment.objects.filter(
            until__isnull=True,
            user__is_active=True,
            job_role__active=True,
            job_role__required_documents=document_id,
        )
        .select_related("user", "job_role")
        .order_by("user_id", "job_role__due_days", "job_role_id")
    )
    chosen: dict[int, RoleAssignment] = {}
    for assignment in assignments:
        chosen.setdefault(assignment.user_id, assignment)
    done = set(
        TrainingTask.objects.filter(
            revision=revision, status__in=(TaskStatus.OPEN, TaskStatus.COMPLETED)
        ).values_list("user_id", flat=True)
    )
    effective_on = _effective_date(revision)
    created = []
    with audited(actor=actor):
        earlier = (
            TrainingTask.objects.filter(revision__document_id=document_id, status=TaskStatus.OPEN)
            .exclude(revision=revision)
            .select_related("user", "revision__document")
        )
        for task in earlier:
            task.status = TaskStatus.SUPERSEDED
            task.save()
        for user_id, assignment in chosen.items():
            if user_id in done or not _can_train(assignment.user):
                continue
            role = assignment.job_role
            due = max(effective_on, assignment.since) + dt.timedelta(days=role.due_days)
            created.append(_open_task(assignment.user, revision, role, due))
    return created


def tasks_cancel_for_revision(*, actor, revision, reason: str = "") -> int:
    """Cancel the open tasks on a revision withdrawn without a successor (made obsolete); sent
    by document control through the `revision_withdrawn` signal where the documents app has it.
    """
    _require_document_control(actor)
    count = 0
    with audited(actor=actor, reason=reason):
        for task in TrainingTask.objects.filter(revision=revision, status=TaskStatus.OPEN):
            task.status = TaskStatus.CANCELLED
            task.status_reason = (reason or "").strip()
            task.save()
            count += 1
    return count


# --- Tasks managed by hand --------------------------------------------------------------------


def task_create(
    *, actor, user, revision, method: str = "", due_date=None, reason: str = ""
) -> TrainingTask:
    """Give a person a training task on an effective revision outside their roles' needs."""
    perms.require_perm(actor, perms.TRAINING_MANAGE)
    errors = {}
    if not (user.is_active and _can_train(user)):
        errors["user"] = _("Choose an active person who can complete training.")
    if revision.status != EFFECTIVE:
        errors["revision"] = _("Training is given on the effective revision only.")
    method = method or Method.READ_UNDERSTOOD
    if method not in Method.values:
        errors["method"] = _("Choose a valid method.")
    due = _as_date(due_date, "due_date", required=False)
    if due is None:
        due = timezone.localdate() + dt.timedelta(days=DEFAULT_DUE_DAYS)
    if (
        not errors
        and TrainingTask.objects.filter(
            user=user, revision=revision, status=TaskStatus.OPEN
        ).exists()
    ):
        errors["revision"] = _("%(name)s has an open task on this revision.") % {"name": user}
    if errors:
        raise ValidationError(errors)
    with audited(actor=actor, reason=reason):
        return _open_task(user, revision, None, due, method=method)


def task_reschedule(*, actor, task: TrainingTask, due_date, reason: str = "") -> TrainingTask:
    """Move the due date of an open task; the reason is required."""
    perms.require_perm(actor, perms.TRAINING_MANAGE)
    reason = _require_reason(reason)
    task = _open_for_update(task)
    task.due_date = _as_date(due_date, "due_date")
    with audited(actor=actor, reason=reason):
        task.save()
    return task


def task_cancel(*, actor, task: TrainingTask, reason: str = "") -> TrainingTask:
    """Cancel an open task, e.g. training that was found not to be needed; the reason is kept."""
    perms.require_perm(actor, perms.TRAINING_MANAGE)
    reason = _require_reason(reason)
    task = _open_for_update(task)
    task.status = TaskStatus.CANCELLED
    task.status_reason = reason
    with audited(actor=actor, reason=reason):
        task.save()
    return task


def _open_for_update(task: TrainingTask) -> TrainingTask:
    task = TrainingTask.objects.select_related("revision", "user").get(pk=task.pk)
    if task.status != TaskStatus.OPEN:
        raise ValidationError(
            {"status": _("This task is %(status)s.") % {"status": task.get_status_display()}}
        )
    return task


# --- Completing training ----------------------------------------------------------------------


def _sign_then(*, actor, task, meaning, password, otp_token, then: Callable[[], None]):
    """Sign the task and run `then` in one transaction.

    A refused signature raises after the block has committed, so the failure that
    `record_sign` counts toward the signing lock-out is kept (rolled back, five wrong
    passwords would never lock). Nothing else is written before the refusal.
    """
    from samsvar.core.services import record_sign

    refused = None
    with audited(actor=actor):
        try:
            signature = record_sign(
                actor=actor, record=task, meaning=meaning, password=password, otp_token=otp_token
            )
        except (ValidationError, PermissionDenied) as exc:
            refused = exc
        else:
            then()
    if refused is not None:
        raise refused
    return signature


def _complete(task: TrainingTask) -> None:
    task.status = TaskStatus.COMPLETED
    task.completed_at = timezone.now()
    task.save()


def task_complete_read(*, actor, task: TrainingTask, password: str, otp_token: str = ""):
    """The trainee confirms, by e-signature, that they read and understood the revision.

    Only the assignee may sign; the signature (meaning "read and understood") freezes the task
    and the task is completed in the same transaction. Returns the signature.
    """
    perms.require_perm(actor, perms.TRAINING_TAKE)
    task = _open_for_update(task)
    if task.user_id != actor.pk:
        raise PermissionDenied(_("Only the trainee can sign their own training task."))
    if task.method != Method.READ_UNDERSTOOD:
        raise ValidationError(
            {"method": _("This training is instructor-led; it is completed by the assessment.")}
        )
    return _sign_then(
        actor=actor,
        task=task,
        meaning=SignatureMeaning.READ_UNDERSTOOD,
        password=password,
        otp_token=otp_token,
        then=lambda: _complete(task),
    )


def task_complete_instructor(
    *,
    actor,
    task: TrainingTask,
    trainer,
    session_date,
    assessment: str,
    result: str,
    notes: str = "",
    reason: str = "",
) -> TrainingTask:
    """Record an instructor-led session and its assessment (ISO 13485 6.2 b, d).

    A failed assessment leaves the task open with the attempt recorded; after a passed one the
    trainee and the trainer sign (`task_sign_instructor`) and the task is completed.
    """
    perms.require_perm(actor, perms.TRAINING_MANAGE)
    task = _open_for_update(task)
    errors = {}
    if task.assessment_result == AssessmentResult.PASSED:
        errors["result"] = _("The assessment is passed already; the trainee and trainer sign it.")
    if trainer is None:
        errors["trainer"] = _("This field is required.")
    elif trainer.pk == task.user_id:
        errors["trainer"] = _("The trainer cannot be the trainee.")
    elif not (trainer.is_active and perms.has_perm(trainer, perms.SIGN_REVIEWED)):
        errors["trainer"] = _("Choose an active person who can sign as trainer.")
    try:
        session_date = _as_date(session_date, "session_date")
        _not_in_future(session_date, "session_date")
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if result not in AssessmentResult.values:
        errors["result"] = _("Choose passed or failed.")
    try:
        assessment = _text(assessment, "assessment", limit=300, required=True)
        notes = _text(notes, "notes")
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    task.method = Method.INSTRUCTOR_LED
    task.trainer = trainer
    task.session_date = session_date
    task.assessment_method = assessment
    task.assessment_result = result
    task.notes = notes
    with audited(actor=actor, reason=reason):
        TrainingAttempt(
            task=task,
            number=task.attempts.count() + 1,
            trainer=trainer,
            session_date=session_date,
            assessment_method=assessment,
            result=result,
            notes=notes,
        ).save()
        task.save()
    return task


def task_sign_instructor(*, actor, task: TrainingTask, password: str, otp_token: str = ""):
    """The trainee ("read and understood") or the trainer ("reviewed") signs a passed
    instructor-led assessment; the second of the two signatures completes the task.
    """
    task = _open_for_update(task)
    if actor.pk == task.user_id:
        meaning = SignatureMeaning.READ_UNDERSTOOD
    elif task.trainer_id is not None and actor.pk == task.trainer_id:
        meaning = TRAINER_MEANING
    else:
        raise PermissionDenied(_("Only the trainee and the trainer sign this training."))
    if task.method != Method.INSTRUCTOR_LED or task.assessment_result != AssessmentResult.PASSED:
        raise ValidationError({"result": _("Only a passed instructor-led assessment is signed.")})

    def complete_when_both_signed():
        signed = {(s.signer_id, s.meaning) for s in current_signatures(obj=task)}
        needed = {
            (task.user_id, SignatureMeaning.READ_UNDERSTOOD.value),
            (task.trainer_id, TRAINER_MEANING.value),
        }
        if needed <= signed:
            _complete(task)

    return _sign_then(
        actor=actor,
        task=task,
        meaning=meaning,
        password=password,
        otp_token=otp_token,
        then=complete_when_both_signed,
    )


# --- Competence records -----------------------------------------------------------------------

COMPETENCE_FIELDS = (
    "user",
    "kind",
    "title",
    "issuer",
    "date",
    "expiry_date",
    "years_experience",
    "requirement",
    "evidence_file",
    "prrc_evidence",
    "notes",
)


def check_evidence_upload(upload) -> str:
    """Refuse an evidence file that is too large or whose content is not an accepted document
    type (the check document control uses); return its SHA-256.
    """
    try:
        checked = check_upload(upload)
    except ValidationError as exc:
        raise ValidationError({"evidence_file": exc.messages}) from None
    upload.name = checked.safe_name
    return checked.sha256


def _validate_competence(record: CompetenceRecord) -> None:
    record.title = " ".join(str(record.title or "").split())
    record.issuer = " ".join(str(record.issuer or "").split())
    record.notes = (record.notes or "").strip()
    errors = {}
    if record.kind == CompetenceKind.EXPERIENCE and record.prrc_evidence:
        if record.years_experience is None:
            errors["years_experience"] = _(
                "Give the years of experience: the PRRC's qualification depends on them."
            )
    elif record.years_experience is not None and record.kind != CompetenceKind.EXPERIENCE:
        errors["years_experience"] = _("Only an experience record has years of experience.")
    try:
        record.full_clean()
    except ValidationError as exc:
        errors = {**exc.message_dict, **errors}
    if record.expiry_date and record.date and record.expiry_date < record.date:
        errors["expiry_date"] = _("The expiry date is before the date.")
    if errors:
        raise ValidationError(errors)


def _apply_competence_fields(record: CompetenceRecord, fields: dict) -> None:
    upload = fields.pop("evidence_file", None)
    if fields.get("years_experience") == "":
        fields["years_experience"] = None
    for name in ("date", "expiry_date"):
        if name in fields:
            fields[name] = _as_date(fields[name], name, required=name == "date")
    for name, value in fields.items():
        setattr(record, name, value)
    if upload:
        record.evidence_sha256 = check_evidence_upload(upload)
        record.evidence_file = upload


def competence_record_create(*, actor, reason: str = "", **fields) -> CompetenceRecord:
    """Record a person's education, experience, certificate or training (ISO 13485 6.2 e)."""
    return _competence_save(actor, CompetenceRecord(), reason, fields)


def competence_record_update(
    *, actor, record: CompetenceRecord, reason: str = "", **fields
) -> CompetenceRecord:
    """Correct or renew a competence record, e.g. a certificate's new expiry date."""
    return _competence_save(actor, record, reason, fields)


def _competence_save(actor, record: CompetenceRecord, reason: str, fields: dict):
    perms.require_perm(actor, perms.TRAINING_MANAGE)
    reject_unknown_fields(fields, COMPETENCE_FIELDS)
    _apply_competence_fields(record, fields)
    _validate_competence(record)
    with audited(actor=actor, reason=reason):
        record.save()
    return record


# --- Effectiveness of training ----------------------------------------------------------------


@dataclass(frozen=True)
class _Subject:
    job_role: JobRole | None
    document: Document
    people: list


def _evaluation_subject(task, job_role, document) -> _Subject:
    if task is not None and (job_role is not None or document is not None):
        raise ValidationError(
            {"task": _("Evaluate either a training task or a job role and document.")}
        )
    if task is not None:
        if task.status != TaskStatus.COMPLETED:
            raise ValidationError({"task": _("Only completed training is evaluated.")})
        return _Subject(task.job_role, task.revision.document, [task.user])
    errors = {}
    if job_role is None:
        errors["job_role"] = _("Choose a training task, or a job role and a document.")
    if document is None:
        errors["document"] = _("Choose a training task, or a job role and a document.")
    if errors:
        raise ValidationError(errors)
    if not job_role.required_documents.filter(pk=document.pk).exists():
        raise ValidationError(
            {
                "document": _("%(role)s does not require %(document)s.")
                % {"role": job_role, "document": document.number}
            }
        )
    holders = RoleAssignment.objects.filter(job_role=job_role, until__isnull=True)
    return _Subject(job_role, document, [a.user for a in holders.select_related("user")])


def effectiveness_evaluation_create(
    *,
    actor,
    method: str,
    date,
    result: str,
    task: TrainingTask | None = None,
    job_role: JobRole | None = None,
    document: Document | None = None,
    evaluator=None,
    notes: str = "",
    reason: str = "",
) -> EffectivenessEvaluation:
    """Record whether training was effective (ISO 13485 6.2 d), for one completed task or for
    everyone in a job role on one document.

    A not-effective result opens new training on the document's effective revision for each
    person concerned who has no open task on it.
    """
    perms.require_perm(actor, perms.TRAINING_MANAGE)
    evaluator = evaluator or actor
    subject = _evaluation_subject(task, job_role, document)
    errors = {}
    if method not in EvaluationMethod.values:
        errors["method"] = _("Choose a valid method.")
    if result not in EvaluationResult.values:
        errors["result"] = _("Choose effective or not effective.")
    if not evaluator.is_active:
        errors["evaluator"] = _("Choose an active person.")
    try:
        date = _as_date(date, "date")
        _not_in_future(date, "date")
        notes = _text(notes, "notes")
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    evaluation = EffectivenessEvaluation(
        task=task,
        job_role=job_role,
        document=document,
        method=method,
        date=date,
        evaluator=evaluator,
        result=result,
        notes=notes,
    )
    with audited(actor=actor, reason=reason):
        evaluation.save()
        if result == EvaluationResult.NOT_EFFECTIVE:
            _retrain(evaluation, subject, method=task.method if task else None)
    return evaluation


def _retrain(evaluation, subject: _Subject, *, method) -> list[TrainingTask]:
    revision = effective_revision(subject.document)
    if revision is None:
        return []
    open_for = set(
        TrainingTask.objects.filter(revision=revision, status=TaskStatus.OPEN).values_list(
            "user_id", flat=True
        )
    )
    days = subject.job_role.due_days if subject.job_role else DEFAULT_DUE_DAYS
    due = timezone.localdate() + dt.timedelta(days=days)
    return [
        _open_task(person, revision, subject.job_role, due, method=method, evaluation=evaluation)
        for person in subject.people
        if person.pk not in open_for and person.is_active and _can_train(person)
    ]
