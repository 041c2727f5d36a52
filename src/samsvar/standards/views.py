"""Pages of the standards register, the standards each device applies and its GSPR checklist."""

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from samsvar.core import permissions as perms
from samsvar.core import selectors as core_selectors
from samsvar.core.views import HtmxPartialMixin, Protected, ServiceFormView, paginate
from samsvar.devices.selectors import access_device_by_id
from samsvar.reports.render import XLSX_TYPE, file_response, pdf_response, xlsx_bytes
from samsvar.standards import selectors, services
from samsvar.standards.forms import (
    AppliedStandardForm,
    GsprEntryForm,
    GsprFilterForm,
    StandardEditionForm,
    StandardFilterForm,
    reason_field,
)

# --- The register -----------------------------------------------------------------------------


class StandardListView(Protected, HtmxPartialMixin, TemplateView):
    permission = perms.RECORD_VIEW
    template_name = "standards/standard_list.html"
    partial_template_name = "standards/_standard_table.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = StandardFilterForm(self.request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {}
        editions = selectors.edition_list(
            user=self.request.user,
            regime=filters.get("regime", ""),
            status=filters.get("status", ""),
            kind=filters.get("kind", ""),
            query=filters.get("q", ""),
        )
        context["filter_form"] = form
        context["page"] = paginate(self.request, editions)
        return context


class EditionMixin:
    def get_record(self):
        return selectors.access_edition_by_id(user=self.request.user, edition_id=self.kwargs["pk"])


class StandardDetailView(Protected, EditionMixin, TemplateView):
    permission = perms.RECORD_VIEW
    template_name = "standards/standard_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        edition = self.get_record()
        context["edition"] = edition
        context["supersedes"] = edition.supersedes.all()
        context["applications"] = edition.applications.select_related("device").order_by(
            "device__name"
        )
        context["events"] = core_selectors.record_history(user=self.request.user, obj=edition)[:100]
        return context


class StandardCreateView(Protected, ServiceFormView):
    permission = perms.STANDARDS_REGISTER_CHANGE
    template_name = "standards/standard_form.html"
    form_class = StandardEditionForm

    def perform(self, data):
        return services.standard_edition_create(actor=self.request.user, **data)

    def success_message_for(self, result):
        return _("%(edition)s was added to the register.") % {"edition": result.label}


class StandardEditView(Protected, EditionMixin, ServiceFormView):
    permission = perms.STANDARDS_REGISTER_CHANGE
    template_name = "standards/standard_form.html"
    form_class = StandardEditionForm

    def prepare(self, request, *args, **kwargs):
        self.edition = self.get_record()

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.edition
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["edition"] = self.edition
        return context

    def perform(self, data):
        # Re-read the stored record so a refused change leaves nothing behind in memory.
        edition = self.get_record()
        return services.standard_edition_update(actor=self.request.user, edition=edition, **data)

    def success_message_for(self, result):
        return _("Saved.")


# --- Standards applied to a device ------------------------------------------------------------


class DeviceMixin:
    def get_device(self):
        return access_device_by_id(user=self.request.user, device_id=self.kwargs["pk"])


class DeviceStandardsView(Protected, DeviceMixin, TemplateView):
    """The standards and common specifications a device applies, with edition warnings."""

    permission = perms.RECORD_VIEW
    template_name = "standards/device_standards.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        device = self.get_device()
        applied = list(selectors.applied_standards(user=self.request.user, device=device))
        warnings = selectors.warnings_for(applied)
        language = get_language() or "en"
        context["device"] = device
        context["rows"] = [
            {
                "applied": item,
                "warnings": [
                    {"severity": w.severity, "message": w.message(language)}
                    for w in warnings.get(item.pk, [])
                ],
            }
            for item in applied
        ]
        context["warning_count"] = sum(len(row["warnings"]) for row in context["rows"])
        return context


class AppliedStandardAddView(Protected, DeviceMixin, ServiceFormView):
    permission = perms.COMPLIANCE_CHANGE
    template_name = "standards/applied_form.html"

    def prepare(self, request, *args, **kwargs):
        self.device = self.get_device()

    def get_form(self, form_class=None):
        return AppliedStandardForm(device=self.device, **self.get_form_kwargs())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["device"] = self.device
        return context

    def perform(self, data):
        return services.applied_standard_add(actor=self.request.user, device=self.device, **data)

    def success_message_for(self, result):
        return _("%(edition)s is now applied to %(device)s.") % {
            "edition": result.edition.label,
            "device": self.device,
        }


