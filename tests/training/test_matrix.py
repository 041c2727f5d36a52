"""The training matrix: people by required documents, a status and a colour per cell, in a fixed
number of queries, and the same matrix as a coloured workbook.
"""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from samsvar.training.selectors import MatrixStatus, training_matrix, training_matrix_xlsx
from samsvar.training.services import (
    job_role_create,
    task_cancel,
    task_complete_read,
    task_reschedule,
)
from tests.conftest import PASSWORD


def open_task(user, document):
    return user.training_tasks.get(revision__document=document, status="open")


@pytest.fixture
def world(docs, sop, technician_role, assign, trainee, make_user, quality):
    """Ola (trainee) and Kari in the technician role; Per in the support role only."""
    from samsvar.training.services import job_role_update

    overdue_doc = docs.document("Pump servicing")
    revised = docs.document("Leak test")
    untrained = docs.document("Spare parts")
    support_doc = docs.document("Customer hotline")
    job_role_update(
        actor=quality, job_role=technician_role,
        required_documents=[sop, overdue_doc, revised, untrained],
    )  # fmt: skip
    support = job_role_create(actor=quality, name="Support", required_documents=[support_doc])
    kari = make_user(username="kari", full_name="Kari Hansen")
    per = make_user(username="per", full_name="Per Berg")
    assign(trainee, technician_role)
    assign(kari, technician_role)
    assign(per, support)

    task_complete_read(actor=trainee, task=open_task(trainee, sop), password=PASSWORD)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    task_reschedule(
        actor=quality, task=open_task(trainee, overdue_doc), due_date=yesterday,
        reason="Due date of the original plan.",
    )  # fmt: skip
    task_complete_read(actor=trainee, task=open_task(trainee, revised), password=PASSWORD)
    docs.revise(revised)
    task_cancel(actor=quality, task=open_task(trainee, revised), reason="Editorial change only.")
    task_cancel(actor=quality, task=open_task(trainee, untrained), reason="Postponed.")
    return {
        "docs": [sop, overdue_doc, revised, untrained, support_doc],
        "people": [kari, trainee, per],
        "yesterday": yesterday,
    }


def statuses(matrix):
    return {
        (row.username, column.number): cell.status
        for row in matrix.rows
        for column, cell in zip(matrix.columns, row.cells, strict=True)
    }


@pytest.mark.django_db
def test_each_cell_shows_the_training_status(world):
    sop, overdue_doc, revised, untrained, support_doc = world["docs"]
    matrix = training_matrix()
    assert [row.name for row in matrix.rows] == ["Kari Hansen", "Ola Nordmann", "Per Berg"]
    assert [c.number for c in matrix.columns] == [d.number for d in world["docs"]]
    assert [c.revision_label for c in matrix.columns] == ["A", "A", "B", "A", "A"]
    found = statuses(matrix)
    assert found[("trainee", sop.number)] == MatrixStatus.CURRENT
    assert found[("trainee", overdue_doc.number)] == MatrixStatus.OVERDUE
    assert found[("trainee", revised.number)] == MatrixStatus.OLDER
    assert found[("trainee", untrained.number)] == MatrixStatus.MISSING
    assert found[("trainee", support_doc.number)] == MatrixStatus.NOT_REQUIRED
    assert found[("kari", sop.number)] == MatrixStatus.OPEN
    assert found[("per", support_doc.number)] == MatrixStatus.OPEN
    assert found[("per", sop.number)] == MatrixStatus.NOT_REQUIRED
    ola = matrix.rows[1]
    assert ola.roles == ["Service technician"]
    assert ola.cells[1].due_date == world["yesterday"]
    assert (ola.cells[2].trained_label, ola.cells[2].colour) == ("A", "amber")
    assert [c.colour for c in ola.cells] == ["green", "red", "amber", "red", "grey"]
    assert matrix.counts()[MatrixStatus.OPEN] == 5


@pytest.mark.django_db
def test_filters_by_people_and_documents(world):
    overdue_doc = world["docs"][1]
    trainee = world["people"][1]
    matrix = training_matrix(users=[trainee.pk], documents=[overdue_doc])
    assert [(r.username, [c.status for c in r.cells]) for r in matrix.rows] == [
        ("trainee", [MatrixStatus.OVERDUE])
    ]
    tomorrow = training_matrix(users=[trainee], documents=[overdue_doc], today=world["yesterday"])
    assert tomorrow.rows[0].cells[0].status == MatrixStatus.OPEN


@pytest.mark.django_db
def test_the_matrix_takes_the_same_few_queries_for_many_people(
    world, technician_role, assign, make_user
):
    with CaptureQueriesContext(connection) as few:
        small = training_matrix()
    for n in range(12):
        assign(make_user(username=f"tech-{n}"), technician_role)
    with CaptureQueriesContext(connection) as many:
        large = training_matrix()
    assert len(large.rows) == len(small.rows) + 12
    assert len(many) == len(few) <= 3


@pytest.mark.django_db
def test_the_workbook_has_the_statuses_in_colour(world):
    from openpyxl import load_workbook

    sop, _overdue, revised, *_rest = world["docs"]
    book = load_workbook(io.BytesIO(training_matrix_xlsx()))
    sheet = book["Training matrix"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Person", "Job roles", f"{sop.number} (A)")
    assert rows[0][4] == f"{revised.number} (B)"
    ola = next(r for r in rows if r[0] == "Ola Nordmann")
    assert ola[1] == "Service technician"
    assert ola[2:] == (
        "Trained",
        f"Overdue since {world['yesterday'].isoformat()}",
        "Trained on revision A",
        "Not trained",
        "—",
    )
    ola_row = next(i for i, r in enumerate(rows, start=1) if r[0] == "Ola Nordmann")
    fills = [sheet.cell(row=ola_row, column=c).fill.fgColor.rgb[-6:] for c in range(3, 8)]
    assert fills == ["C6EFCE", "FFC7CE", "FFEB9C", "FFC7CE", "E7E6E6"]
    legend = dict(book["Legend"].iter_rows(min_row=2, values_only=True))
    assert legend["Overdue"] == "Red" and legend["Not required"] == "Grey"
    documents = list(book["Documents"].iter_rows(min_row=2, values_only=True))
    assert (revised.number, "Leak test", "B") in documents
