"""Training tasks follow the documents (ISO 13485 6.2): a revision that becomes effective
opens tasks for the people whose role requires it, and for nobody else.
"""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from samsvar.core.events import Event
from samsvar.core.models import AuditEvent
from samsvar.training.models import TaskStatus, TrainingTask
from samsvar.training.services import (
    job_role_update,
    role_assignment_end,
    tasks_for_effective_revision,
    tasks_sync_for_assignment,
)


def tasks_of(user, **filters):
    return TrainingTask.objects.filter(user=user, **filters)


@pytest.mark.django_db
def test_an_effective_revision_opens_tasks_only_for_people_whose_role_requires_it(
    docs, technician_role, assign, trainee, make_user
):
    outsider = make_user(username="outsider")
    assign(trainee, technician_role, since=dt.date(2026, 1, 5))
    manual = docs.document("Service manual", effective=False)
    job_role_update(
        actor=docs.actor,
        job_role=technician_role,
        required_documents=[*technician_role.required_documents.all(), manual],
    )
    assert not tasks_of(trainee, revision__document=manual).exists()

    revision = docs.make_effective(manual)

    [task] = tasks_of(trainee, revision=revision)
    assert task.status == TaskStatus.OPEN
    assert task.job_role == technician_role
    assert task.method == "read_understood"
    effective_on = timezone.localdate(revision.effective_at)
    assert task.due_date == effective_on + dt.timedelta(days=30), "30 days from the effective date"
    assert not TrainingTask.objects.filter(user=outsider).exists()
    created = AuditEvent.objects.filter(
        code=Event.RECORD_CREATED, object_type="training.trainingtask", object_id=str(task.pk)
    )
    assert created.get().actor_id == docs.actor.pk


@pytest.mark.django_db
def test_the_due_date_follows_the_job_role(
    docs, technician_role, assign, trainee, quality, make_user
):
    today = timezone.localdate()
    job_role_update(actor=quality, job_role=technician_role, due_days=10)
    assign(trainee, technician_role, since=today - dt.timedelta(days=100))
    revision = docs.revise(technician_role.required_documents.get())
    assert tasks_of(trainee, revision=revision).get().due_date == today + dt.timedelta(days=10)
    newcomer = assign(
        make_user(username="newcomer"), technician_role, since=today + dt.timedelta(days=20)
    )
    revision = docs.revise(technician_role.required_documents.get())
    task = tasks_of(newcomer.user, revision=revision).get()
    assert task.due_date == today + dt.timedelta(days=30), "counted from the day they start"


@pytest.mark.django_db
def test_generation_is_idempotent(docs, sop, technician_role, assign, trainee, quality):
    assign(trainee, technician_role)
    revision = sop.revisions.get(status="effective")
    assert tasks_of(trainee, revision=revision).count() == 1
    assert tasks_for_effective_revision(actor=quality, revision=revision) == []
    assert tasks_sync_for_assignment(actor=quality, assignment=trainee.role_assignments.get()) == []
    assert tasks_of(trainee, revision=revision).count() == 1


@pytest.mark.django_db
def test_a_new_revision_supersedes_the_open_tasks_on_the_old_one(
    docs, sop, technician_role, assign, trainee, make_user
):
    colleague = make_user(username="colleague")
    assign(trainee, technician_role)
    assign(colleague, technician_role)
    old = sop.revisions.get(status="effective")
    old_task = tasks_of(trainee, revision=old).get()
    # The colleague completed training on A; that record stays completed.
    from samsvar.training.services import task_complete_read
    from tests.conftest import PASSWORD

    task_complete_read(actor=colleague, task=tasks_of(colleague).get(), password=PASSWORD)

    new = docs.revise(sop)

    old_task.refresh_from_db()
    assert old_task.status == TaskStatus.SUPERSEDED
    assert tasks_of(colleague, revision=old).get().status == TaskStatus.COMPLETED
    assert tasks_of(trainee, revision=new, status=TaskStatus.OPEN).count() == 1
    assert tasks_of(colleague, revision=new, status=TaskStatus.OPEN).count() == 1


@pytest.mark.django_db
def test_assigning_a_role_opens_tasks_for_every_effective_required_document(
    docs, technician_role, assign, trainee, quality
):
    draft = docs.document("Not yet effective", effective=False)
    second = docs.document("Repair records")
    job_role_update(
        actor=quality, job_role=technician_role,
        required_documents=[*technician_role.required_documents.all(), draft, second],
    )  # fmt: skip
    since = timezone.localdate() + dt.timedelta(days=7)
    assign(trainee, technician_role, since=since)
    tasks = tasks_of(trainee).select_related("revision__document")
    assert sorted(t.revision.document.title for t in tasks) == [
        "Complaint handling",
        "Repair records",
    ]
    assert {t.due_date for t in tasks} == {since + dt.timedelta(days=30)}


