"""Roles and the permission table: the one place that says who may do what.

Views, API endpoints and services all ask `has_perm(user, PERMISSION)`; nothing else grants
access. The auditor role reads everything and changes nothing.
"""

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    QUALITY_MANAGER = "quality_manager", _("Quality manager")
    REGULATORY_AFFAIRS = "regulatory_affairs", _("Regulatory affairs")
    ENGINEER = "engineer", _("Engineer")
    APPROVER = "approver", _("Approver")
    AUDITOR = "auditor", _("Auditor (read-only)")


ADMIN = Role.ADMINISTRATOR
QM = Role.QUALITY_MANAGER
RA = Role.REGULATORY_AFFAIRS
ENG = Role.ENGINEER
APPROVER = Role.APPROVER
AUDITOR = Role.AUDITOR
EVERYONE = frozenset(Role)

# Permission codes. Reading is granted to every role; every write is listed explicitly.
RECORD_VIEW = "record.view"
DEVICE_CREATE = "device.create"
DEVICE_CHANGE = "device.change"
CLASSIFICATION_CHANGE = "classification.change"
COMPLIANCE_CHANGE = "compliance.change"
STANDARDS_REGISTER_CHANGE = "standards.register.change"
RISK_CHANGE = "risk.change"
DOCUMENT_CHANGE = "document.change"
DOCUMENT_CONTROL = "document.control"
DOCUMENT_ARCHIVE_VIEW = "document.archive.view"
TRAINING_MANAGE = "training.manage"
TRAINING_TAKE = "training.take"
ORGANISATION_CHANGE = "organisation.change"
USER_MANAGE = "user.manage"
AUDIT_VIEW = "audit.view"
AUDIT_EXPORT = "audit.export"
SIGNATURE_REQUEST = "signature.request"
SIGN_AUTHORED = "sign.authored"
SIGN_REVIEWED = "sign.reviewed"
SIGN_APPROVED = "sign.approved"
SIGN_RELEASED = "sign.released"

PERMISSIONS: dict[str, frozenset[str]] = {
    RECORD_VIEW: EVERYONE,
    DEVICE_CREATE: frozenset({ADMIN, QM, RA, ENG}),
    DEVICE_CHANGE: frozenset({ADMIN, QM, RA, ENG}),
    CLASSIFICATION_CHANGE: frozenset({QM, RA, ENG}),
    # Art. 10 obligations, applied standards, GSPR entries, technical documentation index.
    COMPLIANCE_CHANGE: frozenset({QM, RA, ENG}),
    # The register of standards and common specifications itself (reference data).
    STANDARDS_REGISTER_CHANGE: frozenset({QM, RA}),
    # ISO 14971 risk management files: plans, analyses, controls, FMEA, post-production items.
    RISK_CHANGE: frozenset({QM, RA, ENG}),
    # Drafting documents and revisions, review comments, change requests.
    DOCUMENT_CHANGE: frozenset({QM, RA, ENG}),
    # Document control itself: numbering, making revisions effective, obsoleting, review outcomes.
    DOCUMENT_CONTROL: frozenset({QM, RA}),
    # Superseded and obsolete revisions (ISO 13485 4.2.4: prevent unintended use of obsolete
    # documents): readable in the UI by everyone, downloadable only by these roles.
    DOCUMENT_ARCHIVE_VIEW: frozenset({ADMIN, QM, RA, APPROVER, AUDITOR}),
    # Job roles, training requirements, assignments, competence records, effectiveness.
    TRAINING_MANAGE: frozenset({ADMIN, QM}),
    # Completing one's own training tasks (the auditor role changes nothing, not even this).
    TRAINING_TAKE: frozenset({ADMIN, QM, RA, ENG, APPROVER}),
    ORGANISATION_CHANGE: frozenset({ADMIN, QM}),
    USER_MANAGE: frozenset({ADMIN}),
    AUDIT_VIEW: frozenset({ADMIN, QM, RA, AUDITOR}),
    AUDIT_EXPORT: frozenset({ADMIN, QM, RA, AUDITOR}),
    SIGNATURE_REQUEST: frozenset({ADMIN, QM, RA, ENG}),
    SIGN_AUTHORED: frozenset({ADMIN, QM, RA, ENG}),
    SIGN_REVIEWED: frozenset({QM, RA, ENG, APPROVER}),
    SIGN_APPROVED: frozenset({QM, RA, APPROVER}),
    SIGN_RELEASED: frozenset({QM, APPROVER}),
}


def has_perm(user, permission: str) -> bool:
    if permission not in PERMISSIONS:
        raise KeyError(f"unknown permission {permission!r}")
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.role in PERMISSIONS[permission]


def require_perm(user, permission: str) -> None:
    """Raise PermissionDenied unless the user holds the permission (used by services)."""
    if not has_perm(user, permission):
        raise PermissionDenied(f"{getattr(user, 'username', 'anonymous')} may not {permission}")


def perms_for(user) -> frozenset[str]:
    return frozenset(code for code in PERMISSIONS if has_perm(user, code))
