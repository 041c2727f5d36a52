"""Training records for the permission walks (see tests/app_worlds.py)."""

from django.utils import timezone

URL_OBJECTS: dict[str, str] = {}
API_OBJECTS: dict[str, str] = {}

# Pages that take a training record rather than a device; a person's pages take the user.
URL_OBJECTS.update(
    {
        "training:job_role": "training.job_role",
        "training:assignment": "training.assignment",
        "training:task": "training.task",
        "training:competence": "training.competence",
        "training:evaluation": "training.evaluation",
        "training:person": "user",
    }
)


def build(*, device, users) -> dict[str, object]:
    from samsvar.core.permissions import Role
    from samsvar.core.services import record_sign
    from samsvar.documents import services as documents
    from samsvar.training import services as training
    from tests.conftest import PASSWORD

    quality = users[Role.QUALITY_MANAGER]
    approver = users[Role.APPROVER]
    document = documents.document_create(
        actor=quality,
        doc_type="procedure",
        title="Servicing of returned pumps",
        owner=quality,
        approvers=[approver],
        reason_for_change="First issue.",
        content_md="# Servicing of returned pumps\n\nSteps and records.",
    )
    revision = documents.revision_submit(actor=quality, revision=document.revisions.get())
    record_sign(actor=approver, record=revision, meaning="approved", password=PASSWORD)
    revision = documents.revision_approve(actor=quality, revision=revision)
    job_role = training.job_role_create(
        actor=quality, name="Service technician", required_documents=[document]
    )
    training.competence_requirement_add(
        actor=quality, job_role=job_role, name="Insulin pump servicing certificate"
    )
    assignment = training.role_assignment_create(
        actor=quality, user=users[Role.ENGINEER], job_role=job_role
    )
    documents.revision_make_effective(actor=quality, revision=revision)
    task = assignment.user.training_tasks.get(revision=revision)
    competence = training.competence_record_create(
        actor=quality,
        user=users[Role.ENGINEER],
        kind="certificate",
        title="Insulin pump servicing certificate",
        issuer="Fjordmed AS",
        date=timezone.localdate(),
        requirement=job_role.competence_requirements.get(),
    )
    evaluation = training.effectiveness_evaluation_create(
        actor=quality,
        job_role=job_role,
        document=document,
        method="observation",
        date=timezone.localdate(),
        result="effective",
    )
    return {
        "training.job_role": job_role,
        "training.assignment": assignment,
        "training.task": task,
        "training.competence": competence,
        "training.evaluation": evaluation,
    }


# --- API (tests/api/test_permissions_api.py, tests/test_permission_walk.py) -------------------

# /api/v1/<segment>/<pk>/... -> the world object whose pk fills the URL.
API_OBJECTS.update(
    {
        "training-job-roles": "training.job_role",
        "training-assignments": "training.assignment",
        "training-tasks": "training.task",
        "training-competence": "training.competence",
        "training-evaluations": "training.evaluation",
    }
)
# The same endpoints by URL name, for the walk that reverses names.
URL_OBJECTS.update(
    {
        "v1:training-job-role-": "training.job_role",
        "v1:training-assignment-": "training.assignment",
        "v1:training-task-": "training.task",
        "v1:training-competence-": "training.competence",
        "v1:training-evaluation-": "training.evaluation",
    }
)


def api_bodies(pks, users) -> dict:
    """A valid body for every training write, so a refusal is about permission only."""
    from samsvar.core.permissions import Role
    from samsvar.training.models import TrainingTask
    from tests.conftest import PASSWORD

    today = timezone.localdate().isoformat()
    task = TrainingTask.objects.get(pk=pks["training.task"])
    document = task.revision.document_id
    trainee = users[Role.ENGINEER].pk
    v1 = "api/v1/"
    return {
        (f"{v1}training-job-roles/", "POST"): {
            "name": "Customer support",
            "required_documents": [document],
            "due_days": 14,
        },
        (f"{v1}training-job-roles/<int:pk>/", "PATCH"): {
            "description": "Services returned insulin pumps.",
            "reason": "Scope written down",
        },
        (f"{v1}training-job-roles/<int:pk>/requirements/", "POST"): {
            "name": "Electrical safety course"
        },
        (f"{v1}training-assignments/", "POST"): {
            "user": users[Role.APPROVER].pk,
            "job_role": pks["training.job_role"],
        },
        (f"{v1}training-assignments/<int:pk>/end/", "POST"): {"reason": "Moved to production"},
        (f"{v1}training-tasks/", "POST"): {
            "user": users[Role.REGULATORY_AFFAIRS].pk,
            "revision": task.revision_id,
        },
        (f"{v1}training-tasks/<int:pk>/complete-read/", "POST"): {"password": PASSWORD},
        (f"{v1}training-tasks/<int:pk>/instructor/", "POST"): {
            "trainer": users[Role.QUALITY_MANAGER].pk,
            "session_date": today,
            "assessment": "Observed at the bench",
            "result": "passed",
        },
        (f"{v1}training-tasks/<int:pk>/sign-instructor/", "POST"): {"password": PASSWORD},
        (f"{v1}training-tasks/<int:pk>/reschedule/", "POST"): {
            "due_date": today,
            "reason": "Audit next week",
        },
        (f"{v1}training-tasks/<int:pk>/cancel/", "POST"): {"reason": "Not needed"},
        (f"{v1}training-competence/", "POST"): {
            "user": trainee,
            "kind": "education",
            "title": "BSc Electrical engineering",
            "issuer": "OsloMet",
            "date": "2018-06-15",
        },
        (f"{v1}training-competence/<int:pk>/", "PATCH"): {"issuer": "Fjordmed AS academy"},
        (f"{v1}training-evaluations/", "POST"): {
            "job_role": pks["training.job_role"],
            "document": document,
            "method": "test",
            "date": today,
            "result": "effective",
        },
        (f"{v1}training-evaluations/<int:pk>/sign/", "POST"): {
            "meaning": "reviewed",
            "password": PASSWORD,
        },
    }
