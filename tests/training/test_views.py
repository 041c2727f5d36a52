"""The training pages as their users see them: my training and signing read-and-understood, the
matrix and its workbook, job roles, instructor-led sessions, competence records and expiry,
effectiveness evaluations (ISO 13485 6.2).
"""

import datetime as dt
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from samsvar.core.models import Signature
from samsvar.training import selectors
from samsvar.training.models import (
    CompetenceRecord,
    EffectivenessEvaluation,
    JobRole,
    RoleAssignment,
    TaskStatus,
    TrainingAttempt,
)
from samsvar.training.services import (
    competence_record_create,
    competence_requirement_add,
    task_complete_instructor,
    task_complete_read,
    task_reschedule,
)
from tests.conftest import PASSWORD
from tests.training.test_matrix import world  # noqa: F401  (the matrix scenario)

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def signatures_on(task):
    return Signature.objects.filter(
        record_version__object_id=str(task.pk),
        record_version__content_type__model="trainingtask",
    )


def page(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


@pytest.fixture
def task(technician_role, assign, trainee):
    assign(trainee, technician_role)
    return trainee.training_tasks.get()


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


# --- My training and signing ------------------------------------------------------------------


@pytest.mark.django_db
def test_my_training_shows_open_and_overdue_tasks(task, trainee, docs, quality, as_user):
    late = docs.document("Pump servicing")
    from samsvar.training.services import job_role_update

    job_role_update(
        actor=quality, job_role=task.job_role, required_documents=[task.revision.document, late]
    )
    late_task = trainee.training_tasks.get(revision__document=late)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    task_reschedule(actor=quality, task=late_task, due_date=yesterday, reason="Original plan")

    html = page(as_user(trainee), reverse("training:my_tasks"))
    overdue, rest = html.split('id="open"')
    assert late.number in overdue and task.revision.document.number not in overdue
    assert task.revision.document.number in rest
    assert reverse("training:task_sign", args=[task.pk]) in rest
    assert yesterday.isoformat() in overdue


@pytest.mark.django_db
def test_the_sign_page_shows_the_revision_rendered_and_escaped(
    docs, technician_role, assign, trainee, as_user
):
    from samsvar.documents.services import revision_create
    from samsvar.training.services import job_role_update

    document = docs.document("Labelling")
    revision_create(
        actor=docs.actor,
        document=document,
        reason_for_change="Norwegian labels",
        content_md="# Labels\n\nUse **Norwegian** text.\n\n<script>alert(1)</script>",
    )
    docs.make_effective(document)
    job_role_update(actor=docs.actor, job_role=technician_role, required_documents=[document])
    assign(trainee, technician_role)
    current = trainee.training_tasks.get(status="open")
    assert current.revision.label == "B"

    html = page(as_user(trainee), reverse("training:task_sign", args=[current.pk]))
    assert '<h1 id="sec-labels">Labels</h1>' in html
    assert "<strong>Norwegian</strong>" in html
    assert "<script>alert(1)</script>" not in html
    assert "revision B" in html and "Norwegian labels" in html
    assert 'name="password"' in html
    copy = reverse("documents:revision_copy", args=[current.revision_id])
    assert f'href="{copy}"' in html
    pdf = as_user(trainee).get(copy)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


@pytest.mark.django_db
def test_a_wrong_password_is_a_field_error_and_signs_nothing(task, trainee, as_user):
    client = as_user(trainee)
    url = reverse("training:task_sign", args=[task.pk])
    response = client.post(url, {"password": "not-my-password"})
    assert response.status_code == 200
    assert response.context["form"].errors["password"] == ["The password is not correct."]
    assert 'id="id_password_error"' in response.content.decode()
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN
    assert not signatures_on(task).exists()


@pytest.mark.django_db
def test_the_trainee_signs_read_and_understood_through_the_page(task, trainee, as_user):
    client = as_user(trainee)
    response = client.post(reverse("training:task_sign", args=[task.pk]), {"password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("training:my_tasks")
    task.refresh_from_db()
    assert task.status == TaskStatus.COMPLETED and task.completed_at is not None
    [signature] = signatures_on(task)
    assert signature.meaning == "read_understood"
    assert signature.signer == trainee
    assert signature.content_sha256 == task.content_sha256()
    html = page(client, reverse("training:my_tasks"))
    assert "The training is completed." in html
    detail = page(client, reverse("training:task", args=[task.pk]))
    assert "Read and understood" in detail and "Ola Nordmann" in detail
    assert 'name="password"' not in detail, "nothing left to sign"


@pytest.mark.django_db
def test_only_the_assignee_can_sign(task, users, as_user):
    colleague = users["engineer"]
    client = as_user(colleague)
    url = reverse("training:task_sign", args=[task.pk])
    html = page(client, url)
    assert 'name="password"' not in html
    assert "Only Ola Nordmann signs this training." in html
    response = client.post(url, {"password": PASSWORD})
    assert response.status_code == 200
    assert "Only the trainee can sign their own training task." in response.content.decode()
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN
    assert not signatures_on(task).exists()
    auditor = as_user(users["auditor"])
    assert auditor.post(url, {"password": PASSWORD}).status_code == 403


@pytest.mark.django_db
def test_the_task_list_filters_by_status_and_overdue(world, as_user, quality):  # noqa: F811
    client = as_user(quality)
    overdue_doc = world["docs"][1]
    html = page(client, reverse("training:tasks"), overdue="on").split('id="task-table"')[1]
    assert overdue_doc.number in html
    assert world["docs"][0].number not in html
    completed = page(client, reverse("training:tasks"), status="completed")
    assert completed.count('<span class="tag ok">Completed</span>') == 2
    partial = client.get(reverse("training:tasks"), {"status": "open"}, HTTP_HX_REQUEST="true")
    assert "<html" not in partial.content.decode()


# --- The matrix -------------------------------------------------------------------------------

CELL = re.compile(r'<td class="cell (\w+)" data-status="(\w+)"')
ROW = re.compile(r'<tr data-user="(\d+)">(.*?)</tr>', re.S)


def cells_in(html) -> dict[int, list[tuple[str, str]]]:
    return {int(user): CELL.findall(body) for user, body in ROW.findall(html)}


@pytest.mark.django_db
def test_the_matrix_page_shows_each_cell_in_its_colour(world, as_user, auditor):  # noqa: F811
    kari, trainee, per = world["people"]
    html = page(as_user(auditor), reverse("training:matrix"))
    shown = cells_in(html)
    assert list(shown) == [kari.pk, trainee.pk, per.pk]
    assert shown[trainee.pk] == [
        ("green", "current"),
        ("red", "overdue"),
        ("amber", "older"),
        ("red", "missing"),
        ("grey", "not_required"),
    ]
    assert shown[per.pk][-1] == ("amber", "open")
    assert shown[per.pk][0] == ("grey", "not_required")
    matrix = selectors.training_matrix()
    for row in matrix.rows:
        assert shown[row.user_id] == [(c.colour, c.status) for c in row.cells]
    counts = matrix.counts()
    for status, colour in selectors.COLOURS.items():
        assert f'data-status="{status}"><span class="swatch {colour}">{counts[status]}<' in html
    assert f"Overdue since {world['yesterday'].isoformat()}" in html
    assert "Rev. A only" in html


@pytest.mark.django_db
def test_the_matrix_filters_by_job_role(world, as_user, quality):  # noqa: F811
    support = JobRole.objects.get(name="Support")
    per = world["people"][2]
    html = page(as_user(quality), reverse("training:matrix"), job_role=support.pk)
    assert list(cells_in(html)) == [per.pk]
    assert cells_in(html)[per.pk] == [("amber", "open")]
    assert world["docs"][4].number in html and world["docs"][0].number not in html


@pytest.mark.django_db
def test_the_matrix_exports_to_xlsx_with_the_filter(world, as_user, quality):  # noqa: F811
    from openpyxl import load_workbook

    client = as_user(quality)
    response = client.get(reverse("training:matrix_xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "training-matrix-" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content))["Training matrix"]
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    assert rows["Ola Nordmann"][2].value == "Trained"
    assert rows["Ola Nordmann"][2].fill.start_color.rgb.endswith("C6EFCE")
    assert rows["Ola Nordmann"][3].fill.start_color.rgb.endswith("FFC7CE")
    support = JobRole.objects.get(name="Support")
    filtered = client.get(reverse("training:matrix_xlsx"), {"job_role": support.pk})
    names = [r[0] for r in load_workbook(io.BytesIO(filtered.content)).active.iter_rows(
        min_row=2, values_only=True
    )]  # fmt: skip
    assert names == ["Per Berg"]


@pytest.mark.django_db
def test_the_matrix_page_takes_a_bounded_number_of_queries(
    world,  # noqa: F811
    technician_role,
    assign,
    make_user,
    as_user,
    quality,
    django_assert_max_num_queries,
):
    client = as_user(quality)
    for n in range(15):
        assign(make_user(username=f"tech-{n}"), technician_role)
    with django_assert_max_num_queries(12):
        page(client, reverse("training:matrix"))


# --- Job roles --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_job_role_is_created_and_people_assigned_through_the_pages(
    docs, sop, trainee, quality, as_user
):
    client = as_user(quality)
    response = client.post(
        reverse("training:job_role_create"),
        {
            "name": "Production operator",
            "description": "Assembles insulin pumps.",
            "required_documents": [sop.pk],
            "training_method": "read_understood",
            "due_days": "14",
            "active": "on",
        },
    )
    role = JobRole.objects.get(name="Production operator")
    assert response.status_code == 302 and response["Location"] == role.get_absolute_url()
    assign = client.post(reverse("training:job_role_assign", args=[role.pk]), {"user": trainee.pk})
    assert assign.status_code == 302
    task = trainee.training_tasks.get(revision__document=sop)
    assert task.job_role == role
    assert task.due_date == timezone.localdate() + dt.timedelta(days=14)
    html = page(client, role.get_absolute_url())
    assert "Ola Nordmann" in html and sop.number in html
    assert 'data-status="open"' in html

    assignment = RoleAssignment.objects.get(user=trainee, job_role=role)
    url = reverse("training:assignment_end", args=[assignment.pk])
    refused = client.post(url, {})
    assert "reason" in refused.context["form"].errors
    client.post(url, {"reason": "Moved to service"})
    task.refresh_from_db()
    assert task.status == TaskStatus.CANCELLED and task.status_reason == "Moved to service"


@pytest.mark.django_db
def test_job_role_form_errors_name_their_fields(technician_role, quality, engineer, as_user):
    client = as_user(quality)
    url = reverse("training:job_role_create")
    fields = {"training_method": "read_understood", "due_days": "30"}
    twice = client.post(url, {**fields, "name": technician_role.name.upper()})
    assert "exists already" in twice.context["form"].errors["name"][0]
    zero = client.post(url, {**fields, "name": "Customer support", "due_days": "0"})
    assert "due_days" in zero.context["form"].errors
    assert JobRole.objects.count() == 1
    assert as_user(engineer).get(url).status_code == 403


@pytest.mark.django_db
def test_required_competences_are_added_and_removed(technician_role, quality, as_user):
    client = as_user(quality)
    add = reverse("training:job_role_requirement_add", args=[technician_role.pk])
    client.post(add, {"name": "Insulin pump servicing certificate"})
    requirement = technician_role.competence_requirements.get()
    twice = client.post(add, {"name": "insulin pump servicing certificate"})
    assert "already requires" in twice.context["form"].errors["name"][0]
    remove = reverse("training:job_role_requirement_remove", args=[technician_role.pk])
    assert client.post(remove, {"requirement": requirement.pk}).status_code == 302
    assert not technician_role.competence_requirements.exists()


# --- Instructor-led training ------------------------------------------------------------------


@pytest.mark.django_db
def test_instructor_led_training_through_the_pages(task, trainee, quality, as_user, client):
    url = reverse("training:task_instructor", args=[task.pk])
    manager = as_user(quality)
    today = timezone.localdate()
    future = manager.post(
        url,
        {
            "trainer": trainee.pk,
            "session_date": (today + dt.timedelta(days=2)).isoformat(),
            "assessment": "Written test",
            "result": "passed",
        },
    )
    errors = future.context["form"].errors
    assert "trainer" in errors or "session_date" in errors
    assert not TrainingAttempt.objects.exists()

    session = {"trainer": quality.pk, "session_date": today.isoformat(), "result": "failed"}
    manager.post(url, {**session, "assessment": "Written test, 10 questions, pass mark 8"})
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN and task.method == "instructor_led"
    manager.post(url, {**session, "assessment": "Written test, second attempt", "result": "passed"})
    assert list(task.attempts.values_list("result", flat=True)) == ["failed", "passed"]
    html = page(manager, reverse("training:task", args=[task.pk]))
    assert "Written test, second attempt" in html and "Failed" in html

    sign = reverse("training:task_sign", args=[task.pk])
    as_user(trainee).post(sign, {"password": PASSWORD})
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN
    as_user(quality).post(sign, {"password": PASSWORD})
    task.refresh_from_db()
    assert task.status == TaskStatus.COMPLETED
    assert sorted(signatures_on(task).values_list("meaning", flat=True)) == [
        "read_understood",
        "reviewed",
    ]


@pytest.mark.django_db
def test_reschedule_and_cancel_need_a_reason(task, quality, as_user):
    client = as_user(quality)
    new_date = timezone.localdate() + dt.timedelta(days=60)
    url = reverse("training:task_reschedule", args=[task.pk])
    refused = client.post(url, {"due_date": new_date.isoformat()})
    assert "reason" in refused.context["form"].errors
    client.post(url, {"due_date": new_date.isoformat(), "reason": "Parental leave"})
    task.refresh_from_db()
    assert task.due_date == new_date
    client.post(reverse("training:task_cancel", args=[task.pk]), {"reason": "Not needed"})
    task.refresh_from_db()
    assert task.status == TaskStatus.CANCELLED


# --- Competence -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_competence_records_show_expiry_and_prrc_evidence(trainee, quality, as_user, auditor):
    today = timezone.localdate()
    soon = competence_record_create(
        actor=quality, user=trainee, kind="certificate", title="Pump servicing",
        date=today - dt.timedelta(days=700), expiry_date=today + dt.timedelta(days=10),
    )  # fmt: skip
    old = competence_record_create(
        actor=quality, user=trainee, kind="certificate", title="First aid",
        date=today - dt.timedelta(days=800), expiry_date=today - dt.timedelta(days=5),
    )  # fmt: skip
    later = competence_record_create(
        actor=quality, user=trainee, kind="certificate", title="ESD handling",
        date=today, expiry_date=today + dt.timedelta(days=400),
    )  # fmt: skip
    client = as_user(auditor)
    expiring = page(client, reverse("training:expiring"))
    expired_part, expiring_part = expiring.split('id="expiring"')
    assert old.title in expired_part and soon.title not in expired_part
    assert soon.title in expiring_part and later.title not in expiring_part
    wider = page(client, reverse("training:expiring"), days="500")
    assert later.title in wider.split('id="expiring"')[1]

    person = page(client, reverse("training:person", args=[trainee.pk]))
    assert "expires soon" in person and "expired" in person
    assert "PRRC qualification" not in person

    competence_record_create(
        actor=quality, user=trainee, kind="education", title="MSc Biomedical engineering",
        issuer="NTNU", date="2015-06-20", prrc_evidence=True,
    )  # fmt: skip
    competence_record_create(
        actor=quality, user=trainee, kind="experience", title="Regulatory affairs, pumps",
        date="2019-01-01", years_experience="3.5", prrc_evidence=True,
    )  # fmt: skip
    person = page(client, reverse("training:person", args=[trainee.pk]))
    assert "PRRC qualification (MDR/IVDR Art. 15)" in person
    assert "Meets Art. 15(1)" in person
    assert person.count('class="tr-prrc"') == 2
    people = page(client, reverse("training:people"))
    assert "Expired: 1" in people and "Expiring soon: 1" in people


@pytest.mark.django_db
def test_the_competence_form_names_bad_fields_and_checks_the_file(trainee, quality, as_user):
    client = as_user(quality)
    url = reverse("training:competence_create")
    base = {"user": trainee.pk, "kind": "certificate", "title": "Pump servicing"}
    response = client.post(
        url, {**base, "date": "2026-05-01", "expiry_date": "2026-04-01", "years_experience": "2"}
    )
    errors = response.context["form"].errors
    assert "expiry_date" in errors and "years_experience" in errors
    fake = SimpleUploadedFile("certificate.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    response = client.post(url, {**base, "date": "2026-05-01", "evidence_file": fake})
    assert "evidence_file" in response.context["form"].errors
    assert not CompetenceRecord.objects.exists()

    good = SimpleUploadedFile("certificate.pdf", PDF, "application/pdf")
    response = client.post(url, {**base, "date": "2026-05-01", "evidence_file": good})
    record = CompetenceRecord.objects.get()
    assert response["Location"] == record.get_absolute_url()
    download = client.get(reverse("training:competence_evidence", args=[record.pk]))
    assert b"".join(download.streaming_content) == PDF

    edit = reverse("training:competence_edit", args=[record.pk])
    client.post(edit, {**base, "date": "2026-05-01", "expiry_date": "2028-05-01"})
    record.refresh_from_db()
    assert record.expiry_date == dt.date(2028, 5, 1)
    assert record.evidence_file, "an edit without a new file keeps the evidence"


# --- Effectiveness ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_not_effective_evaluation_opens_training_again(task, trainee, quality, as_user):
    task_complete_read(actor=trainee, task=task, password=PASSWORD)
    client = as_user(quality)
    form = page(client, reverse("training:evaluation_create"), task=task.pk)
    assert f'<option value="{task.pk}" selected>' in form
    response = client.post(
        reverse("training:evaluation_create"),
        {
            "task": task.pk,
            "method": "observation",
            "date": timezone.localdate().isoformat(),
            "result": "not_effective",
            "notes": "Leak test steps skipped at the bench.",
        },
    )
    evaluation = EffectivenessEvaluation.objects.get()
    assert response["Location"] == evaluation.get_absolute_url()
    retrain = trainee.training_tasks.get(status="open")
    assert retrain.evaluation == evaluation
    html = page(client, evaluation.get_absolute_url())
    assert "Training not effective" in html and reverse("training:task", args=[retrain.pk]) in html
    assert "Ola Nordmann" in page(client, reverse("training:evaluations"))


@pytest.mark.django_db
def test_an_evaluation_needs_a_subject(quality, as_user):
    response = as_user(quality).post(
        reverse("training:evaluation_create"),
        {"method": "test", "date": timezone.localdate().isoformat(), "result": "effective"},
    )
    errors = response.context["form"].errors
    assert "job_role" in errors and "document" in errors
    assert not EffectivenessEvaluation.objects.exists()


@pytest.mark.django_db
def test_every_training_page_answers_each_role(task, users, quality, client):
    requirement = competence_requirement_add(
        actor=quality, job_role=task.job_role, name="Servicing certificate"
    )
    record = competence_record_create(
        actor=quality, user=task.user, kind="certificate", title="Servicing certificate",
        date="2025-01-01", requirement=requirement,
    )  # fmt: skip
    task_complete_instructor(
        actor=quality, task=task, trainer=quality, session_date=timezone.localdate(),
        assessment="Observed", result="passed",
    )  # fmt: skip
    urls = [
        reverse("training:my_tasks"),
        reverse("training:tasks"),
        reverse("training:task", args=[task.pk]),
        reverse("training:matrix"),
        reverse("training:job_roles"),
        reverse("training:job_role", args=[task.job_role_id]),
        reverse("training:people"),
        reverse("training:person", args=[task.user_id]),
        reverse("training:competence", args=[record.pk]),
        reverse("training:expiring"),
        reverse("training:evaluations"),
    ]
    for role, user in users.items():
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 200, (role, url)
    assert client.get(reverse("training:person", args=[987654])).status_code == 404
    assert client.get(reverse("training:task", args=[987654])).status_code == 404
