"""Forms of document control (ISO 13485:2016 4.2.3-4.2.5).

They collect input; the services validate the record and say which field is wrong.
"""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from samsvar.core import permissions as perms
from samsvar.core.forms import ServiceModelForm
from samsvar.documents import selectors
from samsvar.documents.models import (
    ChangeRequest,
    ChangeRequestStatus,
    Document,
    DocumentStatus,
    DocumentType,
    ReviewOutcome,
    RevisionScheme,
    RevisionStatus,
)
from samsvar.documents.services import (
    CHANGE_REQUEST_FIELDS,
    DOCUMENT_FIELDS,
    MAX_CONTENT_CHARS,
    OWNER_PERMISSIONS,
)
from samsvar.regulatory import qms

REASON_HELP = _("Recorded in the audit trail with the change.")
DATE = {"type": "date"}
INDENT = "\u2003"  # an em space per clause level in the clause filter


def reason_field(*, required=False, label=None, help_text=REASON_HELP):
    return forms.CharField(
        label=label or _("Reason for change"),
        required=required,
        max_length=2000,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def markdown_field(*, rows: int):
    return forms.CharField(
        label=_("Content (Markdown)"),
        required=False,
        max_length=MAX_CONTENT_CHARS,
        widget=forms.Textarea(attrs={"rows": rows, "class": "md-source"}),
    )


def planned_date_field(**kwargs):
    return forms.DateField(
        label=_("Planned effective date"),
        required=False,
        widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
        **kwargs,
    )


def people_with(*codes: str):
    """Active people whose role holds one of the permissions, by name."""
    roles = {str(role) for code in codes for role in perms.PERMISSIONS[code]}
    return (
        get_user_model()
        .objects.filter(is_active=True, role__in=roles)
        .order_by("full_name", "username")
    )


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.full_name or obj.username


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.SelectMultiple(attrs={"size": 5})

    def label_from_instance(self, obj):
        return obj.full_name or obj.username


class DocumentChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.SelectMultiple(attrs={"size": 8})

    def label_from_instance(self, obj):
        return f"{obj.number} {obj.title}"


class ListField(forms.CharField):
    """A list of references typed as text: separated by commas, semicolons or lines."""

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(str(v) for v in value)
        return value


# --- documents --------------------------------------------------------------------------------


class DocumentForm(ServiceModelForm):
    """What describes a controlled document; `document_create` / `document_update` validate."""

    iso_clauses = ListField(
        label=_("ISO 13485 clauses"),
        required=False,
        max_length=2000,
        help_text=_("Clause numbers separated by commas, e.g. 4.2.4, 4.2.5."),
    )
    regulation_refs = ListField(
        label=_("MDR/IVDR references"),
        required=False,
        max_length=2000,
        help_text=_("Separated by commas, e.g. mdr:10(9)(a), ivdr:10(8)."),
    )
    retention_years = forms.IntegerField(
        label=_("Retention (years)"),
        required=False,
        help_text=_(
            "Empty: the minimum of MDR Art. 10(8), 10 years or 15 for implantable devices."
        ),
    )
    reviewers = PeopleChoiceField(label=_("Reviewers"), queryset=None, required=False)
    approvers = PeopleChoiceField(
        label=_("Approvers"),
        queryset=None,
        required=False,
        help_text=_("Each approver signs a revision before it can be approved."),
    )
    owner = PersonChoiceField(label=_("Owner"), queryset=None)

    class Meta:
        model = Document
        fields = list(DOCUMENT_FIELDS)
        widgets = {"next_review_due": forms.DateInput(attrs=DATE, format="%Y-%m-%d")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people_with(*OWNER_PERMISSIONS)
        self.fields["reviewers"].queryset = people_with(perms.SIGN_REVIEWED)
        self.fields["approvers"].queryset = people_with(perms.SIGN_APPROVED)
        if self.instance.pk and self.instance.status == DocumentStatus.OBSOLETE:
            # A withdrawn document keeps its data; only how long it is kept may change.
            for name in list(self.fields):
                if name not in ("retention_years", "reason"):
                    del self.fields[name]


class DocumentCreateForm(DocumentForm):
    """A new document and its first revision as a draft; the number comes from the rules."""

    doc_type = forms.ChoiceField(label=_("Type"), choices=DocumentType.choices)
    reason_for_change = forms.CharField(
        label=_("Reason for change"),
        initial=_("First issue"),
        max_length=2000,
        help_text=_("Why revision one is issued; every revision needs one."),
    )
    content_md = markdown_field(rows=14)
    attachment = forms.FileField(
        label=_("Attached file"),
        required=False,
        help_text=_("PDF, DOCX, XLSX, PPTX, ODT, ODS, PNG, JPEG or text. Checked by content."),
    )
    effective_date = planned_date_field()

    field_order = ["doc_type", "title", "owner"]

    class Meta(DocumentForm.Meta):
        fields = [name for name in DocumentForm.Meta.fields if name != "next_review_due"]


class DocumentEditForm(DocumentForm):
    reason = reason_field()


class DocumentFilterForm(forms.Form):
    """Search and filters of the document list; each value is checked again by the selector."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    doc_type = forms.ChoiceField(label=_("Type"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    owner = forms.ChoiceField(label=_("Owner"), required=False)
    clause = forms.ChoiceField(label=_("ISO 13485 clause"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        language = get_language() or "en"
        self.fields["q"].widget.attrs.update(
            type="search", placeholder=_("Number, title or text"), autocomplete="off"
        )
        self.fields["doc_type"].choices = [("", _("All")), *DocumentType.choices]
        self.fields["status"].choices = [("", _("All")), *RevisionStatus.choices]
        self.fields["owner"].choices = [("", _("Anyone"))] + [
            (str(person.pk), person.full_name or person.username)
            for person in people_with(*OWNER_PERMISSIONS)
        ]
        self.fields["clause"].choices = [("", _("Any"))] + [
            (c.number, f"{INDENT * (c.level - 1)}{c.number} {c.title(language)}")
            for c in qms.iso13485_clauses()
        ]


# --- revisions --------------------------------------------------------------------------------


def change_request_choices(document):
    """Approved change requests that name the document: a revision may open under one."""
    if document is None or document.pk is None:
        return ChangeRequest.objects.none()
    return ChangeRequest.objects.filter(
        status=ChangeRequestStatus.APPROVED, documents=document
    ).order_by("-pk")


class RevisionCreateForm(forms.Form):
    reason_for_change = forms.CharField(
        label=_("Reason for change"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What changes and why; shown in the revision history."),
    )
    major = forms.BooleanField(
        label=_("Major change (next whole number, e.g. 2.0)"), required=False
    )
    change_request = forms.ModelChoiceField(
        label=_("Change request"), queryset=None, required=False
    )
    effective_date = planned_date_field()

    def __init__(self, *args, document=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["change_request"].queryset = change_request_choices(document)
        if document is not None and document.revision_scheme != RevisionScheme.NUMERIC:
            del self.fields["major"]


class RevisionForm(forms.Form):
    """A draft's text, file, reason for change, planned date and change request."""

    content_md = markdown_field(rows=22)
    attachment = forms.FileField(
        label=_("Attach a file"),
        required=False,
        help_text=_(
            "PDF, DOCX, XLSX, PPTX, ODT, ODS, PNG, JPEG or text; replaces the attached file."
        ),
    )
    clear_attachment = forms.BooleanField(label=_("Remove the attached file"), required=False)
    reason_for_change = forms.CharField(
        label=_("Reason for change"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    effective_date = planned_date_field(
        help_text=_("Empty: effective when document control releases it after approval.")
    )
    change_request = forms.ModelChoiceField(
        label=_("Change request"), queryset=None, required=False
    )
    reason = reason_field(
        label=_("Reason for this edit"),
        help_text=_("Required once the draft is signed: the edit then makes a new version."),
    )

    def __init__(self, *args, revision=None, **kwargs):
        if revision is not None:
            stored = {
                "content_md": revision.content_md,
                "reason_for_change": revision.reason_for_change,
                "effective_date": revision.effective_date,
                "change_request": revision.change_request_id,
            }
            kwargs["initial"] = {**stored, **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)
        document = revision.document if revision is not None else None
        self.fields["change_request"].queryset = change_request_choices(document)
        if revision is None or not revision.attachment:
            del self.fields["clear_attachment"]


class PreviewForm(forms.Form):
    content_md = forms.CharField(required=False, max_length=MAX_CONTENT_CHARS, strip=False)


class ReasonForm(forms.Form):
    reason = reason_field()


class RequiredReasonForm(forms.Form):
    reason = reason_field(required=True, label=_("Reason"), help_text=REASON_HELP)


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Review comment"), max_length=20000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ResolveForm(forms.Form):
    resolution = forms.CharField(
        label=_("How it was resolved"), max_length=20000, widget=forms.Textarea(attrs={"rows": 2})
    )


# --- change requests --------------------------------------------------------------------------


class DeviceChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.SelectMultiple(attrs={"size": 4})

    def label_from_instance(self, obj):
        return obj.name


class ChangeRequestForm(ServiceModelForm):
    """What changes, why and what else it touches (ISO 13485 4.2.4, 7.3.9)."""

    documents = DocumentChoiceField(label=_("Documents affected"), queryset=None, required=False)
    devices = DeviceChoiceField(label=_("Devices affected"), queryset=None, required=False)

    class Meta:
        model = ChangeRequest
        fields = list(CHANGE_REQUEST_FIELDS)
        widgets = {
            "what": forms.Textarea(attrs={"rows": 3}),
            "why": forms.Textarea(attrs={"rows": 3}),
            "impact_training": forms.Textarea(attrs={"rows": 2}),
            "impact_risk": forms.Textarea(attrs={"rows": 2}),
            "impact_regulatory": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user=None, **kwargs):
        from samsvar.devices.selectors import device_list

        super().__init__(*args, **kwargs)
        self.fields["documents"].queryset = selectors.document_list(user=user).exclude(
            status=DocumentStatus.OBSOLETE
        )
        self.fields["devices"].queryset = device_list(user=user)


class ChangeRequestEditForm(ChangeRequestForm):
    reason = reason_field(
        help_text=_("Required once the request is signed: the edit then makes a new version.")
    )


class OpenRevisionsForm(forms.Form):
    documents = DocumentChoiceField(label=_("Documents"), queryset=None)
    reason = forms.CharField(
        label=_("Reason for change"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Becomes each new revision's reason for change, after the request number."),
    )
    major = forms.BooleanField(
        label=_("Major change (numbered revisions: next whole number)"), required=False
    )

    def __init__(self, *args, change_request=None, **kwargs):
        super().__init__(*args, **kwargs)
        candidates = change_request.documents.exclude(status=DocumentStatus.OBSOLETE).order_by(
            "number"
        )
        self.fields["documents"].queryset = candidates
        self.fields["documents"].initial = [document.pk for document in candidates]


# --- periodic reviews -------------------------------------------------------------------------


class PeriodicReviewForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=ReviewOutcome.choices, widget=forms.RadioSelect
    )
    notes = forms.CharField(
        label=_("Notes"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What was checked and why the outcome; for “revise”, what must change."),
    )
    due_date = forms.DateField(
        label=_("Review due date"),
        required=False,
        widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
        help_text=_("Empty: the document's next review date."),
    )
    reason = reason_field()


class PeriodicReviewEditForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=ReviewOutcome.choices, widget=forms.RadioSelect
    )
    notes = forms.CharField(
        label=_("Notes"), max_length=20000, widget=forms.Textarea(attrs={"rows": 4})
    )
    reason = reason_field()


class ReviewListForm(forms.Form):
    within = forms.IntegerField(
        label=_("Due within (days)"), required=False, min_value=1, max_value=366
    )


# --- numbering, quality manual map, records ---------------------------------------------------


class NumberingRuleForm(forms.Form):
    doc_type = forms.ChoiceField(choices=DocumentType.choices, widget=forms.HiddenInput)
    prefix = forms.CharField(label=_("Prefix"), max_length=10)
    digits = forms.IntegerField(label=_("Digits"), min_value=1, max_value=6)
    revision_scheme = forms.ChoiceField(label=_("Revision scheme"), choices=RevisionScheme.choices)
    next_number = forms.IntegerField(label=_("Next number"), min_value=1, max_value=999_999)
    reason = forms.CharField(label=_("Reason for change"), required=False, max_length=500)


class MapForm(forms.Form):
    include_in_preparation = forms.BooleanField(
        label=_("Count documents in preparation too"), required=False
    )


class RecordsFilterForm(forms.Form):
    record_type = forms.ChoiceField(label=_("Record type"), required=False)
    disposal_due_before = forms.DateField(
        label=_("Disposal due before"),
        required=False,
        widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["record_type"].choices = [("", _("All")), *selectors.record_types(user=user)]
