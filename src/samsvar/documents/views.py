"""Document control pages (ISO 13485:2016 4.2.3-4.2.5).

The document register with full-text search; each document with its current revision, who
approved it, who is trained on it and its history; the revision life cycle one step per page
(draft, review, approval by e-signature, effective, superseded or obsolete); change requests;
periodic reviews; the quality manual map; the records register; the numbering rules.

Every page reads through the documents selectors and writes through one service.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import get_valid_filename
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from samsvar.core import permissions as perms
from samsvar.core import selectors as core_selectors
from samsvar.core.views import (
    HtmxPartialMixin,
    Protected,
    RecordSignView,
    ServiceFormView,
    SignatureRequestCreateView,
    apply_errors,
    paginate,
)
from samsvar.documents import selectors, services
from samsvar.documents.forms import (
    ChangeRequestEditForm,
    ChangeRequestForm,
    CommentForm,
    DocumentCreateForm,
    DocumentEditForm,
    DocumentFilterForm,
    MapForm,
    NumberingRuleForm,
    OpenRevisionsForm,
    PeriodicReviewEditForm,
    PeriodicReviewForm,
    PreviewForm,
    ReasonForm,
    RecordsFilterForm,
    RequiredReasonForm,
    ResolveForm,
    ReviewListForm,
    RevisionCreateForm,
    RevisionForm,
)
from samsvar.documents.markdown import render_markdown
from samsvar.documents.models import (
    IN_PROGRESS,
    ChangeRequestStatus,
    PeriodicReviewStatus,
    ReviewComment,
    Revision,
    RevisionStatus,
)
from samsvar.documents.search import document_search
from samsvar.regulatory import qms
from samsvar.reports.render import file_response

PDF = "application/pdf"
REVIEWS_WITHIN_DAYS = 30


def language() -> str:
    return get_language() or "en"


def optional_url(name: str, *args) -> str:
    """The URL of a page another app may not have yet, or ""."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def clause_rows(numbers) -> list[tuple[str, str]]:
    """(number, title) of ISO 13485 clauses in the reader's language."""
    rows = []
    for number in numbers or []:
        try:
            rows.append((number, qms.clause(number).title(language())))
        except KeyError:
            rows.append((number, ""))
    return rows


def regulation_rows(refs) -> list[tuple[str, str]]:
    """(reference, title) of MDR/IVDR references; the Art. 10(9) items get their title."""
    titles = {item.key: f"{item.citation} {item.title(language())}" for item in qms.art10_9_items()}
    return [(ref, titles.get(ref, "")) for ref in refs or []]


def without_empty(data: dict) -> dict:
    """Leave out an empty retention or review date: the service then keeps or derives it."""
    return {
        name: value
        for name, value in data.items()
        if not (name in ("retention_years", "next_review_due") and value in (None, ""))
    }


def revisions_in_progress(documents) -> dict[int, Revision]:
    """The revision each listed document has in progress, in one query for a page."""
    ids = [document.pk for document in documents]
    if not ids:
        return {}
    found = Revision.objects.filter(document_id__in=ids, status__in=IN_PROGRESS).only(
        "pk", "document_id", "label", "status"
    )
    return {revision.document_id: revision for revision in found}


def training_panel(user, document) -> dict | None:
    """Who is trained on the document's current revision, from the training app if installed.

    None when the training app is absent; otherwise the people whose role requires the
    document (or who have a task on it), each with their status (ISO 13485 6.2).
    """
    try:
        from samsvar.training import selectors as training
    except ImportError:
        return None
    matrix = training.training_matrix(documents=[document.pk], user=user)
    if not matrix.columns:
        return {"column": None, "people": [], "counts": []}
    people = [
        (row, row.cells[0])
        for row in matrix.rows
        if row.cells and row.cells[0].status != training.MatrixStatus.NOT_REQUIRED
    ]
    counts = {}
    for _row, cell in people:
        counts[cell.status] = counts.get(cell.status, 0) + 1
    return {
        "column": matrix.columns[0],
        "people": people,
        "counts": [
            (status, label, counts[status])
            for status, label in training.MatrixStatus.choices
            if counts.get(status)
        ],
        "matrix_url": optional_url("training:matrix"),
    }


