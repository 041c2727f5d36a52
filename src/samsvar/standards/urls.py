from django.urls import path

from samsvar.standards import views

app_name = "standards"
urlpatterns = [
    path("", views.StandardListView.as_view(), name="list"),
    path("new/", views.StandardCreateView.as_view(), name="create"),
    path("<int:pk>/", views.StandardDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.StandardEditView.as_view(), name="edit"),
    path("devices/<int:pk>/", views.DeviceStandardsView.as_view(), name="device_standards"),
    path("devices/<int:pk>/add/", views.AppliedStandardAddView.as_view(), name="applied_add"),
    path("applied/<int:pk>/edit/", views.AppliedStandardEditView.as_view(), name="applied_edit"),
    path(
        "applied/<int:pk>/remove/",
        views.AppliedStandardRemoveView.as_view(),
        name="applied_remove",
    ),
    path("devices/<int:pk>/gspr/", views.GsprChecklistView.as_view(), name="gspr"),
    # The requirement number (dots and brackets) travels as ?number=, not in the path.
    path("devices/<int:pk>/gspr/entry/", views.GsprEntryEditView.as_view(), name="gspr_entry"),
    path("devices/<int:pk>/gspr.xlsx", views.GsprXlsxView.as_view(), name="gspr_xlsx"),
    path("devices/<int:pk>/gspr.pdf", views.GsprPdfView.as_view(), name="gspr_pdf"),
]
