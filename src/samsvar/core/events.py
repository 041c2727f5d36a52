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
