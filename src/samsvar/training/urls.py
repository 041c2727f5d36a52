from django.urls import path

from samsvar.training import views

app_name = "training"
urlpatterns = [
    path("", views.MyTasksView.as_view(), name="my_tasks"),
    path("tasks/", views.TaskListView.as_view(), name="tasks"),
    path("tasks/new/", views.TaskCreateView.as_view(), name="task_create"),
    path("tasks/<int:pk>/", views.TaskDetailView.as_view(), name="task"),
    path("tasks/<int:pk>/sign/", views.TaskSignView.as_view(), name="task_sign"),
    path("tasks/<int:pk>/instructor/", views.TaskInstructorView.as_view(), name="task_instructor"),
    path("tasks/<int:pk>/reschedule/", views.TaskRescheduleView.as_view(), name="task_reschedule"),
    path("tasks/<int:pk>/cancel/", views.TaskCancelView.as_view(), name="task_cancel"),
    path("matrix/", views.MatrixView.as_view(), name="matrix"),
    path("matrix.xlsx", views.MatrixXlsxView.as_view(), name="matrix_xlsx"),
    path("roles/", views.JobRoleListView.as_view(), name="job_roles"),
    path("roles/new/", views.JobRoleCreateView.as_view(), name="job_role_create"),
    path("roles/<int:pk>/", views.JobRoleDetailView.as_view(), name="job_role"),
    path("roles/<int:pk>/edit/", views.JobRoleEditView.as_view(), name="job_role_edit"),
    path("roles/<int:pk>/assign/", views.JobRoleAssignView.as_view(), name="job_role_assign"),
    path(
        "roles/<int:pk>/competences/add/",
        views.RequirementAddView.as_view(),
        name="job_role_requirement_add",
    ),
    path(
        "roles/<int:pk>/competences/remove/",
        views.RequirementRemoveView.as_view(),
        name="job_role_requirement_remove",
    ),
    path("assignments/<int:pk>/end/", views.AssignmentEndView.as_view(), name="assignment_end"),
    path("people/", views.PeopleView.as_view(), name="people"),
    path("people/<int:pk>/", views.PersonView.as_view(), name="person"),
    path("competence/new/", views.CompetenceCreateView.as_view(), name="competence_create"),
    path("competence/expiring/", views.ExpiringView.as_view(), name="expiring"),
    path("competence/<int:pk>/", views.CompetenceDetailView.as_view(), name="competence"),
    path("competence/<int:pk>/edit/", views.CompetenceEditView.as_view(), name="competence_edit"),
    path(
        "competence/<int:pk>/evidence/",
        views.CompetenceEvidenceView.as_view(),
        name="competence_evidence",
    ),
    path("evaluations/", views.EvaluationListView.as_view(), name="evaluations"),
    path("evaluations/new/", views.EvaluationCreateView.as_view(), name="evaluation_create"),
    path("evaluations/<int:pk>/", views.EvaluationDetailView.as_view(), name="evaluation"),
    path("evaluations/<int:pk>/sign/", views.EvaluationSignView.as_view(), name="evaluation_sign"),
]
