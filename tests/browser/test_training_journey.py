"""A trainee in headless chromium: a revision becomes effective, the task is waiting on My
training, the trainee reads the revision and signs it read and understood, and the training
matrix turns green for that person and document."""

import re

import pytest

from samsvar.core.models import Signature
from samsvar.training.models import TaskStatus
from tests.browser_fixtures import log_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def matrix_cell(page, user, document):
    column = [
        text.split("\n")[0].strip()
        for text in page.locator("#training-matrix thead th").all_inner_texts()
    ].index(document.number)
    return page.locator(f"#training-matrix tr[data-user='{user.pk}'] td").nth(column - 1)


def test_a_trainee_reads_and_signs_the_new_revision(open_page, users, make_user):
    from samsvar.training.services import job_role_create, role_assignment_create
    from tests.training.conftest import Docs

    quality = users["quality_manager"]
    docs = Docs(quality, users["approver"])
    sop = docs.document("Complaint handling", effective=False)
    role = job_role_create(actor=quality, name="Customer support", required_documents=[sop])
    trainee = make_user(username="trainee", full_name="Ola Nordmann")
    role_assignment_create(actor=quality, user=trainee, job_role=role)
    assert not trainee.training_tasks.exists()
    docs.make_effective(sop)  # the revision becomes effective: the task opens
    task = trainee.training_tasks.get()

    page = open_page("en-GB")
    log_in(page, "trainee", PASSWORD)
    page.goto("/training/matrix/")
    cell = matrix_cell(page, trainee, sop)
    assert cell.get_attribute("data-status") == "open"
    assert "amber" in cell.get_attribute("class")

    page.goto("/training/")
    row = page.locator(f"tr[data-task='{task.pk}']")
    assert sop.number in row.inner_text()
    row.locator("a:has-text('Read and sign')").click()
    page.wait_for_url(re.compile(rf"/training/tasks/{task.pk}/sign/$"))
    assert "Purpose, scope and responsibilities." in page.locator("article.tr-reading").inner_text()
    assert page.locator("a:has-text('Controlled copy (PDF)')").count() == 1

    page.fill("#id_password", "not-my-password")
    page.click("form.form button[type=submit]")
    assert "The password is not correct." in page.locator(".has-error").inner_text()
    page.fill("#id_password", PASSWORD)
    page.click("form.form button[type=submit]")
    page.wait_for_url(re.compile(r"/training/$"))
    assert "The training is completed." in page.locator(".messages").inner_text()

    task.refresh_from_db()
    assert task.status == TaskStatus.COMPLETED
    signature = Signature.objects.get(
        record_version__object_id=str(task.pk),
        record_version__content_type__model="trainingtask",
    )
    assert (signature.meaning, signature.signer_id) == ("read_understood", trainee.pk)

    page.click("nav.tr-nav a:has-text('Training matrix')")
    page.wait_for_url(re.compile(r"/training/matrix/$"))
    cell = matrix_cell(page, trainee, sop)
    assert cell.get_attribute("data-status") == "current"
    assert "green" in cell.get_attribute("class")
    assert "Trained" in cell.inner_text()
