"""The training demo: Fjordmed's job roles on the demo QMS, training mostly signed with some
open and overdue, competence records with the PRRC's evidence and an expiring certificate, and a
loader that changes nothing the second time."""

import dataclasses

import pytest
from django.utils import timezone

from samsvar.core.models import AuditEvent, Signature
from samsvar.core.selectors import current_signatures
from samsvar.training import demo, selectors
from samsvar.training.models import (
    EffectivenessEvaluation,
    JobRole,
    Method,
    RoleAssignment,
    TaskStatus,
    TrainingTask,
)
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

ROLE_NAMES = {
    "Quality manager",
    "Regulatory affairs and PRRC",
    "Design engineer",
    "Production operator",
    "Service technician",
    "Customer support",
}


@pytest.fixture
def people(db):
    from samsvar.accounts.demo import load_organisation, load_users
    from samsvar.devices.demo import load_classifications, load_devices
    from samsvar.documents.demo import load as load_documents

    people = load_users(PASSWORD)
    load_organisation(people)
    load_devices(people, PASSWORD)
    load_classifications(people, PASSWORD)
    load_documents(people, PASSWORD)
    return people


@pytest.fixture
def loaded(people):
    assert demo.load(people, PASSWORD) is True
    return people


def test_six_job_roles_require_the_demo_documents_and_have_people(loaded):
    roles = {role.name: role for role in JobRole.objects.prefetch_related("required_documents")}
    assert set(roles) == ROLE_NAMES
    for spec in demo.ROLES:
        numbers = set(roles[spec.name].required_documents.values_list("number", flat=True))
        assert numbers == set(spec.documents), spec.name
        holders = set(
            RoleAssignment.objects.filter(
                job_role=roles[spec.name], until__isnull=True
            ).values_list("user__username", flat=True)
        )
        assert holders == {username for username, _since in spec.holders}
    assert roles["Production operator"].training_method == Method.INSTRUCTOR_LED
    assert roles["Service technician"].competence_requirements.count() == 2


def test_most_training_is_signed_and_some_is_open_or_overdue(loaded):
    today = timezone.localdate()
    completed = TrainingTask.objects.filter(status=TaskStatus.COMPLETED)
    still_open = TrainingTask.objects.filter(status=TaskStatus.OPEN)
    assert completed.count() > 2 * still_open.count() > 0
    for task in completed.filter(method=Method.READ_UNDERSTOOD):
        [signature] = current_signatures(obj=task)
        assert (signature.meaning, signature.signer_id) == ("read_understood", task.user_id)
    instructed = completed.filter(method=Method.INSTRUCTOR_LED).first()
    assert {s.meaning for s in current_signatures(obj=instructed)} == {
        "read_understood",
        "reviewed",
    }
    overdue = {
        (t.user.username, t.revision.document.number) for t in selectors.tasks_overdue(today)
    }
    expected = {key for key, days in demo.LEFT_OPEN.items() if days is not None}
    assert overdue == expected
    failed = TrainingTask.objects.get(
        user__username="operator", revision__document__number="WI-002", status="open"
    )
    assert list(failed.attempts.values_list("result", flat=True)) == ["failed"]
    assert selectors.tasks_due(today, within_days=30).exists()


def test_the_matrix_shows_every_status_but_missing(loaded):
    counts = selectors.training_matrix().counts()
    assert counts["current"] > counts["open"] > 0
    assert counts["overdue"] == 3
    assert counts["missing"] == 0
    assert counts["not_required"] > 0


def test_competence_records_show_the_prrc_and_an_expiring_certificate(loaded):
    kari = loaded["quality"]
    qualification = selectors.prrc_qualification(kari)
    assert qualification.met
    assert [d.title for d in qualification.degrees] == ["MSc Pharmacy"]
    assert qualification.years_experience == 9
    from samsvar.accounts.models import Prrc

    assert Prrc.objects.get(user=kari).qualification_problems() == []
    expiring = selectors.competences_expiring(within_days=30)
    assert [r.title for r in expiring] == ["Insulin pump servicing, InsuPump 3"]
    assert [r.title for r in selectors.competences_expired()] == ["Electrical safety course (FSE)"]
    gaps = {(g.user.username, g.requirement.name) for g in selectors.competence_gaps()}
    assert gaps == {("technician", "Electrical safety course (FSE)")}


def test_one_evaluation_is_signed_and_one_reopened_training(loaded):
    effective = EffectivenessEvaluation.objects.get(result="effective")
    assert effective.job_role.name == "Customer support"
    assert current_signatures(obj=effective).get().meaning == "approved"
    not_effective = EffectivenessEvaluation.objects.get(result="not_effective")
    [retrain] = not_effective.retraining_tasks.all()
    assert (retrain.user.username, retrain.status) == ("operator", "open")


def test_loading_twice_changes_nothing(loaded):
    events = AuditEvent.objects.count()
    signatures = Signature.objects.count()
    assert demo.load(loaded, PASSWORD) is False
    assert AuditEvent.objects.count() == events
    assert Signature.objects.count() == signatures


def test_a_document_that_arrives_later_joins_its_roles(people, monkeypatch):
    from samsvar.documents.models import Document

    late = Document.objects.get(number="EXT-004")
    without = tuple(
        dataclasses.replace(spec, documents=tuple(n for n in spec.documents if n != "EXT-004"))
        for spec in demo.ROLES
    )
    monkeypatch.setattr(demo, "ROLES", without)
    assert demo.load(people, PASSWORD) is True
    role = JobRole.objects.get(name="Regulatory affairs and PRRC")
    assert not role.required_documents.filter(pk=late.pk).exists()
    monkeypatch.undo()
    assert demo.load(people, PASSWORD) is True
    assert role.required_documents.filter(pk=late.pk).exists()
    assert TrainingTask.objects.filter(revision__document=late, status="open").count() == 2
    assert demo.load(people, PASSWORD) is False
