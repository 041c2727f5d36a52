"""Writes to controlled documents, revisions, change requests and periodic reviews.

Each service checks the permission, validates, then writes inside one `audited()` block: either
everything it does is saved with its audit events, or nothing is. Life-cycle steps are one
service each (ISO 13485:2016 4.2.4: review and approve before issue, identify changes and the
current revision, keep obsolete documents from unintended use).
"""

from __future__ import annotations

import datetime as dt
import re

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from samsvar.core import permissions as perms
from samsvar.core.audit import audited, record_event
from samsvar.core.events import Event
from samsvar.core.models import SignatureMeaning
from samsvar.core.validation import reject_unknown_fields
from samsvar.documents import revisions as labels
from samsvar.documents import signals
from samsvar.documents.models import (
    DEFAULT_PREFIXES,
    IN_PROGRESS,
    ChangeRequest,
    ChangeRequestStatus,
    Document,
    DocumentStatus,
    DocumentType,
    NumberingRule,
    PeriodicReview,
    PeriodicReviewStatus,
    ReviewComment,
    ReviewOutcome,
    Revision,
    RevisionScheme,
    RevisionStatus,
)
from samsvar.documents.search import index_document
from samsvar.documents.selectors import add_months

# Longer Markdown is cut off by the renderer, so it is refused before it is saved.
MAX_CONTENT_CHARS = 500_000
MAX_TEXT_CHARS = 20_000
_PREFIX = re.compile(r"[A-Z][A-Z0-9]{0,9}")
_CR_NUMBER = re.compile(r"CR-(\d+)")
_REGULATION_REF = re.compile(
    r"(mdr|ivdr):(?:\d{1,3}[a-z]?(?:\(\d{1,2}[a-z]?\)){0,2}(?:\([a-z]{1,2}\))?"
    r"|annex-[ivx]{1,6}(?:-[0-9][0-9a-z.]{0,9})?)"
)


# --- small shared checks ----------------------------------------------------------------------


def _require_any(actor, *codes: str) -> None:
    """Refuse unless the actor holds at least one of the permissions."""
    if not any(perms.has_perm(actor, code) for code in codes):
        perms.require_perm(actor, codes[0])


def _text(value, field: str, *, required: bool = False, limit: int = MAX_TEXT_CHARS) -> str:
    text = str(value or "").replace("\x00", "").strip()
    if required and not text:
        raise ValidationError({field: _("This field is required.")})
    if len(text) > limit:
        raise ValidationError({field: _("Keep this to %(n)s characters.") % {"n": limit}})
    return text


def _as_list(value) -> list:
    if value is None:
        return []
    if isinstance(value, str):
        return [part.strip() for part in re.split(r"[,;\n]+", value) if part.strip()]
    return list(value)


def _person(value, field: str, *, permission: str | tuple[str, ...] = perms.RECORD_VIEW):
    """An active user (or user id) that holds `permission` (or one of several)."""
    User = get_user_model()
    user = value
    if not isinstance(value, User):
        try:
            user = User.objects.get(pk=int(value))
        except (User.DoesNotExist, TypeError, ValueError):
            raise ValidationError({field: _("Choose an active person.")}) from None
    if not user.is_active:
        raise ValidationError({field: _("Choose an active person.")})
    codes = (permission,) if isinstance(permission, str) else permission
    if not any(perms.has_perm(user, code) for code in codes):
        raise ValidationError(
            {
                field: _("%(name)s's role does not allow this task.")
                % {"name": user.full_name or user.username}
            }
        )
    return user


def _people(values, field: str, *, permission: str | tuple[str, ...]) -> list:
    found, seen = [], set()
    for value in _as_list(values):
        user = _person(value, field, permission=permission)
        if user.pk not in seen:
            seen.add(user.pk)
            found.append(user)
    return found


