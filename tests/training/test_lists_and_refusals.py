"""Due and overdue lists, one's own tasks, hand-made tasks and the refusals of job roles."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from samsvar.training.models import JobRole, TaskStatus
from samsvar.training.selectors import my_tasks, task_list, tasks_due, tasks_overdue
from samsvar.training.services import (
    job_role_create,
    job_role_update,
    task_cancel,
    task_create,
    task_reschedule,
    tasks_cancel_for_revision,
)

TODAY = timezone.localdate


@pytest.fixture
def three_tasks(docs, sop, technician_role, assign, trainee, quality):
    """Ola's tasks due in 5 days, in 40 days and 3 days ago."""
    second, third = docs.document("Repair records"), docs.document("Cleaning")
    job_role_update(
        actor=quality, job_role=technician_role, required_documents=[sop, second, third]
    )
    assign(trainee, technician_role)
    due = {sop: 5, second: 40, third: -3}
    tasks = {}
    for document, days in due.items():
        task = trainee.training_tasks.get(revision__document=document)
        tasks[days] = task_reschedule(
            actor=quality, task=task, due_date=TODAY() + dt.timedelta(days=days), reason="Plan."
        )
    return tasks


@pytest.mark.django_db
def test_due_overdue_and_my_tasks(three_tasks, trainee, make_user, quality):
    assert list(tasks_due(TODAY())) == [three_tasks[5]]
    assert list(tasks_due(TODAY(), within_days=60)) == [three_tasks[5], three_tasks[40]]
    assert list(tasks_overdue(TODAY())) == [three_tasks[-3]]
    assert list(my_tasks(trainee)) == [three_tasks[-3], three_tasks[5], three_tasks[40]]
    assert list(my_tasks(make_user(username="someone"))) == []
    task_cancel(actor=quality, task=three_tasks[-3], reason="Not needed for this site.")
    assert list(tasks_overdue(TODAY())) == []
    assert three_tasks[-3] not in my_tasks(trainee)
    assert three_tasks[-3] in my_tasks(trainee, include_closed=True)
    assert list(task_list(user=quality, overdue=True)) == []
    assert task_list(user=quality, status="cancelled").get() == three_tasks[-3]


@pytest.mark.django_db
def test_reschedule_and_cancel_need_a_reason_and_an_open_task(three_tasks, quality, engineer):
    task = three_tasks[5]
    with pytest.raises(ValidationError) as no_reason:
        task_cancel(actor=quality, task=task)
    assert "reason" in no_reason.value.message_dict
    with pytest.raises(ValidationError) as bad_date:
        task_reschedule(actor=quality, task=task, due_date="soon", reason="Holiday.")
    assert "due_date" in bad_date.value.message_dict
    with pytest.raises(PermissionDenied):
        task_cancel(actor=engineer, task=task, reason="I'd rather not.")
    task_cancel(actor=quality, task=task, reason="Duplicate.")
    with pytest.raises(ValidationError) as closed:
        task_reschedule(actor=quality, task=task, due_date=TODAY(), reason="Late.")
    assert "status" in closed.value.message_dict


@pytest.mark.django_db
def test_a_task_by_hand_for_someone_outside_the_role(docs, sop, quality, make_user, auditor):
    visitor = make_user(username="visitor")
    revision = sop.revisions.get(status="effective")
    task = task_create(actor=quality, user=visitor, revision=revision, method="instructor_led")
    assert (task.status, task.method, task.job_role) == ("open", "instructor_led", None)
    assert task.due_date == TODAY() + dt.timedelta(days=30)
    with pytest.raises(ValidationError) as twice:
        task_create(actor=quality, user=visitor, revision=revision)
    assert "revision" in twice.value.message_dict
    draft = docs.document("Draft only", effective=False).revisions.get()
    with pytest.raises(ValidationError) as refused:
        task_create(actor=quality, user=auditor, revision=draft, method="osmosis")
    assert set(refused.value.message_dict) == {"user", "revision", "method"}


@pytest.mark.django_db
def test_withdrawing_a_revision_cancels_its_open_tasks(
    sop, technician_role, assign, trainee, users
):
    assign(trainee, technician_role)
    revision = sop.revisions.get(status="effective")
    with pytest.raises(PermissionDenied):
        tasks_cancel_for_revision(actor=users["engineer"], revision=revision, reason="x")
    count = tasks_cancel_for_revision(
        actor=users["regulatory_affairs"], revision=revision, reason="SOP withdrawn."
    )
    assert count == 1
    task = trainee.training_tasks.get()
    assert (task.status, task.status_reason) == (TaskStatus.CANCELLED, "SOP withdrawn.")


@pytest.mark.django_db
def test_job_role_refusals_name_the_field(technician_role, assign, trainee, quality, engineer):
    cases = [
        ({"name": "service TECHNICIAN"}, "name"),
        ({"name": ""}, "name"),
        ({"name": "Cleaner", "due_days": 0}, "due_days"),
        ({"name": "Cleaner", "due_days": 400}, "due_days"),
        ({"name": "Cleaner", "training_method": "telepathy"}, "training_method"),
        ({"name": "Cleaner", "required_documents": [999999]}, "required_documents"),
        ({"name": "Cleaner", "required_documents": ["abc"]}, "required_documents"),
        ({"name": "Cleaner", "required_documents": "SOP-001"}, "required_documents"),
        ({"name": "Cleaner", "salary": 1}, "salary"),
    ]
    for fields, field in cases:
        with pytest.raises(ValidationError) as refused:
            job_role_create(actor=quality, **fields)
        assert field in refused.value.message_dict, fields
    assert JobRole.objects.count() == 1
    with pytest.raises(PermissionDenied):
        job_role_create(actor=engineer, name="Cleaner")
    assign(trainee, technician_role)
    with pytest.raises(ValidationError) as held:
        job_role_update(actor=quality, job_role=technician_role, active=False)
    assert "active" in held.value.message_dict


@pytest.mark.django_db
def test_who_can_be_trained_and_who_can_train(users):
    from samsvar.training.selectors import trainees, trainers

    learners = {u.username for u in trainees(user=users["auditor"])}
    teachers = {u.username for u in trainers(user=users["auditor"])}
    assert "auditor" not in learners and {"engineer", "administrator"} <= learners
    assert "administrator" not in teachers and {"engineer", "approver"} <= teachers