class AppliedMixin:
    def prepare(self, request, *args, **kwargs):
        self.applied = selectors.access_applied_standard_by_id(
            user=request.user, applied_id=self.kwargs["pk"]
        )
        self.device = self.applied.device

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["device"] = self.device
        context["applied"] = self.applied
        return context


class AppliedStandardEditView(AppliedMixin, Protected, ServiceFormView):
    permission = perms.COMPLIANCE_CHANGE
    template_name = "standards/applied_form.html"

    def get_form(self, form_class=None):
        return AppliedStandardForm(
            device=self.device, applied=self.applied, **self.get_form_kwargs()
        )

    def perform(self, data):
        applied = selectors.access_applied_standard_by_id(
            user=self.request.user, applied_id=self.applied.pk
        )
        return services.applied_standard_update(actor=self.request.user, applied=applied, **data)

    def success_message_for(self, result):
        return _("Saved.")


class ReasonForm(forms.Form):
    reason = reason_field()


class AppliedStandardRemoveView(AppliedMixin, Protected, ServiceFormView):
    permission = perms.COMPLIANCE_CHANGE
    template_name = "standards/applied_remove.html"
    form_class = ReasonForm

    def perform(self, data):
        services.applied_standard_remove(actor=self.request.user, applied=self.applied, **data)
        return self.device

    def success_url_for(self, result):
        return reverse("standards:device_standards", args=[result.pk])

    def success_message_for(self, result):
        return _("%(edition)s was removed from the list.") % {"edition": self.applied.edition.label}


# --- GSPR checklist ---------------------------------------------------------------------------


def checklist_filters(request, device) -> tuple[GsprFilterForm, dict]:
    form = GsprFilterForm(
        request.GET or None, regime=device.regime, language=get_language() or "en"
    )
    filters = form.cleaned_data if form.is_valid() else {}
    return form, {
        "chapter": filters.get("chapter", ""),
        "status": filters.get("status", ""),
        "query": filters.get("q", ""),
    }


class GsprChecklistView(Protected, DeviceMixin, HtmxPartialMixin, TemplateView):
    """The device's Annex I checklist with its completeness; one query for all entries."""

    permission = perms.RECORD_VIEW
    template_name = "standards/gspr.html"
    partial_template_name = "standards/_gspr_body.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        device = self.get_device()
        form, filters = checklist_filters(self.request, device)
        context["device"] = device
        context["filter_form"] = form
        context["checklist"] = selectors.gspr_checklist(
            user=self.request.user, device=device, **filters
        )
        context["can_edit"] = perms.has_perm(self.request.user, perms.COMPLIANCE_CHANGE)
        return context