@pytest.mark.django_db
def test_a_document_added_to_a_role_opens_tasks_and_a_removed_one_cancels_them(
    docs, sop, technician_role, assign, trainee, quality
):
    assign(trainee, technician_role)
    extra = docs.document("Cleaning")
    job_role_update(actor=quality, job_role=technician_role, required_documents=[sop, extra])
    assert tasks_of(trainee, revision__document=extra, status="open").count() == 1
    job_role_update(
        actor=quality, job_role=technician_role, required_documents=[extra],
        reason="Complaint handling moved to the support role.",
    )  # fmt: skip
    cancelled = tasks_of(trainee, revision__document=sop).get()
    assert cancelled.status == TaskStatus.CANCELLED
    assert cancelled.status_reason == "Complaint handling moved to the support role."
    event = AuditEvent.objects.filter(object_type="training.jobrole", action="update").first()
    assert event.changes["required_documents"] == [
        sorted([sop.number, extra.number]),
        [extra.number],
    ]


@pytest.mark.django_db
def test_leaving_a_role_cancels_open_tasks_with_the_reason(
    docs, sop, technician_role, assign, trainee, quality
):
    from samsvar.training.services import job_role_create

    assignment = assign(trainee, technician_role)
    support = job_role_create(actor=quality, name="Customer support", required_documents=[sop])
    other = docs.document("Servicing")
    job_role_update(actor=quality, job_role=technician_role, required_documents=[sop, other])
    assign(trainee, support)

    with pytest.raises(ValidationError) as missing:
        role_assignment_end(actor=quality, assignment=assignment)
    assert "reason" in missing.value.message_dict

    role_assignment_end(actor=quality, assignment=assignment, reason="Moved to support.")

    assert tasks_of(trainee, revision__document=other).get().status == TaskStatus.CANCELLED
    kept = tasks_of(trainee, revision__document=sop).get()
    assert kept.status == TaskStatus.OPEN, "support still requires complaint handling"
    assert kept.job_role == support
    cancel = AuditEvent.objects.filter(object_type="training.trainingtask", action="update")
    assert cancel.filter(reason="Moved to support.").exists()


@pytest.mark.django_db
def test_role_assignment_refusals_name_the_field(technician_role, assign, trainee, auditor):
    assign(trainee, technician_role)
    with pytest.raises(ValidationError) as twice:
        assign(trainee, technician_role)
    assert "job_role" in twice.value.message_dict
    with pytest.raises(ValidationError) as read_only:
        assign(auditor, technician_role)
    assert "user" in read_only.value.message_dict
    with pytest.raises(ValidationError) as bad_date:
        assign(auditor, technician_role, since="2026-02-30")
    assert "since" in bad_date.value.message_dict


@pytest.mark.django_db
def test_only_training_managers_assign_roles(technician_role, trainee, engineer):
    from samsvar.training.services import role_assignment_create

    with pytest.raises(PermissionDenied):
        role_assignment_create(actor=engineer, user=trainee, job_role=technician_role)
    assert not trainee.role_assignments.exists()


@pytest.mark.django_db
def test_a_failure_while_opening_tasks_rolls_the_revision_back(
    docs, sop, technician_role, assign, trainee, monkeypatch
):
    from samsvar.documents.models import Revision
    from samsvar.training import services

    assign(trainee, technician_role)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "_open_task", broken)
    with pytest.raises(RuntimeError):
        docs.revise(sop)
    assert sop.revisions.get(status="effective").label == "A"
    assert not Revision.objects.filter(document=sop, label="B", status="effective").exists()


@pytest.mark.django_db
def test_the_permission_walk_world_builds(users, device):
    from tests.training import world

    objects = world.build(device=device, users=users)
    assert set(objects) == {
        "training.job_role", "training.assignment", "training.task", "training.competence",
        "training.evaluation",
    }  # fmt: skip
    assert objects["training.task"].status == TaskStatus.OPEN
    assert objects["training.task"].user == users["engineer"]


@pytest.mark.django_db
def test_a_planned_effective_date_opens_tasks_as_the_system(
    docs, sop, technician_role, assign, trainee, make_user, quality, approver, users
):
    from samsvar.accounts.services import user_update
    from samsvar.core.services import record_sign
    from samsvar.documents import services as documents
    from tests.conftest import PASSWORD

    leaver = make_user(username="leaver")
    assign(trainee, technician_role)
    assign(leaver, technician_role)
    user_update(actor=users["administrator"], user=leaver, is_active=False)
    in_three_days = timezone.localdate() + dt.timedelta(days=3)
    revision = documents.revision_create(
        actor=quality, document=sop, reason_for_change="New complaint form.",
        effective_date=in_three_days,
    )  # fmt: skip
    revision = documents.revision_submit(actor=quality, revision=revision)
    record_sign(actor=approver, record=revision, meaning="approved", password=PASSWORD)
    documents.revision_approve(actor=quality, revision=revision)

    [done] = documents.revisions_activate_due(today=in_three_days)

    [task] = TrainingTask.objects.filter(revision=done)
    assert task.user == trainee, "an inactive person gets no task"
    created = AuditEvent.objects.get(
        code=Event.RECORD_CREATED, object_type="training.trainingtask", object_id=str(task.pk)
    )
    assert created.actor_id is None and created.actor_name == "samsvar"
