"""Compliance pages: the Article 10 checklist and overview, the technical documentation index,
the EU declaration of conformity and the signed Article 10 compliance statement."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import TemplateView

from samsvar.accounts.services import organisation_get
from samsvar.compliance import documents, selectors, services
from samsvar.compliance.forms import (
    DeclarationForm,
    EvidenceForm,
    ObligationFilterForm,
    ObligationForm,
    StatementForm,
    TechdocReferenceForm,
)
from samsvar.compliance.models import Declaration
from samsvar.core import permissions as perms
from samsvar.core import selectors as core_selectors
from samsvar.core.views import (
    HtmxPartialMixin,
    Protected,
    RecordSignView,
    ServiceFormView,
    SignatureRequestCreateView,
    redirect_back,
)
from samsvar.devices.selectors import access_device_by_id

# --- Article 10: overview, lists, editing -----------------------------------------------------


class OverviewView(Protected, TemplateView):
    """Progress per paragraph and per device, and the matrix of paragraphs by devices."""

    permission = perms.RECORD_VIEW
    template_name = "compliance/overview.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["matrix"] = selectors.compliance_matrix(user=self.request.user)
        context["statements"] = selectors.statement_list(user=self.request.user)[:5]
        return context


class SyncView(Protected, View):
    """Create the obligations that are missing for the manufacturer and every device."""

    permission = perms.COMPLIANCE_CHANGE

    def post(self, request):
        created = services.obligations_sync(actor=request.user)
        if created:
            messages.success(
                request,
                ngettext(
                    "%(n)s obligation was added from the catalogue.",
                    "%(n)s obligations were added from the catalogue.",
                    created,
                )
                % {"n": created},
            )
        else:
            messages.info(request, _("Every obligation of the catalogue is already there."))
        return redirect_back(request, reverse("compliance:overview"))


class ObligationListMixin(HtmxPartialMixin):
    """The checklist table, filtered by status and overdue, with htmx partial updates."""

    partial_template_name = "compliance/_obligation_table.html"

    def obligations(self, **scope):
        form = ObligationFilterForm(self.request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {}
        obligations = selectors.obligation_list(
            user=self.request.user,
            status=filters.get("status", ""),
            overdue=True if filters.get("overdue") else None,
            **scope,
        )
        return form, selectors.with_evidence(obligations)


class DeviceObligationsView(Protected, ObligationListMixin, TemplateView):
    permission = perms.RECORD_VIEW
    template_name = "compliance/obligation_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        device = access_device_by_id(user=self.request.user, device_id=self.kwargs["pk"])
        form, obligations = self.obligations(device=device)
        context.update(device=device, filter_form=form, obligations=obligations)
        context["list_url"] = reverse("compliance:device_obligations", args=[device.pk])
        return context


class ManufacturerObligationsView(Protected, ObligationListMixin, TemplateView):
    permission = perms.RECORD_VIEW
    template_name = "compliance/obligation_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form, obligations = self.obligations(manufacturer=True)
        context.update(device=None, filter_form=form, obligations=obligations)
        context["list_url"] = reverse("compliance:manufacturer_obligations")
        return context


class ObligationMixin:
    def prepare(self, request, *args, **kwargs):
        self.obligation = selectors.access_obligation_by_id(
            user=request.user, obligation_id=kwargs["pk"]
        )

    def evidence_form(self, data=None):
        return EvidenceForm(data, user=self.request.user, obligation=self.obligation)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["obligation"] = self.obligation
        context["evidence"] = list(self.obligation.evidence.all())
        return context


class ObligationEditView(ObligationMixin, Protected, HtmxPartialMixin, ServiceFormView):
    """Edit one obligation; inline in the checklist through htmx, or as a page."""

    permission = perms.COMPLIANCE_CHANGE
    template_name = "compliance/obligation_edit.html"
    partial_template_name = "compliance/_obligation_form.html"
    form_class = ObligationForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(instance=self.obligation, user=self.request.user)
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("evidence_form", self.evidence_form())
        return context

    def perform(self, data):
        # Re-read the stored record so a refused change leaves nothing behind in memory.
        obligation = selectors.access_obligation_by_id(
            user=self.request.user, obligation_id=self.obligation.pk
        )
        return services.obligation_update(actor=self.request.user, obligation=obligation, **data)

    def form_valid(self, form):
        response = super().form_valid(form)
        if self.request.headers.get("HX-Request") and response.status_code == 302:
            messages.get_messages(self.request).used = True  # the row itself shows the change
            obligation = selectors.with_evidence(
                selectors.obligation_list(user=self.request.user)
            ).get(pk=self.obligation.pk)
            return self.response_class(
                request=self.request,
                template="compliance/_obligation_row.html",
                context={"o": obligation, "perms_granted": perms.perms_for(self.request.user)},
            )
        return response

    def success_message_for(self, result):
        return _("%(obligation)s was saved.") % {"obligation": result.citation}


class EvidenceAddView(ObligationMixin, Protected, ServiceFormView):
    permission = perms.COMPLIANCE_CHANGE
    template_name = "compliance/obligation_edit.html"
    success_message = _lazy("The evidence was linked.")

    def get_form(self, form_class=None):
        return self.evidence_form(self.request.POST if self.request.method == "POST" else None)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["evidence_form"] = context["form"]
        context["form"] = ObligationForm(instance=self.obligation, user=self.request.user)
        return context

    def perform(self, data):
        services.obligation_evidence_add(
            actor=self.request.user, obligation=self.obligation, **data
        )
        return self.obligation

    def success_url_for(self, result):
        return reverse("compliance:obligation_edit", args=[result.pk])


class EvidenceRemoveView(Protected, View):
    permission = perms.COMPLIANCE_CHANGE

    def post(self, request, pk):
        evidence = selectors.access_evidence_by_id(user=request.user, evidence_id=pk)
        obligation = evidence.obligation
        services.obligation_evidence_remove(actor=request.user, evidence=evidence)
        messages.success(request, _("The evidence was unlinked."))
        return redirect("compliance:obligation_edit", obligation.pk)


# --- Technical documentation index ------------------------------------------------------------


class DeviceMixin:
    def prepare(self, request, *args, **kwargs):
        self.device = access_device_by_id(user=request.user, device_id=kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["device"] = self.device
        return context


class TechdocView(DeviceMixin, Protected, TemplateView):
    """Annex II and III section by section: what fills each one, and the gaps."""

    permission = perms.RECORD_VIEW
    template_name = "compliance/techdoc.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows, gaps = selectors.techdoc_index(user=self.request.user, device=self.device)
        context.update(rows=rows, gaps=gaps)
        context.setdefault("form", TechdocReferenceForm(device=self.device))
        return context


class TechdocReferenceAddView(DeviceMixin, Protected, ServiceFormView):
    permission = perms.COMPLIANCE_CHANGE
    template_name = "compliance/techdoc.html"
    success_message = _lazy("The document was added to the technical documentation index.")

    def get_form(self, form_class=None):
        data = self.request.POST if self.request.method == "POST" else None
        return TechdocReferenceForm(data, device=self.device)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows, gaps = selectors.techdoc_index(user=self.request.user, device=self.device)
        context.update(rows=rows, gaps=gaps)
        return context

    def perform(self, data):
        return services.techdoc_reference_add(actor=self.request.user, device=self.device, **data)


class TechdocReferenceRemoveView(Protected, View):
    permission = perms.COMPLIANCE_CHANGE

    def post(self, request, pk):
        reference = selectors.access_techdoc_reference_by_id(user=request.user, reference_id=pk)
        device_id = reference.device_id
        services.techdoc_reference_remove(actor=request.user, reference=reference)
        messages.success(request, _("The document was removed from the index."))
        return redirect("compliance:techdoc", device_id)


# --- EU declaration of conformity -------------------------------------------------------------


class DeclarationView(DeviceMixin, Protected, TemplateView):
    permission = perms.RECORD_VIEW
    template_name = "compliance/declaration.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        declaration = selectors.declaration_for(user=self.request.user, device=self.device)
        context["classified"] = not services.declaration_blocker(self.device)
        context["declaration"] = declaration
        if declaration is not None:
            context["lines"] = documents.declaration_lines(declaration)
            context["gaps"] = documents.declaration_gaps(declaration)
            context["signatures"] = list(core_selectors.current_signatures(obj=declaration))
            context["versions"] = core_selectors.record_versions(obj=declaration)
            context["events"] = core_selectors.record_history(
                user=self.request.user, obj=declaration
            )[:50]
        return context


class DeclarationRecordView(Protected, View):
    """A declaration by its own id (signature requests link here)."""

    permission = perms.RECORD_VIEW

    def get(self, request, pk):
        declaration = Declaration.objects.filter(pk=pk).first()
        if declaration is None:
            raise Http404
        return redirect("compliance:declaration", declaration.device_id)


class DeclarationEditView(DeviceMixin, Protected, ServiceFormView):
    permission = perms.COMPLIANCE_CHANGE
    template_name = "compliance/declaration_form.html"

    def prepare(self, request, *args, **kwargs):
        super().prepare(request, *args, **kwargs)
        self.declaration = selectors.declaration_for(user=request.user, device=self.device)
        self.nb_required = services.notified_body_required(self.device)

    def get_form(self, form_class=None):
        kwargs = self.get_form_kwargs()
        if self.declaration is not None:
            kwargs["instance"] = self.declaration
        else:
            kwargs["initial"] = services.declaration_initial(self.device)
        return DeclarationForm(notified_body_required=self.nb_required, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["declaration"] = self.declaration
        context["nb_required"] = self.nb_required
        context["frozen"] = bool(self.declaration and self.declaration.current_version_frozen())
        if self.request.method == "GET":
            context["refusal"] = services.declaration_blocker(self.device)
        return context

    def perform(self, data):
        return services.declaration_save(actor=self.request.user, device=self.device, **data)

    def success_url_for(self, result):
        return reverse("compliance:declaration", args=[self.device.pk])

    def success_message_for(self, result):
        return _("The declaration of conformity was saved as version %(v)s.") % {
            "v": result.version
        }


class DeclarationRecordMixin:
    def get_record(self):
        device = access_device_by_id(user=self.request.user, device_id=self.kwargs["pk"])
        return selectors.access_declaration(user=self.request.user, device=device)


class DeclarationSignView(DeclarationRecordMixin, RecordSignView):
    pass


class DeclarationSignatureRequestView(DeclarationRecordMixin, SignatureRequestCreateView):
    pass


class DeclarationDocumentView(DeviceMixin, Protected, View):
    """The declaration as a PDF or DOCX; refused with a message while there is none."""

    permission = perms.RECORD_VIEW
    kind = "pdf"

    def get(self, request, pk):
        declaration = selectors.declaration_for(user=request.user, device=self.device)
        if declaration is None:
            messages.error(
                request,
                _("There is no declaration of conformity for %(device)s yet.")
                % {"device": self.device.name},
            )
            return redirect("compliance:declaration", self.device.pk)
        if self.kind == "docx":
            return documents.declaration_docx_response(declaration)
        return documents.declaration_pdf_response(declaration, organisation_get())


# --- Article 10 compliance statement ----------------------------------------------------------


class StatementListView(Protected, TemplateView):
    permission = perms.RECORD_VIEW
    template_name = "compliance/statement_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        statements = list(selectors.statement_list(user=self.request.user))
        signatures = core_selectors.current_signatures_by_pk(statements)
        context["statements"] = [(s, signatures.get(str(s.pk), [])) for s in statements]
        return context


class StatementCreateView(Protected, ServiceFormView):
    permission = perms.COMPLIANCE_CHANGE
    template_name = "compliance/statement_form.html"
    form_class = StatementForm
    success_message = _lazy("The compliance statement was drawn up. It can now be signed.")

    def perform(self, data):
        return services.compliance_statement_create(actor=self.request.user, **data)


class StatementMixin:
    def get_record(self):
        return selectors.access_statement_by_id(
            user=self.request.user, statement_id=self.kwargs["pk"]
        )


class StatementDetailView(Protected, StatementMixin, TemplateView):
    permission = perms.RECORD_VIEW
    template_name = "compliance/statement_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        statement = self.get_record()
        context["statement"] = statement
        context["snapshot"] = statement.content
        context["signatures"] = list(core_selectors.current_signatures(obj=statement))
        context["content_sha256"] = statement.content_sha256()
        return context


class StatementSignView(StatementMixin, RecordSignView):
    pass


class StatementSignatureRequestView(StatementMixin, SignatureRequestCreateView):
    pass


class StatementPdfView(Protected, StatementMixin, View):
    permission = perms.RECORD_VIEW

    def get(self, request, pk):
        statement = self.get_record()
        signatures = list(core_selectors.current_signatures(obj=statement))
        return documents.statement_pdf_response(statement, signatures)