class GsprEntryEditView(Protected, DeviceMixin, ServiceFormView):
    """Edit one checklist entry: inline in the table through htmx, or as a page without it.

    The requirement comes as `?number=10.4.1(a)`: Annex I numbers carry dots and brackets.
    """

    permission = perms.COMPLIANCE_CHANGE
    template_name = "standards/gspr_entry_form.html"

    def prepare(self, request, *args, **kwargs):
        self.device = self.get_device()
        number = request.GET.get("number") or request.POST.get("number") or ""
        self.row = selectors.gspr_row(user=request.user, device=self.device, number=number)

    @property
    def htmx(self) -> bool:
        return bool(self.request.headers.get("HX-Request"))

    def get_template_names(self):
        if self.htmx:
            return ["standards/_gspr_entry_form.html"]
        return [self.template_name]

    def get_form(self, form_class=None):
        return GsprEntryForm(
            device=self.device,
            entry=self.row.entry,
            standards=self.row.standards,
            **self.get_form_kwargs(),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["device"] = self.device
        context["row"] = self.row
        return context

    def perform(self, data):
        return services.gspr_entry_save(
            actor=self.request.user, device=self.device, number=self.row.number, **data
        )

    def form_valid(self, form):
        response = super().form_valid(form)
        if self.htmx and response.status_code == 302:
            row = selectors.gspr_row(
                user=self.request.user, device=self.device, number=self.row.number
            )
            response = self.response_class(
                request=self.request,
                template=["standards/_gspr_row.html"],
                context={"row": row, "device": self.device, "can_edit": True},
            )
            response["HX-Trigger"] = "gspr-changed"
        return response

    def success_message_for(self, result):
        return "" if self.htmx else _("Saved %(number)s.") % {"number": result.number}

    def success_url_for(self, result):
        return reverse("standards:gspr", args=[self.device.pk]) + f"#{self.row.anchor}"


def export_table(checklist) -> tuple[list[str], list[list]]:
    """Header and rows of the checklist as the XLSX export shows them."""
    applicable = {True: _("Yes"), False: _("No"), None: ""}
    header = [
        _("Requirement"),
        _("Chapter"),
        _("Title"),
        _("Applicable"),
        _("Justification"),
        _("Methods of conformity"),
        _("Standards applied"),
        _("Evidence"),
        _("Status"),
        _("Requirement text"),
    ]
    rows = []
    for row in checklist.rows:
        entry = row.entry
        rows.append(
            [
                row.number,
                row.requirement.chapter,
                row.title,
                _("Heading") if row.heading else applicable[entry.applicable if entry else None],
                entry.justification if entry else "",
                "; ".join(row.method_labels),
                "; ".join(row.standard_labels),
                "\n".join(entry.evidence_lines) if entry else "",
                row.status_label,
                entry.requirement_text if entry else "",
            ]
        )
    return header, rows


class GsprExportMixin(DeviceMixin):
    def export_context(self) -> dict:
        from samsvar.accounts.services import organisation_get

        device = self.get_device()
        checklist = selectors.gspr_checklist(user=self.request.user, device=device)
        user = self.request.user
        return {
            "device": device,
            "checklist": checklist,
            "organisation": organisation_get(),
            "generated_at": timezone.now(),
            "generated_by": f"{user.full_name} ({user.username})"
            if user.full_name
            else user.username,
        }

    def filename(self, device, extension: str) -> str:
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        return f"gspr-{device.regime}-{device.pk}-{stamp}.{extension}"


class GsprXlsxView(Protected, GsprExportMixin, View):
    """The checklist as a workbook: the rows, and a sheet on what, for whom, when and by whom."""

    permission = perms.RECORD_VIEW

    def get(self, request, pk):
        context = self.export_context()
        header, rows = export_table(context["checklist"])
        content = xlsx_bytes(
            [
                (_("GSPR checklist"), header, rows),
                (_("About"), [_("Item"), _("Value")], summary_lines(context)),
            ]
        )
        return file_response(content, self.filename(context["device"], "xlsx"), XLSX_TYPE)


def summary_lines(context) -> list[list]:
    device, checklist = context["device"], context["checklist"]
    organisation = context["organisation"]
    counts = checklist.summary
    return [
        [_("Device"), f"{device.name} ({device.model_number})"],
        [_("Manufacturer"), organisation.name if organisation else ""],
        [_("Regulation"), str(device.get_regime_display())],
        [_("Generated"), timezone.localtime(context["generated_at"]).strftime("%Y-%m-%d %H:%M %Z")],
        [_("Generated by"), context["generated_by"]],
        [_("Requirements"), checklist.assessable],
        [_("Complete"), counts["complete"]],
        [_("Applicable"), counts["applicable"]],
        [_("Not applicable"), counts["not_applicable"]],
        [_("Not assessed"), counts["not_assessed"] + counts["undecided"]],
        [_("Missing method"), counts["missing_method"]],
        [_("Missing evidence"), counts["missing_evidence"]],
        [_("Missing justification"), counts["missing_justification"]],
    ]


class GsprPdfView(Protected, GsprExportMixin, View):
    """The checklist as a PDF for the technical documentation (Annex II Section 4)."""

    permission = perms.RECORD_VIEW

    def get(self, request, pk):
        context = self.export_context()
        context["summary"] = summary_lines(context)
        return pdf_response(
            "standards/gspr_pdf.html", context, self.filename(context["device"], "pdf")
        )
