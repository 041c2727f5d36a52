"""Dashboard, audit log, record history, signing, health check and error pages."""

import csv

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpResponseRedirect, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from samsvar.core import permissions as perms
from samsvar.core import selectors
from samsvar.core.audit import CSV_HEADER, csv_row


class HtmxPartialMixin:
    """Answer an htmx request with the partial template only (filters, paging)."""

    partial_template_name = ""

    def get_template_names(self):
        if self.request.headers.get("HX-Request") and self.partial_template_name:
            return [self.partial_template_name]
        return super().get_template_names()


class Protected(LoginRequiredMixin):
    """Every samsvar page declares the permission it needs; the table in permissions.py decides."""

    permission: str = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not self.permission or not perms.has_perm(request.user, self.permission):
            raise PermissionDenied
        self.prepare(request, *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)

    def prepare(self, request, *args, **kwargs):
        """Load the objects the page is about, once access to the page is settled."""


class ServiceFormView(FormView):
    """A form whose cleaned data goes to one service.

    A ValidationError from the service lands on the form, field by field, and a refusal from
    the service shows as a form error; either way nothing was saved.
    """

    success_message = ""

    def perform(self, data: dict):
        """Call the service with the form's data; return what the success URL is about."""
        raise NotImplementedError

    def success_message_for(self, result) -> str:
        return self.success_message

    def success_url_for(self, result) -> str:
        return result.get_absolute_url()

    def form_valid(self, form):
        try:
            result = self.perform(dict(form.cleaned_data))
        except ValidationError as exc:
            apply_errors(form, exc)
            return self.form_invalid(form)
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or _("Your role does not allow this."))
            return self.form_invalid(form)
        message = self.success_message_for(result)
        if message:
            messages.success(self.request, message)
        return redirect(self.success_url_for(result))


def paginate(request, queryset, per_page=50):
    """One page of `queryset`; `page.query_prefix` keeps the other query parameters in links."""
    page = Paginator(queryset, per_page).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    page.query_prefix = f"{query.urlencode()}&" if query else ""
    return page


class DashboardView(Protected, TemplateView):
    permission = perms.RECORD_VIEW
    template_name = "core/dashboard.html"

    def get_context_data(self, **kwargs):
        from samsvar.accounts.services import organisation_get
        from samsvar.devices.selectors import device_list

        user = self.request.user
        context = super().get_context_data(**kwargs)
        context["awaiting_me"] = selectors.signature_requests_for(user=user)[:20]
        context["my_requests"] = selectors.signature_requests_by(user=user)[:20]
        context["unsigned_devices"] = (
            selectors.unsigned_records(user=user, queryset=device_list(user=user))[:20]
            if perms.has_perm(user, perms.DEVICE_CHANGE)
            else []
        )
        if perms.has_perm(user, perms.AUDIT_VIEW):
            context["recent"] = selectors.audit_log(user=user)[:15]
        else:
            context["recent"] = selectors.audit_log_for_actor(user=user)[:15]
        context["unsigned_devices"] = list(context["unsigned_devices"])
        context["my_requests"] = list(context["my_requests"])
        context["open_task_count"] = len(context["my_requests"]) + len(context["unsigned_devices"])
        context["organisation"] = organisation_get()
        context.update(quality_work(user))
        return context


def quality_work(user) -> dict:
    """The dashboard's work lists from the QMS apps: training, document reviews and approvals,
    risks flagged by production and post-production information."""
    from django.utils import timezone

    from samsvar.documents import selectors as documents
    from samsvar.risk import selectors as risk
    from samsvar.training import selectors as training

    today = timezone.localdate()
    awaiting_approval = list(documents.revisions_awaiting_approval(user=user)[:10])
    reviews_overdue = list(documents.reviews_overdue(today, user=user)[:10])
    return {
        "today": today,
        "document_work_count": len(awaiting_approval) + len(reviews_overdue),
        "my_training": list(training.my_tasks(user)[:10]),
        "training_overdue": training.tasks_overdue(today, user=user).count(),
        "awaiting_approval": awaiting_approval,
        "reviews_overdue": reviews_overdue,
        "reviews_due": list(documents.reviews_due(today, user=user)[:10]),
        "flagged_risks": list(risk.flagged_risks(user=user)[:10]),
    }


