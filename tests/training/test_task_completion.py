"""Completing training: read and understood by the trainee's e-signature, or instructor-led
with an assessment that the trainee and the trainer sign (ISO 13485 6.2; Part 11 §11.50).
"""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from samsvar.core.audit import audited
from samsvar.core.models import RecordVersion, Signature
from samsvar.core.selectors import current_signatures
from samsvar.training.models import TaskStatus, TrainingAttempt
from samsvar.training.services import (
    task_complete_instructor,
    task_complete_read,
    task_sign_instructor,
)
from tests.conftest import PASSWORD


def signatures_on(task):
    return Signature.objects.filter(
        record_version__object_id=str(task.pk),
        record_version__content_type__model="trainingtask",
    )


@pytest.fixture
def task(technician_role, assign, trainee):
    assign(trainee, technician_role)
    return trainee.training_tasks.get()


@pytest.mark.django_db
def test_the_trainee_signs_read_and_understood_and_the_task_completes(task, trainee):
    signature = task_complete_read(actor=trainee, task=task, password=PASSWORD)

    task.refresh_from_db()
    assert task.status == TaskStatus.COMPLETED
    assert abs(task.completed_at - timezone.now()) < dt.timedelta(minutes=1)
    assert signature.meaning == "read_understood"
    assert signature.signer == trainee and signature.signer_full_name == "Ola Nordmann"
    [stored] = current_signatures(obj=task)
    assert stored == signature
    frozen = RecordVersion.objects.get(pk=signature.record_version_id)
    assert frozen.content_sha256 == task.content_sha256() == signature.content_sha256
    assert frozen.content["fields"]["revision"] == task.revision_id
    assert frozen.content["fields"]["document_number"] == task.revision.document.number
    assert frozen.content["fields"]["revision_label"] == "A"
    assert "status" not in frozen.content["fields"], "the status is bookkeeping, not content"


@pytest.mark.django_db
def test_a_completed_task_is_frozen(task, trainee):
    task_complete_read(actor=trainee, task=task, password=PASSWORD)
    task.refresh_from_db()
    task.notes = "changed afterwards"
    with pytest.raises(ValidationError) as refused, audited(actor=trainee):
        task.save()
    assert "reason" in refused.value.message_dict
    with pytest.raises(ValidationError) as again:
        task_complete_read(actor=trainee, task=task, password=PASSWORD)
    assert "status" in again.value.message_dict
    assert current_signatures(obj=task).count() == 1


@pytest.mark.django_db
def test_only_the_assignee_signs_their_task(task, users, make_user):
    colleague = make_user(username="colleague")
    with pytest.raises(PermissionDenied):
        task_complete_read(actor=colleague, task=task, password=PASSWORD)
    with pytest.raises(PermissionDenied):
        task_complete_read(actor=users["quality_manager"], task=task, password=PASSWORD)
    with pytest.raises(PermissionDenied):
        task_complete_read(actor=users["auditor"], task=task, password=PASSWORD)
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN
    assert not signatures_on(task).exists()


@pytest.mark.django_db
def test_a_wrong_password_is_refused_and_counted(task, trainee):
    with pytest.raises(ValidationError) as refused:
        task_complete_read(actor=trainee, task=task, password="not-my-password")
    assert "password" in refused.value.message_dict
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN and task.completed_at is None
    assert not signatures_on(task).exists()
    assert not task.frozen_versions().exists()
    trainee.refresh_from_db()
    assert trainee.sign_failed_count == 1, "the failure counts toward the signing lock-out"


@pytest.mark.django_db
def test_read_signature_is_not_how_instructor_led_training_completes(task, trainee, quality):
    task_complete_instructor(
        actor=quality, task=task, trainer=quality, session_date=timezone.localdate(),
        assessment="Practical test", result="failed",
    )  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        task_complete_read(actor=trainee, task=task, password=PASSWORD)
    assert "method" in refused.value.message_dict


@pytest.mark.django_db
def test_instructor_led_training_failed_then_passed_then_signed_by_both(
    task, trainee, quality, approver
):
    first_day = timezone.localdate() - dt.timedelta(days=7)
    task_complete_instructor(
        actor=quality, task=task, trainer=approver, session_date=first_day,
        assessment="Supervised pump service", result="failed", notes="Missed the leak test.",
    )  # fmt: skip
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN
    assert task.method == "instructor_led"
    assert task.assessment_result == "failed"
    with pytest.raises(ValidationError) as not_passed:
        task_sign_instructor(actor=trainee, task=task, password=PASSWORD)
    assert "result" in not_passed.value.message_dict

    task_complete_instructor(
        actor=quality, task=task, trainer=approver, session_date=timezone.localdate(),
        assessment="Supervised pump service", result="passed",
    )  # fmt: skip
    attempts = list(TrainingAttempt.objects.filter(task=task).values_list("number", "result"))
    assert attempts == [(1, "failed"), (2, "passed")]
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN, "open until both have signed"

    with pytest.raises(PermissionDenied):
        task_sign_instructor(actor=quality, task=task, password=PASSWORD)
    task_sign_instructor(actor=trainee, task=task, password=PASSWORD)
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN
    task_sign_instructor(actor=approver, task=task, password=PASSWORD)
    task.refresh_from_db()
    assert task.status == TaskStatus.COMPLETED
    meanings = {(s.signer_id, s.meaning) for s in current_signatures(obj=task)}
    assert meanings == {(trainee.pk, "read_understood"), (approver.pk, "reviewed")}
    assert task.version == 1, "both signed the same version"


@pytest.mark.django_db
def test_instructor_led_input_errors_name_their_fields(task, trainee, quality, auditor):
    with pytest.raises(ValidationError) as refused:
        task_complete_instructor(
            actor=quality, task=task, trainer=trainee,
            session_date=timezone.localdate() + dt.timedelta(days=3),
            assessment=" ", result="maybe",
        )  # fmt: skip
    assert set(refused.value.message_dict) == {"trainer", "session_date", "assessment", "result"}
    with pytest.raises(ValidationError) as read_only:
        task_complete_instructor(
            actor=quality, task=task, trainer=auditor, session_date="2026-13-01",
            assessment="Test", result="passed",
        )  # fmt: skip
    assert set(read_only.value.message_dict) == {"trainer", "session_date"}
    assert not TrainingAttempt.objects.exists()
    with pytest.raises(PermissionDenied):
        task_complete_instructor(
            actor=trainee, task=task, trainer=quality, session_date=timezone.localdate(),
            assessment="Test", result="passed",
        )  # fmt: skip
