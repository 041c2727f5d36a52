from django.urls import path

from samsvar.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("login/code/", views.LoginOtpView.as_view(), name="login_otp"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("language/", views.LanguageView.as_view(), name="language"),
    path("profile/", views.ProfileView.as_view(), name="profile"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("two-factor/", views.TotpSetupView.as_view(), name="totp_setup"),
    path("two-factor/off/", views.TotpDisableView.as_view(), name="totp_disable"),
    path("people/", views.UserListView.as_view(), name="users"),
    path("people/new/", views.UserCreateView.as_view(), name="user_create"),
    path("people/<int:pk>/", views.UserEditView.as_view(), name="user_edit"),
    path("organisation/", views.OrganisationView.as_view(), name="organisation"),
    path("organisation/edit/", views.OrganisationEditView.as_view(), name="organisation_edit"),
    path("organisation/prrc/new/", views.PrrcEditView.as_view(), name="prrc_create"),
    path("organisation/prrc/<int:pk>/", views.PrrcEditView.as_view(), name="prrc_edit"),
    path(
        "organisation/prrc/<int:pk>/evidence/",
        views.PrrcEvidenceView.as_view(),
        name="prrc_evidence",
    ),
]
