"""Login with lockout and TOTP, profile and two-factor setup, people, organisation and PRRC."""

import base64
from io import BytesIO

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from samsvar.accounts import forms, selectors, services
from samsvar.core import permissions as perms
from samsvar.core.selectors import record_history
from samsvar.core.services import user_has_totp
from samsvar.core.views import Protected, ServiceFormView

User = get_user_model()
PENDING_KEY = "samsvar_pending_2fa_user"


def _safe_next(request, fallback="core:dashboard"):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return redirect(fallback).url


def complete_login(request, user, otp_device=None):
    """Start the session (after the second factor, when there is one) and audit the login."""
    from django_otp import login as otp_login

    auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    if otp_device is not None:
        otp_login(request, otp_device)
    services.login_record(user=user, two_factor=otp_device is not None)
    return redirect(_safe_next(request))


class LoginView(FormView):
    """Step one: username and password, with lockout after repeated failures."""

    public = True
    template_name = "accounts/login.html"
    form_class = forms.LoginForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return redirect(_safe_next(request))
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            user = services.authenticate_with_lockout(
                username=form.cleaned_data["username"], password=form.cleaned_data["password"]
            )
        except services.LoginRefused as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        if user_has_totp(user):
            self.request.session[PENDING_KEY] = user.pk
            return redirect(f"{redirect('accounts:login_otp').url}?next={_safe_next(self.request)}")
        return complete_login(self.request, user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["next"] = self.request.GET.get("next", "")
        return context


class LoginOtpView(FormView):
    """Step two for users with a confirmed authenticator (RFC 6238 TOTP)."""

    public = True
    template_name = "accounts/login_otp.html"
    form_class = forms.OtpForm

    def dispatch(self, request, *args, **kwargs):
        pending = request.session.get(PENDING_KEY)
        self.pending_user = (
            User.objects.filter(pk=pending, is_active=True).first() if pending else None
        )
        locked = self.pending_user is not None and self.pending_user.login_locked_until
        if locked and locked > timezone.now():
            # Locked after the password step (e.g. by failures elsewhere): start again.
            request.session.pop(PENDING_KEY, None)
            messages.error(request, services.lock_message(locked))
            self.pending_user = None
        if self.pending_user is None:
            return redirect("accounts:login")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        from django_otp import match_token

        user = self.pending_user
        device = match_token(user, form.cleaned_data["otp_token"].strip().replace(" ", ""))
        if device is None:
            locked_until = services.note_login_failure(user, "otp")
            if locked_until:
                self.request.session.pop(PENDING_KEY, None)
                form.add_error(None, services.lock_message(locked_until))
            else:
                form.add_error("otp_token", _("The code is not correct."))
            return self.form_invalid(form)
        self.request.session.pop(PENDING_KEY, None)
        return complete_login(self.request, user, otp_device=device)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["next"] = self.request.GET.get("next", "")
        return context


class LogoutView(View):
    public = True

    def post(self, request):
        if request.user.is_authenticated:
            services.logout_record(user=request.user)
        auth_logout(request)
        messages.info(request, _("You are logged out."))
        return redirect("accounts:login")


class LanguageView(View):
    """Switch the interface language; a signed-in user's choice is stored on the account."""

    public = True

    def post(self, request):
        language = request.POST.get("language", "")
        if language not in dict(User.Language.choices) or not language:
            language = translation.get_language()
        if request.user.is_authenticated and request.user.language != language:
            services.user_update(actor=request.user, user=request.user, language=language)
        response = redirect(_safe_next(request))
        response.set_cookie("django_language", language, max_age=365 * 24 * 3600, samesite="Lax")
        translation.activate(language)
        return response


class ProfileView(Protected, ServiceFormView):
    permission = perms.RECORD_VIEW
    template_name = "accounts/profile.html"
    form_class = forms.ProfileForm
    success_message = _lazy("Your profile was saved.")

    def get_initial(self):
        user = self.request.user
        return {"full_name": user.full_name, "email": user.email, "language": user.language}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["has_totp"] = user_has_totp(self.request.user)
        return context

    def perform(self, data):
        return services.user_update(actor=self.request.user, user=self.request.user, **data)

    def success_url_for(self, result):
        return reverse("accounts:profile")

    def form_valid(self, form):
        response = super().form_valid(form)
        if response.status_code == 302 and form.cleaned_data["language"]:
            response.set_cookie("django_language", form.cleaned_data["language"], samesite="Lax")
        return response


class PasswordChangeView(Protected, ServiceFormView):
    permission = perms.RECORD_VIEW
    template_name = "accounts/password_change.html"
    form_class = forms.PasswordChangeForm
    success_message = _lazy("Your password was changed.")

    def perform(self, data):
        from django.contrib.auth import update_session_auth_hash

        services.password_change(
            user=self.request.user,
            old_password=data["old_password"],
            new_password=data["new_password1"],
        )
        update_session_auth_hash(self.request, self.request.user)

    def success_url_for(self, result):
        return reverse("accounts:profile")


def _qr_svg(uri: str) -> str:
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = BytesIO()
    image.save(buffer)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


class TotpSetupView(Protected, ServiceFormView):
    """Enrol an authenticator app: scan the QR code, confirm with the first code."""

    permission = perms.RECORD_VIEW
    template_name = "accounts/totp_setup.html"
    form_class = forms.TotpConfirmForm
    success_message = _lazy(
        "Two-factor login is on. You will need a code at every login and signature."
    )

    def pending_device(self):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.filter(user=self.request.user, confirmed=False).first()
        if device is None:
            device = TOTPDevice.objects.create(
                user=self.request.user, name="authenticator", confirmed=False
            )
        return device

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        device = self.pending_device()
        context["qr_svg_base64"] = _qr_svg(device.config_url)
        context["secret"] = base64.b32encode(device.bin_key).decode("ascii")
        context["has_totp"] = user_has_totp(self.request.user)
        return context

    def perform(self, data):
        services.totp_confirm(
            user=self.request.user, device=self.pending_device(), token=data["token"]
        )

    def success_url_for(self, result):
        return reverse("accounts:profile")


class TotpDisableView(Protected, ServiceFormView):
    permission = perms.RECORD_VIEW
    template_name = "accounts/totp_disable.html"
    form_class = forms.TotpDisableForm
    success_message = _lazy("Two-factor login is off.")

    def perform(self, data):
        services.totp_disable(user=self.request.user, password=data["password"])

    def success_url_for(self, result):
        return reverse("accounts:profile")


class UserListView(Protected, TemplateView):
    permission = perms.USER_MANAGE
    template_name = "accounts/user_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["people"] = selectors.user_list(user=self.request.user)
        return context


class UserCreateView(Protected, ServiceFormView):
    permission = perms.USER_MANAGE
    template_name = "accounts/user_form.html"
    form_class = forms.UserCreateForm

    def perform(self, data):
        return services.user_create(actor=self.request.user, **data)

    def success_message_for(self, result):
        return _("%(name)s can now log in.") % {"name": result.full_name}

    def success_url_for(self, result):
        return reverse("accounts:users")


class UserEditView(Protected, ServiceFormView):
    permission = perms.USER_MANAGE
    template_name = "accounts/user_form.html"
    form_class = forms.UserEditForm
    success_message = _lazy("Saved.")

    def prepare(self, request, *args, **kwargs):
        self.person = selectors.access_user_by_id(user=request.user, user_id=kwargs["pk"])

    def get_initial(self):
        p = self.person
        return {
            "full_name": p.full_name,
            "email": p.email,
            "job_title": p.job_title,
            "role": p.role,
            "is_active": p.is_active,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["person"] = self.person
        context["events"] = record_history(user=self.request.user, obj=self.person)[:50]
        return context

    def perform(self, data):
        return services.user_update(actor=self.request.user, user=self.person, **data)

    def success_url_for(self, result):
        return reverse("accounts:users")


class OrganisationView(Protected, TemplateView):
    permission = perms.RECORD_VIEW
    template_name = "accounts/organisation.html"

    def get_context_data(self, **kwargs):
        from samsvar.core.selectors import current_signatures

        context = super().get_context_data(**kwargs)
        organisation = services.organisation_get()
        context["organisation"] = organisation
        if organisation:
            context["prrcs"] = selectors.prrc_list(user=self.request.user)
            context["signatures"] = current_signatures(obj=organisation)
            context["events"] = record_history(user=self.request.user, obj=organisation)[:20]
        return context


class OrganisationEditView(Protected, ServiceFormView):
    permission = perms.ORGANISATION_CHANGE
    template_name = "accounts/organisation_form.html"
    form_class = forms.OrganisationForm
    success_message = _lazy("The organisation profile was saved.")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = services.organisation_get()
        return kwargs

    def perform(self, data):
        return services.organisation_save(actor=self.request.user, **data)

    def success_url_for(self, result):
        return reverse("accounts:organisation")


class PrrcEditView(Protected, ServiceFormView):
    permission = perms.ORGANISATION_CHANGE
    template_name = "accounts/prrc_form.html"
    form_class = forms.PrrcForm
    success_message = _lazy("The PRRC record was saved.")

    def prepare(self, request, *args, **kwargs):
        self.prrc = (
            selectors.access_prrc_by_id(user=request.user, prrc_id=kwargs["pk"])
            if "pk" in kwargs
            else None
        )

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.prrc
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["prrc"] = self.prrc
        return context

    def perform(self, data):
        if not data.get("evidence_file"):
            data.pop("evidence_file", None)
        return services.prrc_save(actor=self.request.user, prrc=self.prrc, **data)

    def success_url_for(self, result):
        return reverse("accounts:organisation")


class PrrcEvidenceView(Protected, View):
    """Uploaded evidence is served only to signed-in users, never from a public media URL."""

    permission = perms.RECORD_VIEW

    def get(self, request, pk):
        prrc = selectors.access_prrc_by_id(user=request.user, prrc_id=pk)
        if not prrc.evidence_file:
            raise Http404
        try:
            handle = prrc.evidence_file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        return FileResponse(
            handle, as_attachment=True, filename=prrc.evidence_file.name.rsplit("/", 1)[-1]
        )
