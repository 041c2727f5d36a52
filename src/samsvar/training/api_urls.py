"""Training endpoints under /api/v1/ (included by samsvar.api_urls, without a namespace).

Each record has its own address under a training-* segment (training-tasks/<pk>/, ...), with
history/ beside it and versions/ (and sign/ for evaluations) for the versioned records.
"""

from django.urls import path

from samsvar.training import api

urlpatterns = [
    path("training-job-roles/", api.JobRoleListView.as_view(), name="training-job-role-list"),
    path(
        "training-job-roles/<int:pk>/",
        api.JobRoleDetailView.as_view(),
        name="training-job-role-detail",
    ),
    path(
        "training-job-roles/<int:pk>/requirements/",
        api.JobRoleRequirementsView.as_view(),
        name="training-job-role-requirements",
    ),
    path(
        "training-job-roles/<int:pk>/history/",
        api.JobRoleHistoryView.as_view(),
        name="training-job-role-history",
    ),
    path(
        "training-assignments/",
        api.AssignmentListView.as_view(),
        name="training-assignment-list",
    ),
    path(
        "training-assignments/<int:pk>/",
        api.AssignmentDetailView.as_view(),
        name="training-assignment-detail",
    ),
    path(
        "training-assignments/<int:pk>/end/",
        api.AssignmentEndView.as_view(),
        name="training-assignment-end",
    ),
    path(
        "training-assignments/<int:pk>/history/",
        api.AssignmentHistoryView.as_view(),
        name="training-assignment-history",
    ),
    path("training-tasks/", api.TaskListView.as_view(), name="training-task-list"),
    path("training-tasks/<int:pk>/", api.TaskDetailView.as_view(), name="training-task-detail"),
    path(
        "training-tasks/<int:pk>/complete-read/",
        api.TaskCompleteReadView.as_view(),
        name="training-task-complete-read",
    ),
    path(
        "training-tasks/<int:pk>/instructor/",
        api.TaskInstructorView.as_view(),
        name="training-task-instructor",
    ),
    path(
        "training-tasks/<int:pk>/sign-instructor/",
        api.TaskSignInstructorView.as_view(),
        name="training-task-sign-instructor",
    ),
    path(
        "training-tasks/<int:pk>/reschedule/",
        api.TaskRescheduleView.as_view(),
        name="training-task-reschedule",
    ),
    path(
        "training-tasks/<int:pk>/cancel/",
        api.TaskCancelView.as_view(),
        name="training-task-cancel",
    ),
    path(
        "training-tasks/<int:pk>/history/",
        api.TaskHistoryView.as_view(),
        name="training-task-history",
    ),
    path(
        "training-tasks/<int:pk>/versions/",
        api.TaskVersionsView.as_view(),
        name="training-task-versions",
    ),
    path("training-competence/", api.CompetenceListView.as_view(), name="training-competence-list"),
    path(
        "training-competence/<int:pk>/",
        api.CompetenceDetailView.as_view(),
        name="training-competence-detail",
    ),
    path(
        "training-competence/<int:pk>/history/",
        api.CompetenceHistoryView.as_view(),
        name="training-competence-history",
    ),
    path(
        "training-evaluations/",
        api.EvaluationListView.as_view(),
        name="training-evaluation-list",
    ),
    path(
        "training-evaluations/<int:pk>/",
        api.EvaluationDetailView.as_view(),
        name="training-evaluation-detail",
    ),
    path(
        "training-evaluations/<int:pk>/history/",
        api.EvaluationHistoryView.as_view(),
        name="training-evaluation-history",
    ),
    path(
        "training-evaluations/<int:pk>/versions/",
        api.EvaluationVersionsView.as_view(),
        name="training-evaluation-versions",
    ),
    path(
        "training-evaluations/<int:pk>/sign/",
        api.EvaluationSignView.as_view(),
        name="training-evaluation-sign",
    ),
    path("training-matrix/", api.MatrixView.as_view(), name="training-matrix"),
]
