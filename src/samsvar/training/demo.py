"""Demo data: Fjordmed's job roles, who holds them, their training on the demo QMS, their
competence records with the PRRC's qualification evidence, and two effectiveness evaluations
(ISO 13485:2016 6.2; MDR/IVDR Art. 15). Built through the training services.

The documents come from the documents demo, looked up by number; a number that is not there
yet is skipped and added to its role on a later load. Most training is completed by the
trainee's read-and-understood signature (instructor-led for production), some is open and some
overdue, so the dashboard and the matrix have work to show.

Loading twice changes nothing: people, roles, requirements, assignments, records and
evaluations are added only while missing, and a person's training is completed only on the load
that first gives them tasks.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from samsvar.accounts.services import user_create
from samsvar.core.models import AuditEvent
from samsvar.core.permissions import Role
from samsvar.core.services import record_sign
from samsvar.documents.models import Document
from samsvar.training import services
from samsvar.training.models import (
    CompetenceRecord,
    EffectivenessEvaluation,
    JobRole,
    Method,
    RoleAssignment,
    TaskStatus,
    TrainingTask,
)

QA = "quality"  # Kari Nordmann, quality manager and PRRC: runs training, trains production
ENG = "engineer"  # Jonas Lie, systems engineer: trains the line on the work instructions


@dataclass(frozen=True)
class Person:
    username: str
    full_name: str
    job_title: str


# Fjordmed's people on the line, at the service bench and on the phone. samsvar has no role for
# them alone; they sign their own training and nothing else is asked of them.
PEOPLE = (
    Person("operator", "Mona Berg", "Production operator"),
    Person("technician", "Eirik Moe", "Service technician"),
    Person("support", "Nora Hansen", "Customer support"),
)


@dataclass(frozen=True)
class RoleSpec:
    name: str
    description: str
    documents: tuple[str, ...]
    holders: tuple[tuple[str, str], ...]  # (user name, since)
    competences: tuple[tuple[str, str], ...] = ()
    method: str = Method.READ_UNDERSTOOD
    due_days: int = 30


def numbers(text: str) -> tuple[str, ...]:
    """Document numbers written as one space-separated string."""
    return tuple(text.split())


ROLES = (
    RoleSpec(
        "Quality manager",
        "Owns the quality management system: document control, records, internal audit, CAPA, "
        "management review and training.",
        numbers(
            "QM-001 SOP-001 SOP-002 SOP-003 SOP-004 SOP-005 "
            "SOP-006 SOP-015 SOP-020 SOP-021 FRM-004 FRM-005"
        ),
        (("quality", "2022-03-01"),),
        competences=(("Lead auditor, ISO 13485", "A recognised lead auditor course."),),
    ),
    RoleSpec(
        "Regulatory affairs and PRRC",
        "Regulatory strategy, technical documentation, vigilance and post-market surveillance; "
        "the person responsible for regulatory compliance (MDR/IVDR Art. 15) and the deputy.",
        numbers(
            "QM-001 SOP-001 SOP-007 SOP-008 SOP-009 SOP-014 "
            "SOP-017 SOP-018 SOP-020 PLN-001 EXT-003 EXT-004"
        ),
        (("quality", "2022-03-01"), ("regulatory", "2021-09-01")),
        competences=(
            (
                "PRRC qualification (MDR/IVDR Art. 15(1))",
                "A degree and one year of regulatory or QMS experience, or four years of it.",
            ),
        ),
    ),
    RoleSpec(
        "Design engineer",
        "Designs and verifies the InsuPump 3 and the GlucoSure: requirements, risk management, "
        "software life cycle and design changes.",
        ("QM-001", "SOP-001", "SOP-010", "SOP-011", "SOP-019", "SOP-020", "EXT-002"),
        (("engineer", "2023-01-09"),),
        competences=(("Software life cycle (EN 62304) course", "For work on the pump firmware."),),
    ),
    RoleSpec(
        "Production operator",
        "Assembles, tests, cleans and labels the InsuPump 3 on the production line.",
        ("QM-001", "SOP-013", "SOP-014", "SOP-015", "WI-001", "WI-002"),
        (("operator", "2024-08-12"),),
        competences=(("ESD handling certificate (EN 61340-5-1)", "Renewed every two years."),),
        method=Method.INSTRUCTOR_LED,
        due_days=21,
    ),
    RoleSpec(
        "Service technician",
        "Services returned InsuPump 3 pumps, investigates complaints at the bench and keeps "
        "the service records.",
        ("QM-001", "SOP-007", "SOP-013", "SOP-015", "WI-001", "FRM-003"),
        (("technician", "2023-05-02"),),
        competences=(
            ("Insulin pump servicing certificate", "Issued by Fjordmed after the bench test."),
            ("Electrical safety course (FSE)", "Annual course under the Norwegian FSE rules."),
        ),
    ),
    RoleSpec(
        "Customer support",
        "Answers users and healthcare professionals, records every complaint and passes "
        "possible incidents to regulatory affairs the same day.",
        ("QM-001", "SOP-007", "SOP-008", "SOP-016", "FRM-003"),
        (("support", "2025-02-03"),),
        due_days=14,
    ),
)

# Training left open when the demo is loaded: (user name, document number) -> days overdue, or
# None for open and not yet due. Everything else that is open is completed.
LEFT_OPEN = {
    ("engineer", "SOP-010"): 12,
    ("engineer", "EXT-002"): None,
    ("regulatory", "EXT-004"): None,
    ("technician", "SOP-007"): 9,
    ("technician", "FRM-003"): None,
    ("operator", "WI-002"): 5,
    ("operator", "SOP-014"): None,
    ("support", "SOP-007"): None,
    ("support", "SOP-008"): None,
    ("support", "FRM-003"): None,
}
OVERDUE_REASON = "Due date from the training plan agreed at the quality meeting"

# The first instructor-led session on WI-002 failed; the operator is booked for another.
FAILED_SESSION = ("operator", "WI-002")
TRAINERS = {"WI-001": ENG, "WI-002": ENG}  # the rest of production is trained by QA


@dataclass(frozen=True)
class RecordSpec:
    username: str
    kind: str
    title: str
    issuer: str
    date: str | int  # ISO date, or days before the load
    expiry: int | None = None  # days after the load
    years: str | None = None
    prrc: bool = False
    requirement: str = ""
    notes: str = ""


RECORDS = (
    # Kari Nordmann is the PRRC: the evidence of the Prrc record in the organisation profile.
    RecordSpec(
        "quality", "education", "MSc Pharmacy", "University of Oslo", "2011-06-20", prrc=True,
        requirement="PRRC qualification (MDR/IVDR Art. 15(1))",
        notes="Diploma and transcript in the personnel file HR-017.",
    ),
    RecordSpec(
        "quality", "experience", "Regulatory affairs and quality management, two device "
        "manufacturers and Fjordmed", "", "2015-02-01", years="9.0", prrc=True,
        notes="CV and references (2015-2022) showing regulatory and QMS work.",
    ),
    RecordSpec(
        "quality", "certificate", "Lead auditor, ISO 13485:2016", "BSI Training Academy",
        "2023-10-13", requirement="Lead auditor, ISO 13485",
    ),
    RecordSpec(
        "regulatory", "education", "MSc Biomedical engineering", "NTNU", "2014-06-18", prrc=True,
        requirement="PRRC qualification (MDR/IVDR Art. 15(1))",
    ),
    RecordSpec(
        "regulatory", "experience", "Regulatory affairs, in vitro diagnostics", "", "2016-08-15",
        years="8.0", prrc=True, notes="Deputy PRRC during absences of the PRRC.",
    ),
    RecordSpec(
        "engineer", "education", "MSc Cybernetics and robotics", "NTNU", "2017-06-16",
    ),
    RecordSpec(
        "engineer", "training", "EN 62304 medical device software life cycle", "Standard Norge",
        "2024-03-07", requirement="Software life cycle (EN 62304) course",
    ),
    RecordSpec(
        "operator", "certificate", "ESD handling (EN 61340-5-1)", "Fjordmed AS", 330,
        expiry=400, requirement="ESD handling certificate (EN 61340-5-1)",
    ),
    RecordSpec(
        "technician", "certificate", "Insulin pump servicing, InsuPump 3", "Fjordmed AS", 710,
        expiry=20, requirement="Insulin pump servicing certificate",
        notes="Bench test passed; renewal test booked.",
    ),
    RecordSpec(
        "technician", "certificate", "Electrical safety course (FSE)", "Elsikkerhetskurs AS", 380,
        expiry=-15, requirement="Electrical safety course (FSE)",
        notes="The annual course was missed; booked for next month.",
    ),
    RecordSpec(
        "support", "training", "Complaint intake and vigilance awareness", "Fjordmed AS", 200,
    ),
)  # fmt: skip


@dataclass
class _Load:
    people: dict
    password: str
    today: dt.date = field(default_factory=timezone.localdate)

    def person(self, username: str):
        return self.people[username]


def load(people: dict, password: str) -> bool:
    """Load what is missing of the training demo; True when anything was added.

    `people` are the demo users of `samsvar.accounts.demo` by user name; run after the
    documents demo, whose documents the job roles require.
    """
    before = AuditEvent.objects.count()
    people = {**people, **_load_people(password)}
    run = _Load(people, password)
    documents = {d.number: d for d in Document.objects.filter(number__in=_numbers())}
    with transaction.atomic():
        roles = {spec.name: _role(run, spec, documents) for spec in ROLES}
    for spec in ROLES:
        for username, since in spec.holders:
            with transaction.atomic():
                _assign(run, roles[spec.name], username, since)
    for username in {u for spec in ROLES for u, _since in spec.holders}:
        with transaction.atomic():
            _train(run, username)
    with transaction.atomic():
        _records(run, roles)
        _evaluations(run, roles, documents)
    return AuditEvent.objects.count() != before


def _numbers() -> set[str]:
    return {number for spec in ROLES for number in spec.documents}


def _load_people(password: str) -> dict:
    User = get_user_model()
    found = {}
    for person in PEOPLE:
        user = User.objects.filter(username=person.username).first()
        if user is None:
            user = user_create(
                actor=None,
                username=person.username,
                password=password,
                full_name=person.full_name,
                role=Role.ENGINEER,
                email=f"{person.username}@fjordmed.example",
                job_title=person.job_title,
            )
        found[person.username] = user
    return found


def _role(run: _Load, spec: RoleSpec, documents: dict) -> JobRole:
    wanted = [documents[n] for n in spec.documents if n in documents]
    actor = run.person(QA)
    role = JobRole.objects.filter(name=spec.name).first()
    if role is None:
        role = services.job_role_create(
            actor=actor,
            name=spec.name,
            description=spec.description,
            required_documents=wanted,
            training_method=spec.method,
            due_days=spec.due_days,
        )
    elif {d.pk for d in wanted} - set(role.required_documents.values_list("pk", flat=True)):
        current = list(role.required_documents.all())
        services.job_role_update(
            actor=actor,
            job_role=role,
            required_documents=current + [d for d in wanted if d not in current],
            reason="Documents of the QMS added to the role's training needs",
        )
    existing = set(role.competence_requirements.values_list("name", flat=True))
    for name, description in spec.competences:
        if name not in existing:
            services.competence_requirement_add(
                actor=actor, job_role=role, name=name, description=description
            )
    return role


def _assign(run: _Load, role: JobRole, username: str, since: str) -> None:
    user = run.person(username)
    if RoleAssignment.objects.filter(user=user, job_role=role, until__isnull=True).exists():
        return
    services.role_assignment_create(
        actor=run.person(QA),
        user=user,
        job_role=role,
        since=since,
        reason="Role held before samsvar; training records moved from the paper register",
    )


def _train(run: _Load, username: str) -> None:
    """Complete the person's training except what LEFT_OPEN keeps open or overdue; only on the
    load that first gives them tasks."""
    user = run.person(username)
    tasks = TrainingTask.objects.filter(user=user).select_related("revision__document")
    if tasks.filter(status=TaskStatus.COMPLETED).exists():
        return
    for task in tasks.filter(status=TaskStatus.OPEN).order_by("revision__document__number"):
        number = task.revision.document.number
        if (username, number) in LEFT_OPEN:
            _leave_open(run, task, LEFT_OPEN[username, number])
        elif task.method == Method.INSTRUCTOR_LED:
            _instruct(run, task, passed=True)
        else:
            services.task_complete_read(actor=user, task=task, password=run.password)


def _leave_open(run: _Load, task: TrainingTask, days_overdue: int | None) -> None:
    username = task.user.username
    if (username, task.revision.document.number) == FAILED_SESSION:
        _instruct(run, task, passed=False)
    if days_overdue is not None:
        services.task_reschedule(
            actor=run.person(QA),
            task=task,
            due_date=run.today - dt.timedelta(days=days_overdue),
            reason=OVERDUE_REASON,
        )


def _instruct(run: _Load, task: TrainingTask, *, passed: bool) -> None:
    number = task.revision.document.number
    trainer = run.person(TRAINERS.get(number, QA))
    services.task_complete_instructor(
        actor=run.person(QA),
        task=task,
        trainer=trainer,
        session_date=run.today - dt.timedelta(days=3 if passed else 10),
        assessment=(
            "Demonstration at the line, observed by the trainer"
            if number.startswith("WI-")
            else "Oral questions on the procedure, 5 of 6 to pass"
        ),
        result="passed" if passed else "failed",
        notes="" if passed else "Label check of the Norwegian IFU skipped; second session booked.",
    )
    if passed:
        for signer in (task.user, trainer):
            services.task_sign_instructor(actor=signer, task=task, password=run.password)


def _records(run: _Load, roles: dict) -> None:
    requirements = {
        r.name: r for role in roles.values() for r in role.competence_requirements.all()
    }
    for spec in RECORDS:
        user = run.person(spec.username)
        if CompetenceRecord.objects.filter(user=user, title=spec.title).exists():
            continue
        date = run.today - dt.timedelta(days=spec.date) if isinstance(spec.date, int) else spec.date
        services.competence_record_create(
            actor=run.person(QA),
            user=user,
            kind=spec.kind,
            title=spec.title,
            issuer=spec.issuer,
            date=date,
            expiry_date=(
                run.today + dt.timedelta(days=spec.expiry) if spec.expiry is not None else None
            ),
            years_experience=Decimal(spec.years) if spec.years else None,
            prrc_evidence=spec.prrc,
            requirement=requirements.get(spec.requirement),
            notes=spec.notes,
        )


def _evaluations(run: _Load, roles: dict, documents: dict) -> None:
    """A role-wide evaluation that found the training effective (signed), and one that found
    an operator's training not effective, which opened the training again."""
    if EffectivenessEvaluation.objects.exists():
        return
    quality = run.person(QA)
    support = roles["Customer support"]
    hotline = documents.get("SOP-016")
    if hotline is not None and support.required_documents.filter(pk=hotline.pk).exists():
        evaluation = services.effectiveness_evaluation_create(
            actor=quality,
            job_role=support,
            document=hotline,
            method="test",
            date=run.today - dt.timedelta(days=6),
            result="effective",
            notes="Ten recorded calls classified: all complaints recognised and recorded on "
            "FRM-003 the same day.",
        )
        record_sign(actor=quality, record=evaluation, meaning="approved", password=run.password)
    done = (
        TrainingTask.objects.filter(
            user=run.person("operator"),
            status=TaskStatus.COMPLETED,
            revision__document__number="SOP-015",
        )
        .select_related("revision__document", "user", "job_role")
        .first()
    )
    if done is not None:
        services.effectiveness_evaluation_create(
            actor=quality,
            task=done,
            method="observation",
            date=run.today - dt.timedelta(days=1),
            result="not_effective",
            notes="At the line a scratched housing was reworked without a nonconformity "
            "report; the procedure is trained again.",
        )
