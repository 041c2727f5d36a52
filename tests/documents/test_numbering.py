"""Document numbers from the numbering rule of each type ("SOP-007"), unique even when two
documents are registered at the same moment (ISO 13485 4.2.4 e: documents are identifiable)."""

import subprocess
import sys
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from samsvar.documents import selectors, services
from samsvar.documents.models import Document, NumberingRule
from tests.core.cli import REPO, installation


def test_each_type_numbers_with_its_own_default_prefix(desk):
    numbers = [
        desk.document(doc_type=doc_type, **extra).number
        for doc_type, extra in [
            ("procedure", {}),
            ("procedure", {}),
            ("quality_manual", {}),
            ("work_instruction", {}),
            ("form", {}),
            ("plan", {}),
            ("report", {}),
            ("specification", {}),
            ("external", {"publisher": "CEN", "edition": "2016"}),
        ]
    ]
    assert numbers == [
        "SOP-001", "SOP-002", "QM-001", "WI-001", "FRM-001", "PLN-001", "RPT-001", "SPC-001",
        "EXT-001",
    ]  # fmt: skip


def test_the_rule_sets_prefix_digits_next_number_and_revision_scheme(desk):
    services.numbering_rule_update(
        actor=desk.quality,
        doc_type="work_instruction",
        prefix="ai",
        digits=4,
        next_number=40,
        revision_scheme="numeric",
        reason="Numbers of the old document system",
    )
    document = desk.document(doc_type="work_instruction")
    assert document.number == "AI-0040"
    assert desk.draft(document).label == "1.0"
    assert desk.document(doc_type="work_instruction").number == "AI-0041"
    # A document keeps the scheme it was created with.
    services.numbering_rule_update(
        actor=desk.quality, doc_type="work_instruction", revision_scheme="letters"
    )
    desk.issue(desk.draft(document))
    revision = services.revision_create(
        actor=desk.quality, document=document, reason_for_change="Step 4 added", major=True
    )
    assert revision.label == "2.0"


def test_a_number_already_taken_is_skipped(desk):
    desk.document()
    services.numbering_rule_update(actor=desk.quality, doc_type="procedure", next_number=1)
    assert desk.document().number == "SOP-002"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"prefix": "S O P"}, "prefix"),
        ({"prefix": "9AB"}, "prefix"),
        ({"prefix": ""}, "prefix"),
        ({"prefix": "WI"}, "prefix"),  # the default prefix of work instructions
        ({"digits": 0}, "digits"),
        ({"digits": "three"}, "digits"),
        ({"next_number": -1}, "next_number"),
        ({"revision_scheme": "roman"}, "revision_scheme"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_a_bad_rule_is_refused_with_the_field_named(desk, fields, field):
    with pytest.raises(ValidationError) as error:
        services.numbering_rule_update(actor=desk.quality, doc_type="procedure", **fields)
    assert field in error.value.message_dict
    assert not NumberingRule.objects.filter(doc_type="procedure").exclude(prefix="SOP").exists()


def test_a_prefix_in_use_by_another_type_is_refused(desk):
    services.numbering_rule_update(actor=desk.quality, doc_type="form", prefix="F")
    with pytest.raises(ValidationError, match="already the prefix of Form or template"):
        services.numbering_rule_update(actor=desk.quality, doc_type="plan", prefix="F")


def test_only_document_control_changes_numbering(desk, users):
    with pytest.raises(PermissionDenied):
        services.numbering_rule_update(actor=users["engineer"], doc_type="procedure", digits=4)


def test_the_rules_list_shows_every_type_with_defaults(desk):
    services.numbering_rule_update(actor=desk.quality, doc_type="plan", prefix="PLAN")
    rules = {r.doc_type: r.prefix for r in selectors.numbering_rules(user=desk.quality)}
    assert rules["plan"] == "PLAN"
    assert rules["procedure"] == "SOP"
    assert len(rules) == 8


@pytest.mark.django_db(transaction=True)
def test_documents_registered_at_the_same_moment_get_different_numbers(users):
    if connection.vendor != "postgresql":
        pytest.skip("the in-memory SQLite test database has no row locks; see the test below")
    from tests.documents.conftest import Desk

    desk = Desk(users)
    desk.document()  # the rule row exists; both threads below queue on its lock
    errors, barrier = [], threading.Barrier(4)

    def register():
        try:
            barrier.wait()
            desk.document()
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=register) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = sorted(Document.objects.values_list("number", flat=True))
    assert numbers == ["SOP-001", "SOP-002", "SOP-003", "SOP-004", "SOP-005"]


REGISTER = """
from samsvar.accounts.models import User
from samsvar.documents.services import document_create
kari = User.objects.get(username="kari")
for n in range(4):
    document_create(actor=kari, doc_type="procedure", title=f"Parallel {n}", owner=kari,
                    reason_for_change="First issue")
"""


def test_parallel_writers_on_an_sqlite_installation_get_different_numbers(tmp_path):
    env = installation(tmp_path)
    command = [sys.executable, "-m", "samsvar", "shell", "-c", REGISTER]
    writers = [
        subprocess.Popen(command, env=env, cwd=REPO, stderr=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    for writer in writers:
        _out, err = writer.communicate(timeout=180)
        assert writer.returncode == 0, err
    count = "from samsvar.documents.models import Document as D; " + (
        "print(sorted(D.objects.values_list('number', flat=True)))"
    )
    done = subprocess.run(
        [sys.executable, "-m", "samsvar", "shell", "-c", count],
        env=env, cwd=REPO, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    assert done.stdout.strip().splitlines()[-1] == str([f"SOP-{n:03d}" for n in range(1, 13)])