class AuditLogView(Protected, HtmxPartialMixin, TemplateView):
    permission = perms.AUDIT_VIEW
    template_name = "core/audit_log.html"
    partial_template_name = "core/_audit_table.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = {k: self.request.GET.get(k, "").strip() for k in AUDIT_FILTERS}
        try:
            events = selectors.audit_log(user=self.request.user, **params)
            context["page"] = paginate(self.request, events)
        except ValidationError as exc:
            context["filter_errors"] = exc.message_dict
            context["page"] = None
        context["filters"] = params
        context["object_types"] = selectors.audit_object_types()
        context["export_query"] = self.request.GET.urlencode()
        return context


AUDIT_FILTERS = ("actor", "object_type", "date_from", "date_to", "object_id")


class _Echo:
    def write(self, value):
        return value


class AuditExportView(Protected, View):
    """The filtered audit log as CSV, streamed so a large trail never sits in memory."""

    permission = perms.AUDIT_EXPORT

    def get(self, request):
        params = {k: request.GET.get(k, "").strip() for k in AUDIT_FILTERS}
        try:
            events = selectors.audit_log(user=request.user, **params).order_by("seq")
        except ValidationError as exc:
            return JsonResponse({"errors": exc.message_dict}, status=400)
        writer = csv.writer(_Echo())

        def rows():
            yield writer.writerow(CSV_HEADER)
            for event in events.iterator(chunk_size=2000):
                yield writer.writerow(csv_row(event))

        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="samsvar-audit-{stamp}.csv"'
        return response


class SignatureRequestListView(Protected, TemplateView):
    permission = perms.RECORD_VIEW
    template_name = "core/signature_requests.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["awaiting_me"] = selectors.signature_requests_for(user=self.request.user)
        context["my_requests"] = selectors.signature_requests_by(user=self.request.user)
        return context


class SignatureRequestCancelView(Protected, View):
    permission = perms.SIGNATURE_REQUEST

    def post(self, request, pk):
        from samsvar.core.services import signature_request_cancel

        signature_request = get_object_or_404(
            selectors.signature_requests_by(user=request.user), pk=pk
        )
        signature_request_cancel(actor=request.user, request=signature_request)
        messages.success(request, _("The signature request was cancelled."))
        return redirect("core:signatures")


class RecordViewMixin:
    """For pages about one versioned record: subclasses say how to find it."""

    def get_record(self):
        raise NotImplementedError

    def prepare(self, request, *args, **kwargs):
        super().prepare(request, *args, **kwargs)
        self.record = self.get_record()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["record"] = self.record
        context["record_type"] = self.record._meta.verbose_name
        return context


class RecordSignView(RecordViewMixin, Protected, ServiceFormView):
    """Sign the current version of a record: password (and TOTP) again, meaning, manifestation."""

    permission = perms.RECORD_VIEW  # the meaning decides; the service checks it again
    template_name = "core/sign.html"

    def get_form(self, form_class=None):
        from samsvar.core.forms import SignForm

        return SignForm(self.request.user, record=self.record, **self.get_form_kwargs())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["content_sha256"] = self.record.content_sha256()
        context["signatures"] = selectors.current_signatures(obj=self.record)
        return context

    def perform(self, data):
        from samsvar.core.services import record_sign

        record_sign(actor=self.request.user, record=self.record, **data)
        return self.record

    def success_message_for(self, result):
        return _("Signed version %(version)s of %(record)s.") % {
            "version": result.version,
            "record": result,
        }


class SignatureRequestCreateView(RecordViewMixin, Protected, ServiceFormView):
    permission = perms.SIGNATURE_REQUEST
    template_name = "core/signature_request_form.html"
    success_message = _lazy("Signature requested.")

    def get_form(self, form_class=None):
        from samsvar.core.forms import SignatureRequestForm

        return SignatureRequestForm(**self.get_form_kwargs())

    def perform(self, data):
        from samsvar.core.services import signature_request_create

        signature_request_create(actor=self.request.user, record=self.record, **data)
        return self.record


def apply_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError onto the form, field by field."""
    if not hasattr(exc, "error_dict"):
        for error in exc.messages:
            form.add_error(None, error)
        return
    for field, errors in exc.message_dict.items():
        for error in errors:
            if field in form.fields:
                form.add_error(field, error)
            elif field == "__all__":
                form.add_error(None, error)
            else:
                form.add_error(None, f"{field}: {error}")


def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means "not healthy"
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


healthz.public = True


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)


def redirect_back(request, fallback: str):
    target = request.POST.get("next") or request.GET.get("next") or ""
    from django.utils.http import url_has_allowed_host_and_scheme

    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = fallback
    return HttpResponseRedirect(target)