def _date(value, field: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        parsed = parse_date(str(value))
    except ValueError:
        parsed = None
    if parsed is None:
        raise ValidationError({field: _("Enter a date as YYYY-MM-DD.")})
    return parsed


def _whole(value, field: str, low: int, high: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = None
    if number is None or isinstance(value, bool) or not low <= number <= high:
        raise ValidationError(
            {
                field: _("Enter a whole number from %(low)s to %(high)s.")
                % {"low": low, "high": high}
            }
        )
    return number


def _set_members(obj, name: str, members: list) -> None:
    """Replace a many-to-many set and record the change (the base model sees only columns)."""
    manager = getattr(obj, name)
    before = sorted(str(each) for each in manager.all())
    after = sorted(str(each) for each in members)
    if before == after:
        return
    manager.set(members)
    record_event(Event.RECORD_UPDATED, obj=obj, changes={name: [before, after]}, action="update")


def _today(today=None) -> dt.date:
    return today or timezone.localdate()


# --- ISO 13485 clauses and regulation references ----------------------------------------------


def _clause_key(number: str) -> tuple:
    return tuple(int(part) if part.isdigit() else 0 for part in number.split("."))


def clean_iso_clauses(value) -> list[str]:
    """Clause numbers of EN ISO 13485 ("4.2.4"), checked against the clause list, sorted.

    Spellings such as "ISO 13485:2016 4.2.4" are reduced to the number.
    """
    from samsvar.regulatory import qms

    known = {clause.number for clause in qms.iso13485_clauses()}
    cleaned, unknown = set(), []
    for item in _as_list(value):
        text = str(item).strip()
        if not text:
            continue
        number = qms.normalise_reference(text)
        if number is None or number not in known:
            unknown.append(text[:20])
        else:
            cleaned.add(number)
    if unknown:
        raise ValidationError(
            {
                "iso_clauses": _("Not clauses of EN ISO 13485: %(clauses)s.")
                % {"clauses": ", ".join(unknown[:10])}
            }
        )
    return sorted(cleaned, key=_clause_key)


def clean_regulation_refs(value) -> list[str]:
    """References to the MDR/IVDR: the Art. 10(9) QMS items by key ("mdr:10(9)(a)"), or an
    article or annex in the form "mdr:10(8)", "ivdr:10(8)(a)", "mdr:annex-ix"."""
    from samsvar.regulatory import qms

    qms_items = {item.key for item in qms.art10_9_items()}
    items = [re.sub(r"\s+", "", str(item)).lower() for item in _as_list(value)]
    items = [item for item in items if item]
    wrong = [
        item
        for item in items
        if not _REGULATION_REF.fullmatch(item)
        or (item.startswith("mdr:10(9)(") and item not in qms_items)
    ]
    if wrong:
        raise ValidationError(
            {
                "regulation_refs": _(
                    "Not a regulation reference: %(refs)s. Write e.g. mdr:10(9)(a) or ivdr:10(8)."
                )
                % {"refs": ", ".join(wrong[:10])}
            }
        )
    return sorted(set(items))


def minimum_retention_years(implantable: bool) -> int:
    """MDR Art. 10(8): at least 10 years, 15 for implantable devices."""
    from samsvar.regulatory import qms

    return qms.retention_years(implantable=implantable)


# --- numbering --------------------------------------------------------------------------------


def _default_rule(doc_type: str) -> NumberingRule:
    return NumberingRule(doc_type=doc_type, prefix=DEFAULT_PREFIXES[DocumentType(doc_type)])


def _locked_rule(doc_type: str) -> NumberingRule:
    """The type's numbering rule, locked for this transaction (made with defaults if new)."""
    rule = NumberingRule.objects.select_for_update().filter(doc_type=doc_type).first()
    if rule is not None:
        return rule
    rule = _default_rule(doc_type)
    try:
        with transaction.atomic():
            rule.save()
    except IntegrityError:  # created by a concurrent transaction a moment ago
        rule = NumberingRule.objects.select_for_update().get(doc_type=doc_type)
    return rule


def _allocate_number(doc_type: str) -> tuple[str, str]:
    """The next free number of the type and the type's revision scheme; advances the counter."""
    rule = _locked_rule(doc_type)
    value = rule.next_number
    while Document.objects.filter(number=rule.format(value)).exists():
        value += 1
    rule.next_number = value + 1
    rule.save()
    return rule.format(value), rule.revision_scheme


def _prefix_owner(prefix: str, doc_type: str) -> str | None:
    """The other document type that uses `prefix` (its rule's, or its default if it has none)."""
    prefixes = {str(t): p for t, p in DEFAULT_PREFIXES.items()}
    prefixes.update(NumberingRule.objects.values_list("doc_type", "prefix"))
    return next((t for t, p in prefixes.items() if p == prefix and t != doc_type), None)


RULE_FIELDS = ("prefix", "digits", "revision_scheme", "next_number")


def numbering_rule_update(*, actor, doc_type: str, reason: str = "", **fields) -> NumberingRule:
    """Set the prefix, digits, next number or revision scheme of one document type (4.2.4 e)."""
    perms.require_perm(actor, perms.DOCUMENT_CONTROL)
    reject_unknown_fields(fields, RULE_FIELDS)
    if doc_type not in DocumentType.values:
        raise ValidationError({"doc_type": _("Choose a valid document type.")})
    with audited(actor=actor, reason=reason):
        rule = _locked_rule(doc_type)
        if "prefix" in fields:
            prefix = _text(fields["prefix"], "prefix", required=True).upper()
            if not _PREFIX.fullmatch(prefix):
                raise ValidationError(
                    {"prefix": _("Use 1 to 10 capital letters and digits, starting with a letter.")}
                )
            other = _prefix_owner(prefix, doc_type)
            if other is not None:
                raise ValidationError(
                    {
                        "prefix": _("%(prefix)s is already the prefix of %(type)s.")
                        % {"prefix": prefix, "type": DocumentType(other).label}
                    }
                )
            rule.prefix = prefix
        if "digits" in fields:
            rule.digits = _whole(fields["digits"], "digits", 1, 6)
        if "next_number" in fields:
            rule.next_number = _whole(fields["next_number"], "next_number", 1, 999_999)
        if "revision_scheme" in fields:
            if fields["revision_scheme"] not in RevisionScheme.values:
                raise ValidationError({"revision_scheme": _("Choose a valid revision scheme.")})
            rule.revision_scheme = fields["revision_scheme"]
        rule.save()
    return rule


# --- documents --------------------------------------------------------------------------------

DOCUMENT_FIELDS = (
    "title",
    "owner",
    "iso_clauses",
    "regulation_refs",
    "implantable_devices",
    "retention_years",
    "review_interval_months",
    "next_review_due",
    "reviewers",
    "approvers",
    "publisher",
    "edition",
)
# Who may own a document: whoever drafts documents, or approves them (top management).
OWNER_PERMISSIONS = (perms.DOCUMENT_CHANGE, perms.SIGN_APPROVED)
REVISION_FIELDS = (
    "content_md",
    "attachment",
    "clear_attachment",
    "reason_for_change",
    "effective_date",
    "change_request",
)


def _apply_document_fields(document: Document, fields: dict) -> dict:
    """Validate and set the document's columns; returns the many-to-many values to set."""
    members: dict[str, list] = {}
    for name, value in fields.items():
        if name == "title":
            document.title = _text(value, "title", required=True, limit=300)
        elif name == "owner":
            document.owner = _person(value, "owner", permission=OWNER_PERMISSIONS)
        elif name == "iso_clauses":
            document.iso_clauses = clean_iso_clauses(value)
        elif name == "regulation_refs":
            document.regulation_refs = clean_regulation_refs(value)
        elif name == "implantable_devices":
            document.implantable_devices = bool(value)
        elif name == "retention_years":
            document.retention_years = _whole(value, "retention_years", 1, 100)
        elif name == "review_interval_months":
            document.review_interval_months = _whole(value, "review_interval_months", 1, 120)
        elif name == "next_review_due":
            document.next_review_due = _date(value, "next_review_due")
        elif name == "reviewers":
            members["reviewers"] = _people(value, "reviewers", permission=perms.SIGN_REVIEWED)
        elif name == "approvers":
            members["approvers"] = _people(value, "approvers", permission=perms.SIGN_APPROVED)
        elif name in ("publisher", "edition"):
            limit = 200 if name == "publisher" else 100
            setattr(document, name, _text(value, name, limit=limit))
    minimum = minimum_retention_years(document.implantable_devices)
    if "retention_years" not in fields and document._state.adding:
        document.retention_years = minimum
    if document.retention_years < minimum:
        raise ValidationError(
            {
                "retention_years": _("Keep it at least %(n)s years (MDR Art. 10(8)).")
                % {"n": minimum}
            }
        )
    if document.is_external and not document.publisher:
        raise ValidationError({"publisher": _("Name who publishes this external document.")})
    if not document.is_external and (document.publisher or document.edition):
        field = "publisher" if document.publisher else "edition"
        raise ValidationError({field: _("Only external documents have a publisher and edition.")})
    return members


def _check_upload(upload):
    from samsvar.documents.files import check_upload

    return check_upload(upload)


def _set_attachment(revision: Revision, upload, check) -> None:
    revision.attachment = upload
    revision.attachment_sha256 = check.sha256
    revision.attachment_size = check.size
    revision.attachment_content_type = check.content_type
    revision.attachment_name = (check.original_name or getattr(upload, "name", ""))[:255]


def _clear_attachment(revision: Revision) -> None:
    revision.attachment = ""
    revision.attachment_sha256 = ""
    revision.attachment_size = None
    revision.attachment_content_type = ""
    revision.attachment_name = ""


def _planned_date(value, today=None) -> dt.date | None:
    day = _date(value, "effective_date")
    if day is not None and day < _today(today):
        raise ValidationError({"effective_date": _("The planned effective date is in the past.")})
    return day


def _change_request_for(change_request, document: Document) -> ChangeRequest | None:
    if change_request in (None, ""):
        return None
    if not isinstance(change_request, ChangeRequest):
        try:
            change_request = ChangeRequest.objects.get(pk=int(change_request))
        except (ChangeRequest.DoesNotExist, TypeError, ValueError):
            raise ValidationError({"change_request": _("Choose a change request.")}) from None
    if change_request.status != ChangeRequestStatus.APPROVED:
        raise ValidationError(
            {
                "change_request": _(
                    "%(cr)s is not approved; revisions open only under an approved change request."
                )
                % {"cr": change_request.number}
            }
        )
    if not change_request.documents.filter(pk=document.pk).exists():
        raise ValidationError(
            {
                "change_request": _("%(cr)s does not name %(number)s among its documents.")
                % {"cr": change_request.number, "number": document.number}
            }
        )
    return change_request


def document_create(
    *,
    actor,
    doc_type: str,
    title: str,
    owner,
    reason_for_change: str,
    content_md: str = "",
    attachment=None,
    effective_date=None,
    reason: str = "",
    **fields,
) -> Document:
    """Register a new controlled document with its first revision as a draft (4.2.4).

    The number comes from the type's numbering rule ("SOP-007"); the retention defaults to MDR
    Art. 10(8) (10 years, 15 with implantable devices). The first revision needs a reason for
    change like every other (for example "First issue").
    """
    perms.require_perm(actor, perms.DOCUMENT_CHANGE)
    reject_unknown_fields(fields, DOCUMENT_FIELDS)
    if doc_type not in DocumentType.values:
        raise ValidationError({"doc_type": _("Choose a valid document type.")})
    document = Document(doc_type=doc_type)
    members = _apply_document_fields(document, {"title": title, "owner": owner, **fields})
    revision = Revision(
        reason_for_change=_text(reason_for_change, "reason_for_change", required=True),
        content_md=_text(content_md, "content_md", limit=MAX_CONTENT_CHARS),
        effective_date=_planned_date(effective_date),
        author=actor,
    )
    check = _check_upload(attachment) if attachment else None
    with audited(actor=actor, reason=reason):
        document.number, document.revision_scheme = _allocate_number(doc_type)
        document.save()
        for name, people in members.items():
            _set_members(document, name, people)
        revision.document = document
        revision.label = labels.first_label(document.revision_scheme)
        if check is not None:
            _set_attachment(revision, attachment, check)
        revision.save()
        index_document(document)
    return document


def document_update(*, actor, document: Document, reason: str = "", **fields) -> Document:
    """Change what describes a document: title, owner, clauses, retention, reviewers, approvers.

    The content is changed only through a new revision. A withdrawn document keeps its data;
    only its retention may still change.
    """
    perms.require_perm(actor, perms.DOCUMENT_CHANGE)
    reject_unknown_fields(fields, DOCUMENT_FIELDS)
    document = Document.objects.get(pk=document.pk)
    if document.status == DocumentStatus.OBSOLETE and set(fields) - {"retention_years"}:
        raise ValidationError(
            _("%(number)s is obsolete; only its retention period can change.")
            % {"number": document.number}
        )
    members = _apply_document_fields(document, fields)
    with audited(actor=actor, reason=reason):
        document.save()
        for name, people in members.items():
            _set_members(document, name, people)
        index_document(document)
    return document


def _locked_document(document: Document) -> Document:
    return Document.objects.select_for_update().get(pk=document.pk)


def _refresh(revision: Revision) -> Revision:
    """The revision as stored now, with its document, locked against a concurrent transition."""
    Document.objects.select_for_update().filter(pk=revision.document_id).first()
    return Revision.objects.select_related("document").get(pk=revision.pk)


# --- revisions --------------------------------------------------------------------------------


def _in_progress(document: Document) -> Revision | None:
    return Revision.objects.filter(document=document, status__in=IN_PROGRESS).first()


def _refuse_second_draft(document: Document) -> None:
    open_revision = _in_progress(document)
    if open_revision is not None:
        raise ValidationError(
            _(
                "%(number)s already has revision %(label)s in progress (%(status)s); finish or "
                "discard it before opening another."
            )
            % {
                "number": document.number,
                "label": open_revision.label,
                "status": open_revision.get_status_display(),
            }
        )


def _new_revision(
    *,
    actor,
    document: Document,
    reason_for_change: str,
    content_md=None,
    major: bool = False,
    change_request: ChangeRequest | None = None,
    effective_date=None,
) -> Revision:
    """A new draft after the newest revision, starting from its content (inside `audited`)."""
    if document.status == DocumentStatus.OBSOLETE:
        raise ValidationError(
            _("%(number)s is obsolete; register a new document instead.")
            % {"number": document.number}
        )
    _refuse_second_draft(document)
    latest = Revision.objects.filter(document=document).order_by("-pk").first()
    revision = Revision(
        document=document,
        reason_for_change=reason_for_change,
        change_request=change_request,
        effective_date=effective_date,
        author=actor,
    )
    if latest is None:
        revision.label = labels.first_label(document.revision_scheme)
    else:
        revision.label = labels.next_label(document.revision_scheme, latest.label, major=major)
        revision.content_md = latest.content_md
        if latest.attachment:
            revision.attachment = latest.attachment.name
            revision.attachment_sha256 = latest.attachment_sha256
            revision.attachment_size = latest.attachment_size
            revision.attachment_content_type = latest.attachment_content_type
            revision.attachment_name = latest.attachment_name
    if content_md is not None:
        revision.content_md = content_md
    revision.save()
    index_document(document)
    return revision


def revision_create(
    *,
    actor,
    document: Document,
    reason_for_change: str,
    content_md: str | None = None,
    major: bool = False,
    change_request=None,
    effective_date=None,
    reason: str = "",
) -> Revision:
    """Open the next revision of a document as a draft (4.2.4: changes are identified).

    The draft starts from the newest revision's text and file. Refused while another revision
    is in progress and for an obsolete document; the reason for change is required.
    """
    perms.require_perm(actor, perms.DOCUMENT_CHANGE)
    reason_for_change = _text(reason_for_change, "reason_for_change", required=True)
    if content_md is not None:
        content_md = _text(content_md, "content_md", limit=MAX_CONTENT_CHARS)
    day = _planned_date(effective_date)
    with audited(actor=actor, reason=reason or reason_for_change):
        document = _locked_document(document)
        change_request = _change_request_for(change_request, document)
        return _new_revision(
            actor=actor,
            document=document,
            reason_for_change=reason_for_change,
            content_md=content_md,
            major=major,
            change_request=change_request,
            effective_date=day,
        )


def revision_update(*, actor, revision: Revision, reason: str = "", **fields) -> Revision:
    """Edit a draft: text, file, reason for change, planned effective date, change request.

    Only drafts change. Once a draft is signed, an edit makes a new version and needs a reason.
    """
    perms.require_perm(actor, perms.DOCUMENT_CHANGE)
    reject_unknown_fields(fields, REVISION_FIELDS)
    upload = fields.get("attachment")
    check = _check_upload(upload) if upload else None
    with audited(actor=actor, reason=reason):
        revision = _refresh(revision)
        if revision.status != RevisionStatus.DRAFT:
            raise ValidationError(
                _(
                    "%(revision)s is %(status)s and can no longer be edited; open a new revision "
                    "to change it."
                )
                % {"revision": str(revision), "status": revision.get_status_display().lower()}
            )
        if "content_md" in fields:
            revision.content_md = _text(fields["content_md"], "content_md", limit=MAX_CONTENT_CHARS)
        if "reason_for_change" in fields:
            revision.reason_for_change = _text(
                fields["reason_for_change"], "reason_for_change", required=True
            )
        if "effective_date" in fields:
            revision.effective_date = _planned_date(fields["effective_date"])
        if "change_request" in fields:
            revision.change_request = _change_request_for(
                fields["change_request"], revision.document
            )
        if fields.get("clear_attachment"):
            _clear_attachment(revision)
        if check is not None:
            _set_attachment(revision, upload, check)
        revision.save()
        index_document(revision.document)
    return revision


def _expect(revision: Revision, *statuses: str) -> None:
    if revision.status not in statuses:
        raise ValidationError(
            _("%(revision)s is %(status)s; this step is not possible now.")
            % {"revision": str(revision), "status": revision.get_status_display().lower()}
        )


def revision_submit(*, actor, revision: Revision, reason: str = "") -> Revision:
    """Send a draft for review and approval (4.2.4 a): it needs content and an approver."""
    perms.require_perm(actor, perms.DOCUMENT_CHANGE)
    with audited(actor=actor, reason=reason):
        revision = _refresh(revision)
        _expect(revision, RevisionStatus.DRAFT)
        if not revision.content_md.strip() and not revision.attachment:
            raise ValidationError(
                {"content_md": _("Write the content or attach a file before submitting.")}
            )
        if not revision.document.approvers.exists():
            raise ValidationError(
                {
                    "approvers": _("Name at least one approver of %(number)s first.")
                    % {"number": revision.document.number}
                }
            )
        revision.status = RevisionStatus.IN_REVIEW
        revision.save()
    return revision


def _is_named_on(actor, document: Document) -> bool:
    return (
        document.reviewers.filter(pk=actor.pk).exists()
        or document.approvers.filter(pk=actor.pk).exists()
    )


def _require_editor_or_named(actor, document: Document) -> None:
    """Document editors, and the reviewers and approvers named on the document."""
    if perms.has_perm(actor, perms.DOCUMENT_CHANGE):
        return
    if perms.has_perm(actor, perms.SIGN_REVIEWED) and _is_named_on(actor, document):
        return
    perms.require_perm(actor, perms.DOCUMENT_CHANGE)


def revision_return(*, actor, revision: Revision, reason: str) -> Revision:
    """Send a revision in review back to draft for changes; the reason says what to change."""
    reason = _text(reason, "reason", required=True)
    with audited(actor=actor, reason=reason):
        revision = _refresh(revision)
        _require_editor_or_named(actor, revision.document)
        _expect(revision, RevisionStatus.IN_REVIEW)
        revision.status = RevisionStatus.DRAFT
        revision.save()
    return revision


def approval_missing(revision: Revision) -> list:
    """The document's approvers who have not signed the current version as "approved"."""
    from samsvar.core.selectors import current_signatures

    signed = set(
        current_signatures(obj=revision)
        .filter(meaning=SignatureMeaning.APPROVED)
        .values_list("signer_id", flat=True)
    )
    return [person for person in revision.document.approvers.all() if person.pk not in signed]


def revision_approve(*, actor, revision: Revision, reason: str = "") -> Revision:
    """Approve a revision in review (4.2.4 a): every approver of the document must first have
    signed its current version with the meaning "approved", and every review comment must be
    resolved. No signature, no approval."""
    _require_any(actor, perms.DOCUMENT_CONTROL, perms.SIGN_APPROVED)
    with audited(actor=actor, reason=reason):
        revision = _refresh(revision)
        _expect(revision, RevisionStatus.IN_REVIEW)
        open_comments = revision.comments.filter(resolved=False).count()
        if open_comments:
            raise ValidationError(
                _("%(n)s review comment(s) are not resolved.") % {"n": open_comments}
            )
        if not revision.document.approvers.exists():
            raise ValidationError(
                {"approvers": _("The document has no approvers; name at least one.")}
            )
        missing = approval_missing(revision)
        if missing:
            raise ValidationError(
                _("Waiting for the approval signature of %(names)s on version %(version)s.")
                % {
                    "names": ", ".join(p.full_name or p.username for p in missing),
                    "version": revision.version,
                }
            )
        revision.status = RevisionStatus.APPROVED
        revision.approved_at = timezone.now()
        revision.save()
    return revision


def _close_change_request(change_request: ChangeRequest | None) -> None:
    """Mark an approved change request implemented once none of its revisions is in progress."""
    if change_request is None or change_request.status != ChangeRequestStatus.APPROVED:
        return
    if change_request.revisions.filter(status__in=IN_PROGRESS).exists():
        return
    change_request.status = ChangeRequestStatus.IMPLEMENTED
    change_request.implemented_at = timezone.now()
    change_request.save()


def _make_effective(actor, revision: Revision, today: dt.date) -> Revision:
    """Inside `audited`: the previous effective revision is superseded in the same transaction."""
    document = _locked_document(revision.document)
    now = timezone.now()
    previous = document.current_revision
    if previous is not None:
        previous.status = RevisionStatus.SUPERSEDED
        previous.superseded_at = now
        previous.save()
    revision.status = RevisionStatus.EFFECTIVE
    revision.effective_at = now
    revision.save()
    document.current_revision = revision
    document.status = DocumentStatus.EFFECTIVE
    document.next_review_due = add_months(
        revision.effective_date or today, document.review_interval_months
    )
    document.save()
    revision.document = document
    index_document(document)
    _close_change_request(revision.change_request)
    signals.revision_effective.send(sender=Revision, actor=actor, revision=revision)
    return revision


def revision_make_effective(
    *, actor, revision: Revision, today: dt.date | None = None, reason: str = ""
) -> Revision:
    """Issue an approved revision (4.2.4 c, d): it becomes the one current revision, the
    previous one is superseded, and the training that follows it is triggered. Not before its
    planned effective date."""
    perms.require_perm(actor, perms.DOCUMENT_CONTROL)
    today = _today(today)
    with audited(actor=actor, reason=reason):
        revision = _refresh(revision)
        _expect(revision, RevisionStatus.APPROVED)
        if revision.effective_date and revision.effective_date > today:
            raise ValidationError(
                {
                    "effective_date": _(
                        "%(revision)s is planned to become effective on %(date)s, not before."
                    )
                    % {"revision": str(revision), "date": revision.effective_date.isoformat()}
                }
            )
        return _make_effective(actor, revision, today)


def revisions_activate_due(*, actor=None, today: dt.date | None = None) -> list[Revision]:
    """Make effective every approved revision whose planned effective date has come.

    The approval already decided the issue; this step only carries it out on the date, so it
    runs as the system when the caller (the dashboard, `samsvar documents activate`) is not
    document control.
    """
    today = _today(today)
    if actor is not None and not perms.has_perm(actor, perms.DOCUMENT_CONTROL):
        actor = None
    due = list(
        Revision.objects.filter(
            status=RevisionStatus.APPROVED, effective_date__isnull=False, effective_date__lte=today
        ).order_by("effective_date", "pk")
    )
    done = []
    for revision in due:
        reason = f"Planned effective date {revision.effective_date.isoformat()} reached"
        with audited(actor=actor, reason=reason):
            fresh = _refresh(revision)
            if fresh.status != RevisionStatus.APPROVED:
                continue
            done.append(_make_effective(actor, fresh, today))
    return done


def revision_discard(*, actor, revision: Revision, reason: str) -> Revision:
    """Abandon a revision that was never issued; it stays on file, marked obsolete."""
    revision = Revision.objects.get(pk=revision.pk)
    if revision.status == RevisionStatus.APPROVED:
        perms.require_perm(actor, perms.DOCUMENT_CONTROL)
    else:
        perms.require_perm(actor, perms.DOCUMENT_CHANGE)
    reason = _text(reason, "reason", required=True)
    with audited(actor=actor, reason=reason):
        revision = _refresh(revision)
        _expect(revision, *IN_PROGRESS)
        revision.status = RevisionStatus.OBSOLETE
        revision.obsoleted_at = timezone.now()
        revision.save()
        index_document(revision.document)
        _close_change_request(revision.change_request)
    return revision


def document_obsolete(*, actor, document: Document, reason: str) -> Document:
    """Withdraw a document (4.2.4 f-g): its effective revision and any revision in progress
    become obsolete, nothing of it is current any more, and everything stays readable."""
    perms.require_perm(actor, perms.DOCUMENT_CONTROL)
    reason = _text(reason, "reason", required=True)
    with audited(actor=actor, reason=reason):
        document = _locked_document(document)
        if document.status == DocumentStatus.OBSOLETE:
            raise ValidationError(
                _("%(number)s is already obsolete.") % {"number": document.number}
            )
        now = timezone.now()
        withdrawn = []
        for revision in Revision.objects.filter(
            document=document, status__in=[*IN_PROGRESS, RevisionStatus.EFFECTIVE]
        ):
            if revision.status == RevisionStatus.EFFECTIVE:
                withdrawn.append(revision)
            revision.status = RevisionStatus.OBSOLETE
            revision.obsoleted_at = now
            revision.save()
        document.status = DocumentStatus.OBSOLETE
        document.current_revision = None
        document.next_review_due = None
        document.obsoleted_at = now
        document.save()
        # Apps that follow the effective revision (training) close what they opened for it.
        signal = getattr(signals, "revision_withdrawn", None)
        for revision in withdrawn if signal is not None else ():
            signal.send(sender=Revision, actor=actor, revision=revision, reason=reason)
        index_document(document)
    return document


# --- review comments --------------------------------------------------------------------------


def comment_add(*, actor, revision: Revision, text: str, reason: str = "") -> ReviewComment:
    """A review comment on a draft or a revision in review, by its authors or named reviewers."""
    text = _text(text, "text", required=True, limit=MAX_TEXT_CHARS)
    with audited(actor=actor, reason=reason):
        revision = _refresh(revision)
        _require_editor_or_named(actor, revision.document)
        _expect(revision, RevisionStatus.DRAFT, RevisionStatus.IN_REVIEW)
        comment = ReviewComment(revision=revision, author=actor, text=text)
        comment.save()
    return comment


def comment_resolve(
    *, actor, comment: ReviewComment, resolution: str = "", reason: str = ""
) -> ReviewComment:
    """Mark a review comment resolved, saying how (by its author or a document editor)."""
    resolution = _text(resolution, "resolution")
    with audited(actor=actor, reason=reason):
        comment = ReviewComment.objects.select_related("revision").get(pk=comment.pk)
        if comment.author_id != actor.pk:
            perms.require_perm(actor, perms.DOCUMENT_CHANGE)
        if comment.resolved:
            raise ValidationError(_("This comment is already resolved."))
        comment.resolved = True
        comment.resolution = resolution
        comment.resolved_by = actor
        comment.resolved_at = timezone.now()
        comment.save()
    return comment


# --- change requests --------------------------------------------------------------------------

CHANGE_REQUEST_FIELDS = (
    "title",
    "what",
    "why",
    "documents",
    "devices",
    "impact_training",
    "impact_risk",
    "impact_regulatory",
)


def _documents(values) -> list[Document]:
    found, seen = [], set()
    for value in _as_list(values):
        document = value
        if not isinstance(value, Document):
            document = Document.objects.filter(
                **({"pk": int(value)} if str(value).isdigit() else {"number": str(value)})
            ).first()
            if document is None:
                raise ValidationError(
                    {"documents": _("No document %(value)s.") % {"value": str(value)[:40]}}
                )
        if document.pk not in seen:
            seen.add(document.pk)
            found.append(document)
    return found


def _devices(values) -> list:
    from samsvar.devices.models import Device

    found, seen = [], set()
    for value in _as_list(values):
        device = value
        if not isinstance(value, Device):
            device = Device.objects.filter(pk=int(value)).first() if str(value).isdigit() else None
            if device is None:
                raise ValidationError({"devices": _("Choose devices from the register.")})
        if device.pk not in seen:
            seen.add(device.pk)
            found.append(device)
    return found


def _apply_change_request_fields(change_request: ChangeRequest, fields: dict) -> dict:
    members = {}
    for name, value in fields.items():
        if name == "title":
            change_request.title = _text(value, "title", required=True, limit=300)
        elif name in ("what", "why"):
            setattr(change_request, name, _text(value, name, required=True))
        elif name.startswith("impact_"):
            setattr(change_request, name, _text(value, name))
        elif name == "documents":
            members["documents"] = _documents(value)
        elif name == "devices":
            members["devices"] = _devices(value)
    return members


def _next_change_request_number() -> str:
    latest = (
        ChangeRequest.objects.filter(number__regex=r"^CR-[0-9]+$")
        .order_by(Length("number").desc(), "-number")
        .values_list("number", flat=True)
        .first()
    )
    value = int(_CR_NUMBER.fullmatch(latest).group(1)) + 1 if latest else 1
    return f"CR-{value:03d}"


def change_request_create(
    *, actor, title: str, what: str, why: str, reason: str = "", **fields
) -> ChangeRequest:
    """Raise a change request: what changes, why, and its impact (ISO 13485 4.2.4, 7.3.9)."""
    perms.require_perm(actor, perms.DOCUMENT_CHANGE)
    reject_unknown_fields(fields, CHANGE_REQUEST_FIELDS)
    change_request = ChangeRequest(requested_by=actor)
    members = _apply_change_request_fields(
        change_request, {"title": title, "what": what, "why": why, **fields}
    )
    with audited(actor=actor, reason=reason):
        for attempt in range(5):
            change_request.number = _next_change_request_number()
            try:
                with transaction.atomic():
                    change_request.save()
                break
            except IntegrityError:  # the same number taken by a concurrent request
                change_request.pk = None
                change_request._state.adding = True
                if attempt == 4:
                    raise
        for name, values in members.items():
            _set_members(change_request, name, values)
    return change_request


def change_request_update(
    *, actor, change_request: ChangeRequest, reason: str = "", **fields
) -> ChangeRequest:
    """Edit a change request while it is a draft. Its documents and devices are part of what
    the approver signs: changing them after a signature makes a new version too."""
    perms.require_perm(actor, perms.DOCUMENT_CHANGE)
    reject_unknown_fields(fields, CHANGE_REQUEST_FIELDS)
    with audited(actor=actor, reason=reason) as ctx:
        change_request = ChangeRequest.objects.select_for_update().get(pk=change_request.pk)
        if change_request.status != ChangeRequestStatus.DRAFT:
            raise ValidationError(
                _("%(cr)s is %(status)s and can no longer be edited.") % _cr_status(change_request)
            )
        before = change_request.audit_snapshot()
        members = _apply_change_request_fields(change_request, fields)
        columns_changed = change_request.content_changed(before)
        members_changed = any(
            sorted(getattr(change_request, name).values_list("pk", flat=True))
            != sorted(each.pk for each in values)
            for name, values in members.items()
        )
        if members_changed and not columns_changed and change_request.current_version_frozen():
            if not ctx.reason:
                raise ValidationError(
                    {
                        "reason": _(
                            "Version %(version)s is signed. Give a reason for the change; it "
                            "will create version %(next)s."
                        )
                        % {"version": change_request.version, "next": change_request.version + 1}
                    }
                )
            change_request.version += 1
        change_request.save()
        for name, values in members.items():
            _set_members(change_request, name, values)
    return change_request


def _cr_status(change_request: ChangeRequest) -> dict:
    return {"cr": change_request.number, "status": change_request.get_status_display().lower()}


def _signed_as(record, meanings) -> bool:
    from samsvar.core.selectors import current_signatures

    return current_signatures(obj=record).filter(meaning__in=meanings).exists()


def change_request_approve(
    *, actor, change_request: ChangeRequest, reason: str = ""
) -> ChangeRequest:
    """Approve a change request; it needs an "approved" e-signature on its current version."""
    _require_any(actor, perms.DOCUMENT_CONTROL, perms.SIGN_APPROVED)
    with audited(actor=actor, reason=reason):
        change_request = ChangeRequest.objects.select_for_update().get(pk=change_request.pk)
        if change_request.status != ChangeRequestStatus.DRAFT:
            raise ValidationError(
                _("%(cr)s is %(status)s; only a draft can be approved.")
                % _cr_status(change_request)
            )
        if not change_request.what.strip() or not change_request.why.strip():
            raise ValidationError({"what": _("Say what changes and why.")})
        if not _signed_as(change_request, [SignatureMeaning.APPROVED]):
            raise ValidationError(
                _("Sign version %(version)s of %(cr)s as approved before approving it.")
                % {"version": change_request.version, "cr": change_request.number}
            )
        change_request.status = ChangeRequestStatus.APPROVED
        change_request.approved_at = timezone.now()
        change_request.save()
    return change_request


def change_request_reject(*, actor, change_request: ChangeRequest, reason: str) -> ChangeRequest:
    """Turn a change request down; the reason is recorded."""
    _require_any(actor, perms.DOCUMENT_CONTROL, perms.SIGN_APPROVED)
    reason = _text(reason, "reason", required=True)
    with audited(actor=actor, reason=reason):
        change_request = ChangeRequest.objects.select_for_update().get(pk=change_request.pk)
        if change_request.status != ChangeRequestStatus.DRAFT:
            raise ValidationError(
                _("%(cr)s is %(status)s; only a draft can be rejected.")
                % _cr_status(change_request)
            )
        change_request.status = ChangeRequestStatus.REJECTED
        change_request.rejected_at = timezone.now()
        change_request.save()
    return change_request


def change_request_open_revisions(
    *, actor, change_request: ChangeRequest, documents, reason: str, major: bool = False
) -> list[Revision]:
    """Open a new draft revision of each document under an approved change request.

    All or nothing: if one document cannot get a new revision (another is in progress, it is
    obsolete, the request does not name it), none is opened. The reason becomes each
    revision's reason for change.
    """
    perms.require_perm(actor, perms.DOCUMENT_CHANGE)
    reason = _text(reason, "reason", required=True)
    chosen = _documents(documents)
    if not chosen:
        raise ValidationError({"documents": _("Choose at least one document.")})
    with audited(actor=actor, reason=reason):
        change_request = ChangeRequest.objects.select_for_update().get(pk=change_request.pk)
        opened = []
        for document in sorted(chosen, key=lambda d: d.number):
            document = _locked_document(document)
            linked = _change_request_for(change_request, document)
            try:
                opened.append(
                    _new_revision(
                        actor=actor,
                        document=document,
                        reason_for_change=f"{change_request.number}: {reason}",
                        major=major,
                        change_request=linked,
                    )
                )
            except ValidationError as exc:
                raise ValidationError({"documents": exc.messages}) from None
    return opened


def change_request_implement(
    *, actor, change_request: ChangeRequest, reason: str = ""
) -> ChangeRequest:
    """Close an approved change request once none of its revisions is still in progress."""
    perms.require_perm(actor, perms.DOCUMENT_CONTROL)
    with audited(actor=actor, reason=reason):
        change_request = ChangeRequest.objects.select_for_update().get(pk=change_request.pk)
        if change_request.status != ChangeRequestStatus.APPROVED:
            raise ValidationError(
                _("%(cr)s is %(status)s; only an approved request can be implemented.")
                % _cr_status(change_request)
            )
        pending = list(
            change_request.revisions.filter(status__in=IN_PROGRESS).select_related("document")
        )
        if pending:
            raise ValidationError(
                _("Revisions still in progress: %(list)s.")
                % {"list": ", ".join(str(r) for r in pending)}
            )
        change_request.status = ChangeRequestStatus.IMPLEMENTED
        change_request.implemented_at = timezone.now()
        change_request.save()
    return change_request


# --- periodic review --------------------------------------------------------------------------


def _outcome(value) -> str:
    if value not in ReviewOutcome.values:
        raise ValidationError({"outcome": _("Choose still valid, revise or withdraw.")})
    return value


def periodic_review_record(
    *,
    actor,
    document: Document,
    outcome: str,
    notes: str,
    due_date=None,
    reason: str = "",
) -> PeriodicReview:
    """Record the periodic review of an effective document (4.2.4 b); it is signed next and
    then completed, which applies the outcome."""
    perms.require_perm(actor, perms.DOCUMENT_CONTROL)
    outcome = _outcome(outcome)
    notes = _text(notes, "notes", required=True)
    day = _date(due_date, "due_date")
    with audited(actor=actor, reason=reason):
        document = _locked_document(document)
        if document.status != DocumentStatus.EFFECTIVE:
            raise ValidationError(
                _("%(number)s has no effective revision to review.") % {"number": document.number}
            )
        pending = document.periodic_reviews.filter(status=PeriodicReviewStatus.RECORDED).first()
        if pending is not None:
            raise ValidationError(
                _("A review of %(number)s is already recorded and waits to be completed.")
                % {"number": document.number}
            )
        review = PeriodicReview(
            document=document,
            due_date=day or document.next_review_due or timezone.localdate(),
            outcome=outcome,
            notes=notes,
            reviewed_by=actor,
        )
        review.save()
    return review


def periodic_review_update(
    *, actor, review: PeriodicReview, reason: str = "", **fields
) -> PeriodicReview:
    """Correct the outcome or notes of a review that is not completed yet."""
    perms.require_perm(actor, perms.DOCUMENT_CONTROL)
    reject_unknown_fields(fields, ("outcome", "notes"))
    with audited(actor=actor, reason=reason):
        review = PeriodicReview.objects.select_for_update().get(pk=review.pk)
        if review.status != PeriodicReviewStatus.RECORDED:
            raise ValidationError(_("This review is completed and can no longer be changed."))
        if "outcome" in fields:
            review.outcome = _outcome(fields["outcome"])
        if "notes" in fields:
            review.notes = _text(fields["notes"], "notes", required=True)
        review.save()
    return review


def periodic_review_complete(
    *, actor, review: PeriodicReview, today: dt.date | None = None, reason: str = ""
) -> PeriodicReview:
    """Apply a signed review: still valid → next review in one interval; revise → a new draft
    revision with the notes as its reason; withdraw → the document becomes obsolete."""
    perms.require_perm(actor, perms.DOCUMENT_CONTROL)
    today = _today(today)
    with audited(actor=actor, reason=reason):
        review = PeriodicReview.objects.select_for_update().get(pk=review.pk)
        if review.status != PeriodicReviewStatus.RECORDED:
            raise ValidationError(_("This review is already completed."))
        if not _signed_as(review, [SignatureMeaning.REVIEWED, SignatureMeaning.APPROVED]):
            raise ValidationError(
                _("Sign version %(version)s of the review (reviewed or approved) first.")
                % {"version": review.version}
            )
        document = _locked_document(review.document)
        if review.outcome == ReviewOutcome.WITHDRAW:
            document_obsolete(actor=actor, document=document, reason=review.notes)
        else:
            if review.outcome == ReviewOutcome.REVISE:
                review.new_revision = _new_revision(
                    actor=actor, document=document, reason_for_change=review.notes[:2000]
                )
            document.next_review_due = add_months(today, document.review_interval_months)
            document.save()
        review.status = PeriodicReviewStatus.COMPLETED
        review.completed_at = timezone.now()
        review.save()
    return review
