"""Stable audit event codes, grouped by area. A code is never reused or renumbered."""

from enum import IntEnum


class Event(IntEnum):
    # 1xxx accounts and sessions
    LOGIN_SUCCEEDED = 1001
    LOGIN_FAILED = 1002
    LOGIN_LOCKED = 1003
    LOGOUT = 1004
    PASSWORD_CHANGED = 1005
    TOTP_ENABLED = 1006
    TOTP_DISABLED = 1007
    USER_CREATED = 1010
    USER_UPDATED = 1011
    API_TOKEN_ISSUED = 1020
    # 2xxx signatures and versions
    SIGNATURE_APPLIED = 2001
    SIGNATURE_FAILED = 2002
    SIGNING_LOCKED = 2003
    SIGNATURE_REQUESTED = 2010
    SIGNATURE_REQUEST_CANCELLED = 2011
    # 3xxx generic controlled-record changes
    RECORD_CREATED = 3001
    RECORD_UPDATED = 3002
    RECORD_DELETED = 3003
    # 9xxx system
    BACKUP_RESTORED = 9001
    DEMO_DATA_LOADED = 9002


def event_label(code: int) -> str:
    """A readable, translated label for an event code (unknown codes show their number)."""
    from django.utils.translation import gettext

    labels = {
        Event.LOGIN_SUCCEEDED: gettext("Logged in"),
        Event.LOGIN_FAILED: gettext("Login failed"),
        Event.LOGIN_LOCKED: gettext("Account locked"),
        Event.LOGOUT: gettext("Logged out"),
        Event.PASSWORD_CHANGED: gettext("Password changed"),
        Event.TOTP_ENABLED: gettext("Two-factor login on"),
        Event.TOTP_DISABLED: gettext("Two-factor login off"),
        Event.USER_CREATED: gettext("Person added"),
        Event.USER_UPDATED: gettext("Person changed"),
        Event.API_TOKEN_ISSUED: gettext("API token issued"),
        Event.SIGNATURE_APPLIED: gettext("Signed"),
        Event.SIGNATURE_FAILED: gettext("Signature failed"),
        Event.SIGNING_LOCKED: gettext("Signing locked"),
        Event.SIGNATURE_REQUESTED: gettext("Signature requested"),
        Event.SIGNATURE_REQUEST_CANCELLED: gettext("Signature request cancelled"),
        Event.RECORD_CREATED: gettext("Created"),
        Event.RECORD_UPDATED: gettext("Changed"),
        Event.RECORD_DELETED: gettext("Deleted"),
        Event.BACKUP_RESTORED: gettext("Backup restored"),
        Event.DEMO_DATA_LOADED: gettext("Demo data loaded"),
    }
    try:
        return labels[Event(code)]
    except (ValueError, KeyError):
        return str(code)
