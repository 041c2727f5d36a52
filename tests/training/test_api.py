"""The training API: job roles, assignments, tasks and their completion, competence records,
effectiveness evaluations and the matrix, with field-named errors and the permission table.
"""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from samsvar.core.models import AuditEvent, Signature
from samsvar.training import selectors
from samsvar.training.models import CompetenceRecord, JobRole, TaskStatus
from samsvar.training.services import (
    competence_record_create,
    task_complete_read,
    task_reschedule,
)
from tests.api.conftest import field_errors
from tests.conftest import PASSWORD
from tests.training.test_matrix import world  # noqa: F401  (the matrix scenario)

V1 = "/api/v1/"
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def client_of():
    from rest_framework.test import APIClient

    def make(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return make


@pytest.fixture
def task(technician_role, assign, trainee):
    assign(trainee, technician_role)
    return trainee.training_tasks.get()


def signatures_on(task):
    return Signature.objects.filter(
        record_version__object_id=str(task.pk),
        record_version__content_type__model="trainingtask",
    )


# --- Job roles and assignments ----------------------------------------------------------------


@pytest.mark.django_db
def test_job_roles_are_created_listed_and_changed(docs, sop, trainee, quality, client_of):
    client = client_of(quality)
    created = client.post(
        f"{V1}training-job-roles/",
        {"name": "Production operator", "required_documents": [sop.pk], "due_days": 14},
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["required_document_numbers"] == [sop.number]
    assert body["training_method"] == "read_understood" and body["people"] == []
    role = JobRole.objects.get(pk=body["id"])

    assigned = client.post(
        f"{V1}training-assignments/", {"user": trainee.pk, "job_role": role.pk}, format="json"
    )
    assert assigned.status_code == 201
    assert assigned.json()["current"] is True
    assert trainee.training_tasks.get().due_date == timezone.localdate() + dt.timedelta(days=14)

    second = docs.document("Line clearance")
    patched = client.patch(
        f"{V1}training-job-roles/{role.pk}/",
        {"required_documents": [sop.pk, second.pk], "reason": "Line clearance added"},
        format="json",
    )
    assert patched.status_code == 200
    assert patched.json()["people"] == [trainee.pk]
    assert trainee.training_tasks.filter(revision__document=second, status="open").exists()
    listed = client.get(f"{V1}training-job-roles/").json()
    assert [r["name"] for r in listed["results"]] == ["Production operator"]
    history = client.get(f"{V1}training-job-roles/{role.pk}/history/").json()
    assert {e["action"] for e in history["results"]} >= {"create", "update"}


@pytest.mark.django_db
def test_job_role_errors_name_their_fields(technician_role, quality, engineer, client_of):
    client = client_of(quality)
    url = f"{V1}training-job-roles/"
    errors = field_errors(
        client.post(url, {"name": "service TECHNICIAN", "colour": "red"}, format="json")
    )
    assert set(errors) == {"colour"}
    errors = field_errors(client.post(url, {"name": "service TECHNICIAN"}, format="json"))
    assert "exists already" in errors["name"][0]
    errors = field_errors(
        client.post(url, {"name": "Operator", "required_documents": [987654]}, format="json")
    )
    assert "required_documents" in errors
    errors = field_errors(client.post(url, {"name": "Operator", "due_days": 0}, format="json"))
    assert "due_days" in errors
    assert client_of(engineer).post(url, {"name": "Operator"}, format="json").status_code == 403
    assert JobRole.objects.count() == 1


@pytest.mark.django_db
def test_an_assignment_ends_with_a_reason_and_cancels_its_training(task, quality, client_of):
    client = client_of(quality)
    assignment = task.job_role.assignments.get()
    url = f"{V1}training-assignments/{assignment.pk}/end/"
    assert "reason" in field_errors(client.post(url, {}, format="json"))
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    assert "until" in field_errors(
        client.post(url, {"until": future, "reason": "x"}, format="json")
    )
    ended = client.post(url, {"reason": "Moved to production"}, format="json")
    assert ended.status_code == 200 and ended.json()["current"] is False
    task.refresh_from_db()
    assert task.status == TaskStatus.CANCELLED
    current = client.get(f"{V1}training-assignments/", {"current": "true"}).json()
    assert current["count"] == 0
    past = client.get(f"{V1}training-assignments/", {"current": "false"}).json()
    assert [a["id"] for a in past["results"]] == [assignment.pk]


# --- Tasks ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_tasks_are_listed_and_filtered(world, quality, client_of):  # noqa: F811
    client = client_of(quality)
    trainee = world["people"][1]
    overdue = client.get(f"{V1}training-tasks/", {"overdue": "true"}).json()
    assert [(t["user"], t["document_number"]) for t in overdue["results"]] == [
        (trainee.pk, world["docs"][1].number)
    ]
    assert overdue["results"][0]["overdue"] is True
    mine = client_of(trainee).get(f"{V1}training-tasks/", {"mine": "true", "status": "completed"})
    results = mine.json()["results"]
    assert len(results) == 2 and {t["user"] for t in results} == {trainee.pk}
    assert all(t["signatures"][0]["meaning"] == "read_understood" for t in results)
    assert "colour" in field_errors(client.get(f"{V1}training-tasks/", {"colour": "red"}))
    assert "status" in field_errors(client.get(f"{V1}training-tasks/", {"status": "late"}))


@pytest.mark.django_db
def test_the_trainee_completes_read_and_understood_with_the_password(
    task, trainee, users, client_of
):
    url = f"{V1}training-tasks/{task.pk}/complete-read/"
    client = client_of(trainee)
    wrong = client.post(url, {"password": "not-it"}, format="json")
    assert field_errors(wrong) == {"password": ["The password is not correct."]}
    assert not signatures_on(task).exists()
    done = client.post(url, {"password": PASSWORD}, format="json")
    assert done.status_code == 200, done.json()
    body = done.json()
    assert body["status"] == "completed" and body["completed_at"]
    [signature] = body["signatures"]
    assert signature["meaning"] == "read_understood"
    assert signature["signer"] == trainee.pk
    assert signature["content_sha256"] == task.content_sha256()
    versions = client.get(f"{V1}training-tasks/{task.pk}/versions/").json()
    assert versions["results"][0]["content"]["fields"]["revision_label"] == "A"
    again = client.post(url, {"password": PASSWORD}, format="json")
    assert "status" in field_errors(again)


@pytest.mark.django_db
def test_nobody_else_completes_the_trainees_task(task, users, client_of):
    url = f"{V1}training-tasks/{task.pk}/complete-read/"
    colleague = client_of(users["quality_manager"])
    assert colleague.post(url, {"password": PASSWORD}, format="json").status_code == 404
    assert client_of(users["auditor"]).post(url, {"password": PASSWORD}).status_code == 403
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN
    assert not signatures_on(task).exists()
    assert colleague.get(f"{V1}training-tasks/{task.pk}/").status_code == 200


@pytest.mark.django_db
def test_instructor_led_training_over_the_api(task, trainee, quality, users, client_of):
    manager = client_of(quality)
    url = f"{V1}training-tasks/{task.pk}/instructor/"
    today = timezone.localdate().isoformat()
    session = {"trainer": quality.pk, "session_date": today, "assessment": "Bench test"}
    errors = field_errors(manager.post(url, {**session, "trainer": trainee.pk, "result": "passed"}))
    assert "trainer" in errors
    failed = manager.post(url, {**session, "result": "failed"}, format="json")
    assert failed.json()["status"] == "open" and failed.json()["assessment_result"] == "failed"
    passed = manager.post(url, {**session, "result": "passed"}, format="json")
    assert passed.json()["method"] == "instructor_led"

    sign = f"{V1}training-tasks/{task.pk}/sign-instructor/"
    outsider = client_of(users["approver"])
    assert outsider.post(sign, {"password": PASSWORD}, format="json").status_code == 404
    first = client_of(trainee).post(sign, {"password": PASSWORD}, format="json")
    assert first.json()["status"] == "open"
    second = manager.post(sign, {"password": PASSWORD}, format="json")
    assert second.json()["status"] == "completed"
    assert sorted(s["meaning"] for s in second.json()["signatures"]) == [
        "read_understood",
        "reviewed",
    ]


@pytest.mark.django_db
def test_tasks_are_given_rescheduled_and_cancelled_by_training_managers(
    task, make_user, quality, engineer, client_of
):
    client = client_of(quality)
    newcomer = make_user(username="newcomer", full_name="Nina Ny")
    given = client.post(
        f"{V1}training-tasks/",
        {"user": newcomer.pk, "revision": task.revision_id, "method": "instructor_led"},
        format="json",
    )
    assert given.status_code == 201 and given.json()["job_role"] is None
    assert given.json()["method"] == "instructor_led"
    unknown = client.post(
        f"{V1}training-tasks/", {"user": newcomer.pk, "revision": task.revision_id, "status": "x"}
    )
    assert set(field_errors(unknown)) == {"status"}
    url = f"{V1}training-tasks/{task.pk}/reschedule/"
    assert "reason" in field_errors(client.post(url, {"due_date": "2030-01-01"}, format="json"))
    moved = client.post(url, {"due_date": "2030-01-01", "reason": "Leave"}, format="json")
    assert moved.json()["due_date"] == "2030-01-01"
    assert (
        client_of(engineer)
        .post(f"{V1}training-tasks/{task.pk}/cancel/", {"reason": "x"}, format="json")
        .status_code
        == 403
    )
    cancelled = client.post(f"{V1}training-tasks/{task.pk}/cancel/", {"reason": "Not needed"})
    assert cancelled.json()["status"] == "cancelled"


# --- Competence records -----------------------------------------------------------------------


@pytest.mark.django_db
def test_competence_records_with_an_evidence_file_and_filters(trainee, quality, client_of):
    client = client_of(quality)
    today = timezone.localdate()
    created = client.post(
        f"{V1}training-competence/",
        {
            "user": trainee.pk,
            "kind": "certificate",
            "title": "Insulin pump servicing",
            "issuer": "Fjordmed AS",
            "date": (today - dt.timedelta(days=700)).isoformat(),
            "expiry_date": (today + dt.timedelta(days=20)).isoformat(),
            "evidence_file": SimpleUploadedFile("certificate.pdf", PDF, "application/pdf"),
        },
        format="multipart",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["has_evidence_file"] is True and len(body["evidence_sha256"]) == 64
    assert "evidence_file" not in body
    competence_record_create(
        actor=quality, user=trainee, kind="certificate", title="First aid",
        date=today - dt.timedelta(days=800), expiry_date=today - dt.timedelta(days=1),
    )  # fmt: skip
    soon = client.get(f"{V1}training-competence/", {"expiring_within": 30}).json()
    assert [r["title"] for r in soon["results"]] == ["Insulin pump servicing"]
    expired = client.get(f"{V1}training-competence/", {"expired": "true"}).json()
    assert [(r["title"], r["expired"]) for r in expired["results"]] == [("First aid", True)]

    record = CompetenceRecord.objects.get(pk=body["id"])
    renewed = client.patch(
        f"{V1}training-competence/{record.pk}/",
        {"expiry_date": (today + dt.timedelta(days=900)).isoformat(), "reason": "Renewed"},
        format="json",
    )
    assert renewed.status_code == 200
    assert client.get(f"{V1}training-competence/", {"expiring_within": 30}).json()["count"] == 0


@pytest.mark.django_db
def test_competence_errors_name_their_fields(trainee, quality, client_of):
    client = client_of(quality)
    url = f"{V1}training-competence/"
    base = {"user": trainee.pk, "title": "Pump servicing", "date": "2026-05-01"}
    assert "kind" in field_errors(client.post(url, {**base, "kind": "diploma"}, format="json"))
    errors = field_errors(
        client.post(
            url,
            {**base, "kind": "certificate", "expiry_date": "2026-01-01", "years_experience": 2},
            format="json",
        )
    )
    assert {"expiry_date", "years_experience"} <= set(errors)
    fake = SimpleUploadedFile("certificate.pdf", b"MZ\x90\x00 program", "application/pdf")
    errors = field_errors(
        client.post(url, {**base, "kind": "certificate", "evidence_file": fake}, format="multipart")
    )
    assert "evidence_file" in errors
    assert not CompetenceRecord.objects.exists()


@pytest.mark.django_db
def test_prrc_evidence_is_filtered(trainee, quality, client_of):
    competence_record_create(
        actor=quality, user=trainee, kind="education", title="MSc Pharmacy", date="2011-06-20",
        prrc_evidence=True,
    )  # fmt: skip
    competence_record_create(
        actor=quality, user=trainee, kind="certificate", title="First aid", date="2024-01-10"
    )
    found = client_of(quality).get(f"{V1}training-competence/", {"prrc_evidence": "true"}).json()
    assert [r["title"] for r in found["results"]] == ["MSc Pharmacy"]


# --- Effectiveness ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_evaluation_is_recorded_signed_and_reopens_training(
    task, trainee, quality, approver, client_of
):
    task_complete_read(actor=trainee, task=task, password=PASSWORD)
    client = client_of(quality)
    url = f"{V1}training-evaluations/"
    errors = field_errors(client.post(url, {"method": "test", "result": "effective"}))
    assert "date" in errors
    today = timezone.localdate().isoformat()
    created = client.post(
        url,
        {"task": task.pk, "method": "observation", "date": today, "result": "not_effective"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    retrain = trainee.training_tasks.get(status="open")
    assert body["retraining_tasks"] == [retrain.pk]
    assert body["evaluator"] == quality.pk and body["signatures"] == []
    signed = client_of(approver).post(
        f"{url}{body['id']}/sign/", {"meaning": "approved", "password": PASSWORD}, format="json"
    )
    assert signed.status_code == 201
    assert client.get(f"{url}{body['id']}/").json()["signatures"][0]["meaning"] == "approved"
    listed = client.get(url, {"result": "not_effective"}).json()
    assert [e["id"] for e in listed["results"]] == [body["id"]]


# --- The matrix -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_matrix_as_json_equals_the_selector(world, auditor, client_of):  # noqa: F811
    client = client_of(auditor)
    body = client.get(f"{V1}training-matrix/").json()
    matrix = selectors.training_matrix()
    assert [c["number"] for c in body["columns"]] == [c.number for c in matrix.columns]
    for got, row in zip(body["rows"], matrix.rows, strict=True):
        assert got["user"] == row.user_id
        assert [(c["status"], c["colour"]) for c in got["cells"]] == [
            (c.status, c.colour) for c in row.cells
        ]
    trainee = world["people"][1]
    ola = next(r for r in body["rows"] if r["user"] == trainee.pk)
    assert [c["status"] for c in ola["cells"]] == [
        "current", "overdue", "older", "missing", "not_required",
    ]  # fmt: skip
    assert ola["cells"][1]["due_date"] == world["yesterday"].isoformat()
    legend = {item["status"]: item["count"] for item in body["legend"]}
    assert legend == matrix.counts()

    support = JobRole.objects.get(name="Support")
    scoped = client.get(f"{V1}training-matrix/", {"job_role": support.pk}).json()
    assert [r["name"] for r in scoped["rows"]] == ["Per Berg"]
    assert "job_role" in field_errors(client.get(f"{V1}training-matrix/", {"job_role": 987654}))


@pytest.mark.django_db
def test_refused_writes_leave_no_trace(task, users, client_of):
    before = AuditEvent.objects.count()
    client = client_of(users["auditor"])
    assert (
        client.post(
            f"{V1}training-tasks/{task.pk}/reschedule/",
            {"due_date": "2030-01-01", "reason": "x"},
            format="json",
        ).status_code
        == 403
    )
    assert client.post(f"{V1}training-job-roles/", {"name": "X"}, format="json").status_code == 403
    assert AuditEvent.objects.count() == before
    task_reschedule(
        actor=users["quality_manager"], task=task, due_date="2030-01-01", reason="Planned"
    )
    assert AuditEvent.objects.count() > before
