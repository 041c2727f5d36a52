"""Training effectiveness (ISO 13485 6.2 d): a not-effective result opens the training again."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from samsvar.core.services import record_sign
from samsvar.training.models import TaskStatus, TrainingTask
from samsvar.training.services import effectiveness_evaluation_create, task_complete_read
from tests.conftest import PASSWORD


@pytest.fixture
def completed(technician_role, assign, trainee):
    assign(trainee, technician_role)
    task = trainee.training_tasks.get()
    task_complete_read(actor=trainee, task=task, password=PASSWORD)
    task.refresh_from_db()
    return task


@pytest.mark.django_db
def test_not_effective_reopens_training_on_the_same_revision(completed, trainee, quality):
    evaluation = effectiveness_evaluation_create(
        actor=quality, task=completed, method="observation", date=timezone.localdate(),
        result="not_effective", notes="Logged a complaint without the device serial number.",
    )  # fmt: skip
    [again] = TrainingTask.objects.filter(user=trainee, status=TaskStatus.OPEN)
    assert again.revision == completed.revision
    assert again.evaluation == evaluation
    assert again.job_role == completed.job_role
    assert again.pk != completed.pk
    completed.refresh_from_db()
    assert completed.status == TaskStatus.COMPLETED, "the earlier record stays as it was"
    assert evaluation.evaluator == quality


@pytest.mark.django_db
def test_effective_opens_nothing_and_the_evaluation_can_be_signed(completed, quality):
    evaluation = effectiveness_evaluation_create(
        actor=quality, task=completed, method="test", date=timezone.localdate(),
        result="effective",
    )  # fmt: skip
    assert TrainingTask.objects.filter(status=TaskStatus.OPEN).count() == 0
    signature = record_sign(actor=quality, record=evaluation, meaning="approved", password=PASSWORD)
    assert signature.content_sha256 == evaluation.content_sha256()


@pytest.mark.django_db
def test_a_role_wide_evaluation_reopens_training_for_everyone_in_the_role(
    sop, technician_role, assign, trainee, make_user, quality
):
    colleague = make_user(username="colleague")
    assign(trainee, technician_role)
    assign(colleague, technician_role)
    task_complete_read(actor=trainee, task=trainee.training_tasks.get(), password=PASSWORD)
    effectiveness_evaluation_create(
        actor=quality, job_role=technician_role, document=sop, method="audit",
        date=timezone.localdate(), result="not_effective",
    )  # fmt: skip
    open_tasks = TrainingTask.objects.filter(status=TaskStatus.OPEN)
    assert sorted(t.user.username for t in open_tasks) == ["colleague", "trainee"]
    assert open_tasks.get(user=colleague).evaluation is None, "no second open task"


@pytest.mark.django_db
def test_evaluation_refusals_name_the_field(completed, docs, technician_role, quality, engineer):
    cases = [
        ({"task": completed, "job_role": technician_role}, "task"),
        ({}, "job_role"),
        ({"job_role": technician_role, "document": docs.document("Other")}, "document"),
        ({"task": completed, "method": "guess"}, "method"),
        ({"task": completed, "date": "tomorrow"}, "date"),
        ({"task": completed, "result": "fine"}, "result"),
    ]
    for fields, field in cases:
        values = {"method": "test", "date": timezone.localdate(), "result": "effective"}
        with pytest.raises(ValidationError) as refused:
            effectiveness_evaluation_create(actor=quality, **{**values, **fields})
        assert field in refused.value.message_dict, fields
    with pytest.raises(PermissionDenied):
        effectiveness_evaluation_create(
            actor=engineer, task=completed, method="test", date=timezone.localdate(),
            result="effective",
        )  # fmt: skip