def controlled_copy_response(request, revision: Revision):
    """The controlled copy PDF of a revision: the attached PDF stamped, else the Markdown laid
    out, with number, title, revision, effective date and page x of y on every page (4.2.4)."""
    from samsvar.documents.controlled_copy import revision_copy_pdf

    document = revision.document
    try:
        pdf = revision_copy_pdf(revision, language=language())
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(revision.get_absolute_url())
    except OSError:
        messages.error(
            request,
            _("The attached file of %(revision)s cannot be read from the file store.")
            % {"revision": revision},
        )
        return redirect(revision.get_absolute_url())
    name = get_valid_filename(f"{document.number}_rev_{revision.label}.pdf") or "document.pdf"
    return file_response(pdf, name, PDF)


def require_download(user, revision: Revision) -> None:
    """Files of superseded and obsolete revisions go to the archive roles only (4.2.4 g)."""
    if not selectors.can_download_revision(user, revision):
        raise PermissionDenied(
            _("Only document control and the archive roles may download earlier revisions.")
        )


# --- the register and search ------------------------------------------------------------------


class DocumentListView(Protected, HtmxPartialMixin, TemplateView):
    """Controlled documents, searched by number, title and content and filtered by type,
    status, owner and ISO 13485 clause."""

    permission = perms.RECORD_VIEW
    template_name = "documents/document_list.html"
    partial_template_name = "documents/_document_table.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        form = DocumentFilterForm(self.request.GET or None, user=user)
        filters = {}
        if form.is_bound:
            form.is_valid()
            filters = {name: value for name, value in form.cleaned_data.items() if value}
        try:
            results = document_search(user=user, **filters)
        except ValidationError as exc:
            apply_errors(form, exc)
            results = []
        page = paginate(self.request, results)
        working = revisions_in_progress(page.object_list)
        context["filter_form"] = form
        context["page"] = page
        context["rows"] = [(document, working.get(document.pk)) for document in page.object_list]
        context["searching"] = bool(filters.get("q"))
        context["today"] = timezone.localdate()
        return context


# --- one document -----------------------------------------------------------------------------


