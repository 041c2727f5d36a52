"""Risk management report pages (ISO 14971:2019 9): the preview of the report generated from the
live file, its PDF and DOCX, issuing it as an immutable record, and the issued reports with their
SHA-256 and e-signatures."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views import View
from django.views.generic import TemplateView

from samsvar.core import permissions as perms
from samsvar.core import selectors as core_selectors
from samsvar.core.views import (
    Protected,
    RecordSignView,
    ServiceFormView,
    SignatureRequestCreateView,
)
from samsvar.devices.selectors import access_device_by_id
from samsvar.reports.render import file_response
from samsvar.risk import report, selectors
from samsvar.risk.report_pdf import Table

# Rows of a long table shown in the preview; the PDF and the DOCX hold them all.
PREVIEW_ROWS = 150

LANGUAGE_CHOICES = [("en", _lazy("English")), ("nb", _lazy("Norwegian Bokmål"))]
FORMAT_CHOICES = [("pdf", "PDF"), ("docx", "DOCX")]


def _language(request) -> str:
    """The report language asked for (?language=en|nb), else the reader's own."""
    asked = (request.GET.get("language") or "").strip()
    if asked:
        if asked not in report.LANGUAGES:
            raise ValidationError({"language": _("Choose English (en) or Norwegian (nb).")})
        return asked
    current = (get_language() or "en").split("-")[0]
    return current if current in report.LANGUAGES else "en"


class ReportIssueForm(forms.Form):
    format = forms.ChoiceField(label=_lazy("Format"), choices=FORMAT_CHOICES, initial="pdf")
    language = forms.ChoiceField(label=_lazy("Language"), choices=LANGUAGE_CHOICES)
    reason = forms.CharField(
        label=_lazy("Reason"),
        required=False,
        max_length=500,
        help_text=_lazy("Why this report is issued, e.g. the release it supports."),
    )


class DeviceReportMixin:
    def prepare(self, request, *args, **kwargs):
        super().prepare(request, *args, **kwargs)
        self.device = access_device_by_id(user=request.user, device_id=kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["device"] = self.device
        return context


def _preview_blocks(blocks: list) -> list:
    """The blocks with each long table cut to its first rows (`more` says how many are left)."""
    shown = []
    for block in blocks:
        if isinstance(block, Table) and len(block.rows) > PREVIEW_ROWS:
            cut = Table(
                columns=block.columns,
                rows=block.rows[:PREVIEW_ROWS],
                style=block.style,
                size=block.size,
            )
            cut.more = len(block.rows) - PREVIEW_ROWS
            block = cut
        shown.append(block)
    return shown


class ReportPreviewView(DeviceReportMixin, Protected, TemplateView):
    """The report as it would be issued now, in the reader's language."""

    permission = perms.RECORD_VIEW
    template_name = "risk/report_preview.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        built = report.build_report(self.device)
        context["report"] = built
        context["blocks"] = _preview_blocks(built.blocks)
        context["issued"] = list(selectors.issued_reports(self.device, user=self.request.user)[:5])
        context["can_issue"] = perms.has_perm(self.request.user, perms.RISK_CHANGE)
        context["refusal"] = report.issue_refusal(self.device)
        context.setdefault("form", ReportIssueForm(initial={"language": built.language}))
        return context


class ReportDocumentView(DeviceReportMixin, Protected, View):
    """The report as PDF or DOCX, generated now (?language=en|nb)."""

    permission = perms.RECORD_VIEW
    fmt = "pdf"

    def get(self, request, pk):
        try:
            language = _language(request)
        except ValidationError as error:
            messages.error(request, error.message_dict["language"][0])
            return redirect("risk:device_report", self.device.pk)
        built = report.build_report_in(self.device, language)
        content = report.render_built(built, self.fmt)
        return file_response(content, built.filename(self.fmt), report.CONTENT_TYPES[self.fmt])


class ReportIssueView(DeviceReportMixin, Protected, ServiceFormView):
    """Render the report now and keep it as an immutable issued report with its SHA-256."""

    permission = perms.RISK_CHANGE
    template_name = "risk/report_issue.html"
    form_class = ReportIssueForm

    def get_initial(self):
        return {"language": (get_language() or "en").split("-")[0]}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["refusal"] = report.issue_refusal(self.device)
        return context

    def perform(self, data):
        return report.issue_report(
            actor=self.request.user,
            device=self.device,
            fmt=data["format"],
            language=data["language"],
            reason=data.get("reason", ""),
        )

    def success_message_for(self, result):
        return _("Issued %(title)s. Its SHA-256 is %(sha)s; it can now be signed.") % {
            "title": result.filename,
            "sha": result.sha256,
        }


class ReportListView(DeviceReportMixin, Protected, TemplateView):
    permission = perms.RECORD_VIEW
    template_name = "risk/report_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        reports = list(selectors.issued_reports(self.device, user=self.request.user))
        signatures = core_selectors.current_signatures_by_pk(reports)
        context["reports"] = [(r, signatures.get(str(r.pk), [])) for r in reports]
        return context


class IssuedReportMixin:
    def get_record(self):
        return selectors.access_report_by_id(user=self.request.user, report_id=self.kwargs["pk"])


class IssuedReportView(IssuedReportMixin, Protected, TemplateView):
    """One issued report: what was issued, when and by whom, its SHA-256 (checked against the
    stored file), its signatures and its history."""

    permission = perms.RECORD_VIEW
    template_name = "risk/report_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        issued = self.get_record()
        context["issued"] = issued
        context["device"] = issued.device
        context["intact"] = selectors.report_intact(issued)
        context["signatures"] = list(core_selectors.current_signatures(obj=issued))
        context["content_sha256"] = issued.content_sha256()
        context["events"] = core_selectors.record_history(user=self.request.user, obj=issued)[:50]
        return context


class IssuedReportDownloadView(IssuedReportMixin, Protected, View):
    """The stored file exactly as issued; refused when it no longer matches its SHA-256."""

    permission = perms.RECORD_VIEW

    def get(self, request, pk):
        issued = self.get_record()
        if not selectors.report_intact(issued):
            messages.error(
                request,
                _("The stored file of this report does not match its SHA-256; it is not served."),
            )
            return redirect(issued.get_absolute_url())
        try:
            handle = issued.file.open("rb")
        except (FileNotFoundError, OSError, ValueError):
            raise Http404("No such file") from None
        return FileResponse(
            handle,
            as_attachment=True,
            filename=issued.filename,
            content_type=report.CONTENT_TYPES.get(issued.format, "application/octet-stream"),
        )


class IssuedReportSignView(IssuedReportMixin, RecordSignView):
    pass


class IssuedReportSignatureRequestView(IssuedReportMixin, SignatureRequestCreateView):
    pass