class DocumentMixin:
    def prepare(self, request, *args, **kwargs):
        super().prepare(request, *args, **kwargs)
        self.document = selectors.access_document_by_id(user=request.user, document_id=kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["document"] = self.document
        return context


class DocumentDetailView(DocumentMixin, Protected, TemplateView):
    """The document as an auditor asks for it: the current revision, who approved it and when,
    who is trained, every earlier revision and why it changed, reviews and the audit trail."""

    permission = perms.RECORD_VIEW
    template_name = "documents/document_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        document = self.document
        current = selectors.current_revision(document)
        working = selectors.working_revision(document)
        today = timezone.localdate()
        context.update(
            current=current,
            content_html=render_markdown(current.content_md) if current else "",
            approvals=list(core_selectors.current_signatures(obj=current)) if current else [],
            working=working,
            comments=list(selectors.revision_comments(user=user, revision=working))
            if working
            else [],
            revisions=list(selectors.document_change_history(user=user, document=document)),
            reviews=list(selectors.periodic_review_list(user=user, document=document)[:20]),
            training=training_panel(user, document),
            clauses=clause_rows(document.iso_clauses),
            references=regulation_rows(document.regulation_refs),
            reviewers=list(document.reviewers.all()),
            approvers=list(document.approvers.all()),
            review_overdue=bool(document.next_review_due and document.next_review_due < today),
            archive_download=perms.has_perm(user, perms.DOCUMENT_ARCHIVE_VIEW),
            events=core_selectors.record_history(user=user, obj=document)[:100],
        )
        return context


class DocumentCreateView(Protected, ServiceFormView):
    """Register a document; its number comes from the numbering rule of its type."""

    permission = perms.DOCUMENT_CHANGE
    template_name = "documents/document_form.html"
    form_class = DocumentCreateForm

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.fields["content_md"].widget.attrs.update(preview_attributes())
        return form

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["next_numbers"] = [
            (rule.get_doc_type_display(), rule.format(rule.next_number))
            for rule in selectors.numbering_rules(user=self.request.user)
        ]
        return context

    def perform(self, data):
        return services.document_create(actor=self.request.user, **without_empty(data))

    def success_message_for(self, result):
        return _("%(number)s was registered; revision %(label)s is a draft.") % {
            "number": result.number,
            "label": result.revisions.get().label,
        }


class DocumentEditView(DocumentMixin, Protected, ServiceFormView):
    permission = perms.DOCUMENT_CHANGE
    template_name = "documents/document_form.html"

    def get_form(self, form_class=None):
        return DocumentEditForm(instance=self.document, **self.get_form_kwargs())

    def perform(self, data):
        document = selectors.access_document_by_id(
            user=self.request.user, document_id=self.document.pk
        )
        return services.document_update(
            actor=self.request.user, document=document, **without_empty(data)
        )

    def success_message_for(self, result):
        return _("%(number)s was saved.") % {"number": result.number}


class DocumentObsoleteView(DocumentMixin, Protected, ServiceFormView):
    """Withdraw a document: nothing of it stays current; everything stays readable (4.2.4)."""

    permission = perms.DOCUMENT_CONTROL
    template_name = "documents/document_obsolete.html"
    form_class = RequiredReasonForm

    def perform(self, data):
        return services.document_obsolete(
            actor=self.request.user, document=self.document, reason=data["reason"]
        )

    def success_message_for(self, result):
        return _("%(number)s is withdrawn; its revisions are kept as obsolete.") % {
            "number": result.number
        }


class DocumentCopyView(DocumentMixin, Protected, View):
    """The controlled copy of the current revision, for everyone who reads the QMS."""

    permission = perms.RECORD_VIEW

    def get(self, request, pk):
        current = selectors.current_revision(self.document)
        if current is None:
            messages.error(
                request,
                _("%(number)s has no effective revision to copy.")
                % {"number": self.document.number},
            )
            return redirect(self.document.get_absolute_url())
        return controlled_copy_response(request, current)


class RevisionCreateView(DocumentMixin, Protected, ServiceFormView):
    """Open the next revision as a draft; it starts from the newest text and file."""

    permission = perms.DOCUMENT_CHANGE
    template_name = "documents/revision_create.html"

    def get_form(self, form_class=None):
        return RevisionCreateForm(document=self.document, **self.get_form_kwargs())

    def perform(self, data):
        return services.revision_create(actor=self.request.user, document=self.document, **data)

    def success_url_for(self, result):
        return reverse("documents:revision_edit", args=[result.pk])

    def success_message_for(self, result):
        return _("Revision %(label)s of %(number)s is open as a draft.") % {
            "label": result.label,
            "number": self.document.number,
        }


# --- revisions and their life cycle -----------------------------------------------------------


class RevisionMixin:
    def prepare(self, request, *args, **kwargs):
        super().prepare(request, *args, **kwargs)
        self.revision = selectors.access_revision_by_id(user=request.user, revision_id=kwargs["pk"])
        self.document = self.revision.document

    def get_record(self):
        return selectors.access_revision_by_id(
            user=self.request.user, revision_id=self.kwargs["pk"]
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["revision"] = self.revision
        context["document"] = self.document
        return context


class RevisionDetailView(RevisionMixin, Protected, TemplateView):
    """One revision: its content, status, reason and change request, signatures, review
    comments and history. Superseded and obsolete revisions are marked and never current."""

    permission = perms.RECORD_VIEW
    template_name = "documents/revision_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        revision = self.revision
        in_review = revision.status == RevisionStatus.IN_REVIEW
        context.update(
            content_html=render_markdown(revision.content_md),
            current=selectors.current_revision(self.document),
            signatures=list(core_selectors.current_signatures(obj=revision)),
            versions=core_selectors.record_versions(obj=revision),
            comments=list(selectors.revision_comments(user=user, revision=revision)),
            comment_form=CommentForm(),
            resolve_form=ResolveForm(),
            missing=services.approval_missing(revision) if in_review else [],
            can_download=selectors.can_download_revision(user, revision),
            events=core_selectors.record_history(user=user, obj=revision)[:100],
        )
        return context


class RevisionEditView(RevisionMixin, Protected, ServiceFormView):
    """Edit a draft: Markdown text with a live preview, attached file, reason, planned date."""

    permission = perms.DOCUMENT_CHANGE
    template_name = "documents/revision_form.html"

    def get_form(self, form_class=None):
        form = RevisionForm(revision=self.revision, **self.get_form_kwargs())
        form.fields["content_md"].widget.attrs.update(preview_attributes())
        return form

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["frozen"] = self.revision.current_version_frozen()
        context["content_html"] = render_markdown(self.revision.content_md)
        return context

    def perform(self, data):
        if "clear_attachment" not in data:
            data["clear_attachment"] = False
        return services.revision_update(actor=self.request.user, revision=self.revision, **data)

    def success_message_for(self, result):
        return _("%(revision)s was saved.") % {"revision": result}


def preview_attributes() -> dict:
    """htmx attributes that show the rendered Markdown beside the text as it is typed."""
    return {
        "hx-post": reverse("documents:preview"),
        "hx-trigger": "input changed delay:400ms, change",
        "hx-target": "#md-preview",
        "hx-params": "content_md",
        "aria-describedby": "md-preview-label",
    }


class PreviewView(Protected, View):
    """The Markdown as the document page will show it (rendered safely, for htmx)."""

    permission = perms.DOCUMENT_CHANGE

    def post(self, request):
        form = PreviewForm(request.POST)
        if not form.is_valid():
            message = _("The text is too long to preview; shorten it before saving.")
            return HttpResponse(format_html('<p class="error">{}</p>', message))
        return HttpResponse(render_markdown(form.cleaned_data["content_md"]))


class StepView(Protected, ServiceFormView):
    """One step of a workflow, confirmed on its own page (and posted from the record's page).

    The service is called with the record under the keyword `subject`.
    """

    form_class = ReasonForm
    step_title = ""
    explanation = ""
    button = gettext_lazy("Confirm")
    service = None
    subject = ""

    def step_record(self):
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["step_title"] = self.step_title
        context["explanation"] = self.explanation
        context["button"] = self.button
        context["signatures"] = list(core_selectors.current_signatures(obj=self.step_record()))
        return context

    def perform(self, data):
        return self.service(actor=self.request.user, **{self.subject: self.step_record()}, **data)


class RevisionStepView(RevisionMixin, StepView):
    template_name = "documents/revision_step.html"
    subject = "revision"

    def step_record(self):
        return self.revision

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.revision.status == RevisionStatus.IN_REVIEW:
            context["missing"] = services.approval_missing(self.revision)
            context["open_comments"] = self.revision.comments.filter(resolved=False).count()
        return context


class RevisionSubmitView(RevisionStepView):
    permission = perms.DOCUMENT_CHANGE
    service = staticmethod(services.revision_submit)
    step_title = gettext_lazy("Submit for review")
    explanation = gettext_lazy(
        "The draft goes to its reviewers and approvers. It can no longer be edited unless it "
        "is returned to draft."
    )
    button = gettext_lazy("Submit for review")
    success_message = gettext_lazy("Submitted for review.")


class RevisionReturnView(RevisionStepView):
    permission = perms.SIGN_REVIEWED
    form_class = RequiredReasonForm
    service = staticmethod(services.revision_return)
    step_title = gettext_lazy("Return to draft")
    explanation = gettext_lazy("Send the revision back to its author; say what must change.")
    button = gettext_lazy("Return to draft")
    success_message = gettext_lazy("Returned to draft.")


class RevisionApproveView(RevisionStepView):
    permission = perms.SIGN_APPROVED
    service = staticmethod(services.revision_approve)
    step_title = gettext_lazy("Approve")
    explanation = gettext_lazy(
        "Approval needs the “approved” e-signature of every approver of the document on the "
        "current version, and every review comment resolved."
    )
    button = gettext_lazy("Approve")
    success_message = gettext_lazy("Approved. Document control can now make it effective.")


class RevisionMakeEffectiveView(RevisionStepView):
    permission = perms.DOCUMENT_CONTROL
    service = staticmethod(services.revision_make_effective)
    step_title = gettext_lazy("Make effective")
    explanation = gettext_lazy(
        "The revision becomes the one current revision; the previous one is superseded and "
        "the training it requires is assigned. Not before its planned effective date."
    )
    button = gettext_lazy("Make effective")

    def success_url_for(self, result):
        return self.document.get_absolute_url()

    def success_message_for(self, result):
        return _("%(revision)s is effective.") % {"revision": result}


class RevisionDiscardView(RevisionStepView):
    permission = perms.DOCUMENT_CHANGE
    form_class = RequiredReasonForm
    service = staticmethod(services.revision_discard)
    step_title = gettext_lazy("Discard this revision")
    explanation = gettext_lazy(
        "A revision that was never issued is abandoned: it stays on file, marked obsolete."
    )
    button = gettext_lazy("Discard")
    success_message = gettext_lazy("The revision was discarded and is kept as obsolete.")

    def success_url_for(self, result):
        return self.document.get_absolute_url()


class RevisionSignView(RevisionMixin, RecordSignView):
    pass


class RevisionSignatureRequestView(RevisionMixin, SignatureRequestCreateView):
    pass


class RevisionCopyView(RevisionMixin, Protected, View):
    """The controlled copy of one revision; earlier revisions for the archive roles only."""

    permission = perms.RECORD_VIEW

    def get(self, request, pk):
        require_download(request.user, self.revision)
        return controlled_copy_response(request, self.revision)


class RevisionFileView(RevisionMixin, Protected, View):
    """The attached file as it was uploaded (its SHA-256 is on the revision page)."""

    permission = perms.RECORD_VIEW

    def get(self, request, pk):
        from samsvar.documents.files import safe_filename

        revision = self.revision
        require_download(request.user, revision)
        if not revision.attachment:
            messages.error(
                request, _("%(revision)s has no attached file.") % {"revision": revision}
            )
            return redirect(revision.get_absolute_url())
        try:
            stored = revision.attachment.open("rb")
        except OSError:
            messages.error(
                request,
                _("The attached file of %(revision)s cannot be read from the file store.")
                % {"revision": revision},
            )
            return redirect(revision.get_absolute_url())
        return FileResponse(
            stored,
            as_attachment=True,
            filename=safe_filename(revision.attachment_name or revision.attachment.name),
            content_type=revision.attachment_content_type or "application/octet-stream",
        )


class RevisionCommentView(RevisionMixin, Protected, ServiceFormView):
    """A review comment. Document editors and the reviewers and approvers named on the
    document may comment; the service checks which of them the user is."""

    permission = perms.SIGN_REVIEWED
    template_name = "documents/comment_form.html"
    form_class = CommentForm
    success_message = gettext_lazy("Your comment was added.")

    def perform(self, data):
        return services.comment_add(actor=self.request.user, revision=self.revision, **data)

    def success_url_for(self, result):
        return f"{self.revision.get_absolute_url()}#comments"


class CommentResolveView(Protected, ServiceFormView):
    permission = perms.SIGN_REVIEWED
    template_name = "documents/comment_form.html"
    form_class = ResolveForm
    success_message = gettext_lazy("The comment is resolved.")

    def prepare(self, request, *args, **kwargs):
        revision_id = (
            ReviewComment.objects.filter(pk=kwargs["pk"]).values_list("revision_id", flat=True)
        ).first()
        self.revision = selectors.access_revision_by_id(user=request.user, revision_id=revision_id)
        self.document = self.revision.document
        self.comment = selectors.revision_comments(user=request.user, revision=self.revision).get(
            pk=kwargs["pk"]
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(revision=self.revision, document=self.document, comment=self.comment)
        return context

    def perform(self, data):
        return services.comment_resolve(actor=self.request.user, comment=self.comment, **data)

    def success_url_for(self, result):
        return f"{self.revision.get_absolute_url()}#comments"


# --- change requests --------------------------------------------------------------------------


class ChangeRequestListView(Protected, TemplateView):
    permission = perms.RECORD_VIEW
    template_name = "documents/change_request_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        status = self.request.GET.get("status", "")
        if status not in ChangeRequestStatus.values:
            status = ""
        requests = selectors.change_request_list(user=self.request.user, status=status)
        context["page"] = paginate(self.request, requests.prefetch_related("documents"))
        context["status"] = status
        context["statuses"] = ChangeRequestStatus.choices
        return context


class ChangeRequestCreateView(Protected, ServiceFormView):
    permission = perms.DOCUMENT_CHANGE
    template_name = "documents/change_request_form.html"

    def get_form(self, form_class=None):
        return ChangeRequestForm(user=self.request.user, **self.get_form_kwargs())

    def perform(self, data):
        return services.change_request_create(actor=self.request.user, **data)

    def success_message_for(self, result):
        return _("%(number)s was raised. It needs an approval signature next.") % {
            "number": result.number
        }


class ChangeRequestMixin:
    def prepare(self, request, *args, **kwargs):
        super().prepare(request, *args, **kwargs)
        self.change_request = self.get_record()

    def get_record(self):
        return selectors.access_change_request_by_id(
            user=self.request.user, change_request_id=self.kwargs["pk"]
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["change_request"] = self.change_request
        return context


class ChangeRequestDetailView(ChangeRequestMixin, Protected, TemplateView):
    """What changes, why, its impact, its approval and the revisions opened under it."""

    permission = perms.RECORD_VIEW
    template_name = "documents/change_request_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        change_request = self.change_request
        context.update(
            documents=list(change_request.documents.order_by("number")),
            devices=list(change_request.devices.order_by("name")),
            revisions=list(
                change_request.revisions.select_related("document").order_by("document__number")
            ),
            signatures=list(core_selectors.current_signatures(obj=change_request)),
            versions=core_selectors.record_versions(obj=change_request),
            events=core_selectors.record_history(user=self.request.user, obj=change_request)[:100],
        )
        if change_request.status == ChangeRequestStatus.APPROVED:
            context["open_form"] = OpenRevisionsForm(change_request=change_request)
        return context


class ChangeRequestEditView(ChangeRequestMixin, Protected, ServiceFormView):
    permission = perms.DOCUMENT_CHANGE
    template_name = "documents/change_request_form.html"

    def get_form(self, form_class=None):
        return ChangeRequestEditForm(
            user=self.request.user, instance=self.change_request, **self.get_form_kwargs()
        )

    def perform(self, data):
        return services.change_request_update(
            actor=self.request.user, change_request=self.get_record(), **data
        )

    def success_message_for(self, result):
        return _("%(number)s was saved as version %(version)s.") % {
            "number": result.number,
            "version": result.version,
        }


class ChangeRequestStepView(ChangeRequestMixin, StepView):
    template_name = "documents/change_request_step.html"
    subject = "change_request"

    def step_record(self):
        return self.change_request


class ChangeRequestApproveView(ChangeRequestStepView):
    permission = perms.SIGN_APPROVED
    service = staticmethod(services.change_request_approve)
    step_title = gettext_lazy("Approve the change request")
    explanation = gettext_lazy(
        "Approval needs an “approved” e-signature on the current version. Revisions of the "
        "documents it names can then be opened under it."
    )
    button = gettext_lazy("Approve")
    success_message = gettext_lazy("The change request is approved.")


class ChangeRequestRejectView(ChangeRequestStepView):
    permission = perms.SIGN_APPROVED
    form_class = RequiredReasonForm
    service = staticmethod(services.change_request_reject)
    step_title = gettext_lazy("Reject the change request")
    explanation = gettext_lazy("The request is closed without change; the reason is recorded.")
    button = gettext_lazy("Reject")
    success_message = gettext_lazy("The change request was rejected.")


class ChangeRequestImplementView(ChangeRequestStepView):
    permission = perms.DOCUMENT_CONTROL
    service = staticmethod(services.change_request_implement)
    step_title = gettext_lazy("Close as implemented")
    explanation = gettext_lazy(
        "Possible once none of the revisions opened under it is in progress."
    )
    button = gettext_lazy("Close as implemented")
    success_message = gettext_lazy("The change request is implemented.")


class ChangeRequestOpenRevisionsView(ChangeRequestMixin, Protected, ServiceFormView):
    """Open new draft revisions of several documents at once under an approved request."""

    permission = perms.DOCUMENT_CHANGE
    template_name = "documents/change_request_open.html"

    def get_form(self, form_class=None):
        return OpenRevisionsForm(change_request=self.change_request, **self.get_form_kwargs())

    def perform(self, data):
        self.opened = services.change_request_open_revisions(
            actor=self.request.user, change_request=self.change_request, **data
        )
        return self.change_request

    def success_message_for(self, result):
        return _("Opened as drafts: %(list)s.") % {
            "list": ", ".join(str(revision) for revision in self.opened)
        }


class ChangeRequestSignView(ChangeRequestMixin, RecordSignView):
    pass


class ChangeRequestSignatureRequestView(ChangeRequestMixin, SignatureRequestCreateView):
    pass


# --- periodic reviews -------------------------------------------------------------------------


class ReviewListView(Protected, TemplateView):
    """Periodic reviews overdue and falling due, and recorded reviews waiting to be signed
    and completed (ISO 13485 4.2.4 b)."""

    permission = perms.RECORD_VIEW
    template_name = "documents/review_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        form = ReviewListForm(self.request.GET or None)
        within = REVIEWS_WITHIN_DAYS
        if form.is_valid() and form.cleaned_data.get("within"):
            within = form.cleaned_data["within"]
        reviews = selectors.periodic_review_list(user=user)
        context.update(
            form=form,
            within=within,
            overdue=list(selectors.reviews_overdue(user=user)),
            due=list(selectors.reviews_due(user=user, within_days=within)),
            recorded=list(reviews.filter(status=PeriodicReviewStatus.RECORDED)),
            completed=list(reviews.filter(status=PeriodicReviewStatus.COMPLETED)[:20]),
            today=timezone.localdate(),
        )
        return context


class PeriodicReviewRecordView(DocumentMixin, Protected, ServiceFormView):
    permission = perms.DOCUMENT_CONTROL
    template_name = "documents/review_form.html"

    def get_form(self, form_class=None):
        kwargs = self.get_form_kwargs()
        kwargs.setdefault("initial", {})["due_date"] = self.document.next_review_due
        return PeriodicReviewForm(**kwargs)

    def perform(self, data):
        return services.periodic_review_record(
            actor=self.request.user, document=self.document, **data
        )

    def success_message_for(self, result):
        return _("The review is recorded. Sign it, then complete it.")


class PeriodicReviewMixin:
    def prepare(self, request, *args, **kwargs):
        super().prepare(request, *args, **kwargs)
        self.review = self.get_record()
        self.document = self.review.document

    def get_record(self):
        return selectors.access_periodic_review_by_id(
            user=self.request.user, review_id=self.kwargs["pk"]
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["review"] = self.review
        context["document"] = self.document
        return context


class PeriodicReviewDetailView(PeriodicReviewMixin, Protected, TemplateView):
    permission = perms.RECORD_VIEW
    template_name = "documents/review_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            signatures=list(core_selectors.current_signatures(obj=self.review)),
            versions=core_selectors.record_versions(obj=self.review),
            events=core_selectors.record_history(user=self.request.user, obj=self.review)[:100],
        )
        return context


class PeriodicReviewEditView(PeriodicReviewMixin, Protected, ServiceFormView):
    permission = perms.DOCUMENT_CONTROL
    template_name = "documents/review_form.html"

    def get_form(self, form_class=None):
        kwargs = self.get_form_kwargs()
        kwargs.setdefault("initial", {}).update(
            outcome=self.review.outcome, notes=self.review.notes
        )
        return PeriodicReviewEditForm(**kwargs)

    def perform(self, data):
        return services.periodic_review_update(
            actor=self.request.user, review=self.get_record(), **data
        )

    def success_message_for(self, result):
        return _("The review was saved as version %(version)s.") % {"version": result.version}


class PeriodicReviewCompleteView(PeriodicReviewMixin, StepView):
    """Apply a signed review: next review date, a new draft revision, or withdrawal."""

    permission = perms.DOCUMENT_CONTROL
    template_name = "documents/review_complete.html"
    service = staticmethod(services.periodic_review_complete)
    subject = "review"
    button = gettext_lazy("Complete")

    def step_record(self):
        return self.review

    def success_message_for(self, result):
        return _("The review of %(number)s is completed.") % {"number": self.document.number}


class PeriodicReviewSignView(PeriodicReviewMixin, RecordSignView):
    pass


class PeriodicReviewSignatureRequestView(PeriodicReviewMixin, SignatureRequestCreateView):
    pass


# --- quality manual map, records register, numbering ------------------------------------------


class QualityManualMapView(Protected, TemplateView):
    """ISO 13485 clauses and MDR Art. 10(9)(a)-(m) against the documents addressing them."""

    permission = perms.RECORD_VIEW
    template_name = "documents/quality_manual_map.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        form = MapForm(self.request.GET or None)
        draft = bool(form.is_valid() and form.cleaned_data["include_in_preparation"])
        report = selectors.quality_manual_map(user=user, include_in_preparation=draft)
        ids = dict(selectors.document_list(user=user).values_list("number", "pk"))
        lang = language()

        def row(entry):
            return {
                "entry": entry,
                "title": entry.title(lang),
                "documents": [(number, ids.get(number)) for number in entry.documents],
                "direct": set(entry.direct),
            }

        context.update(
            form=form,
            report=report,
            clauses=[row(entry) for entry in report.clauses],
            mdr_items=[row(entry) for entry in report.mdr_items],
            gaps=[row(entry) for entry in report.clauses if not entry.covered],
            mdr_gaps=[row(entry) for entry in report.mdr_items if not entry.covered],
            gap_count=len(report.gaps) + len(report.mdr_gaps),
            unknown=[(number, ids.get(number), refs) for number, refs in report.unknown.items()],
        )
        return context


class RecordsRegisterView(Protected, TemplateView):
    """Retained records with their retention and disposal due dates (ISO 13485 4.2.5)."""

    permission = perms.RECORD_VIEW
    template_name = "documents/records_register.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        form = RecordsFilterForm(self.request.GET or None, user=user)
        filters = {}
        if form.is_bound:
            form.is_valid()
            filters = {name: value for name, value in form.cleaned_data.items() if value}
        try:
            entries = selectors.records_register(user=user, **filters)
        except ValidationError as exc:
            apply_errors(form, exc)
            entries = []
        context.update(
            filter_form=form,
            page=paginate(self.request, entries),
            today=timezone.localdate(),
            total=len(entries),
        )
        return context


class NumberingView(Protected, TemplateView):
    """How each document type is numbered and revised (ISO 13485 4.2.4 e)."""

    permission = perms.DOCUMENT_CONTROL
    template_name = "documents/numbering.html"

    def rows(self, bound: NumberingRuleForm | None = None):
        rows = []
        for rule in selectors.numbering_rules(user=self.request.user):
            form = None
            if bound is not None and bound.data.get("doc_type") == rule.doc_type:
                form = bound
            rows.append((rule, form or self.form_for(rule), rule.format(rule.next_number)))
        return rows

    def form_for(self, rule, data=None):
        return NumberingRuleForm(
            data,
            auto_id=f"id_{rule.doc_type}_%s",
            initial={
                "doc_type": rule.doc_type,
                "prefix": rule.prefix,
                "digits": rule.digits,
                "revision_scheme": rule.revision_scheme,
                "next_number": rule.next_number,
            },
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("rows", self.rows())
        return context

    def post(self, request):
        doc_type = request.POST.get("doc_type", "")
        rules = {rule.doc_type: rule for rule in selectors.numbering_rules(user=request.user)}
        rule = rules.get(doc_type)
        form = (
            self.form_for(rule, request.POST)
            if rule is not None
            else NumberingRuleForm(request.POST)
        )
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                updated = services.numbering_rule_update(actor=request.user, **data)
            except ValidationError as exc:
                apply_errors(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    _("%(type)s: the next number is %(number)s.")
                    % {
                        "type": updated.get_doc_type_display(),
                        "number": updated.format(updated.next_number),
                    },
                )
                return redirect("documents:numbering")
        context = self.get_context_data(rows=self.rows(form), invalid=form)
        return self.render_to_response(context)
