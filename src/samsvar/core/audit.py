"""The audit trail: who did what, when and why, hash-chained (ISO 13485 4.2.5, Part 11 §11.10(e)).

Services open an `audited(actor=..., reason=...)` block; every controlled-record save inside it
writes one AuditEvent. Outside such a block the base model refuses to write, so neither a view
nor the shell can change a controlled record without leaving a trace.
"""

from __future__ import annotations

import contextvars
import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.db import transaction
from django.utils import timezone

from samsvar.core.events import Event

GENESIS_HASH = "0" * 64


@dataclass(frozen=True)
class AuditContext:
    actor: object | None  # a User, or None for the system
    reason: str = ""
    request_id: str = ""
    system_name: str = "samsvar"
    extra: dict = field(default_factory=dict)

    @property
    def actor_id(self) -> int | None:
        return getattr(self.actor, "pk", None)

    @property
    def actor_name(self) -> str:
        if self.actor is None:
            return self.system_name
        full_name = getattr(self.actor, "full_name", "") or ""
        username = getattr(self.actor, "username", "")
        return f"{full_name} ({username})" if full_name else username


_context: contextvars.ContextVar[AuditContext | None] = contextvars.ContextVar(
    "samsvar_audit_context", default=None
)
request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar(
    "samsvar_request_id", default=""
)


def current_context() -> AuditContext | None:
    return _context.get()


@contextmanager
def audited(*, actor, reason: str = "", system_name: str = "samsvar") -> Iterator[AuditContext]:
    """Open an atomic, audited block for a service. Nested blocks keep the outer actor."""
    outer = _context.get()
    if outer is not None and outer.actor_id == getattr(actor, "pk", None):
        ctx = AuditContext(
            actor=actor,
            reason=reason or outer.reason,
            request_id=outer.request_id,
            system_name=outer.system_name,
        )
    else:
        ctx = AuditContext(
            actor=actor,
            reason=(reason or "").strip(),
            request_id=request_id_var.get(),
            system_name=system_name,
        )
    token = _context.set(ctx)
    try:
        with transaction.atomic():
            yield ctx
    finally:
        _context.reset(token)


def canonical_json(value) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


CSV_HEADER = [
    "seq", "timestamp_utc", "actor_id", "actor", "code", "action", "object_type", "object_id",
    "object", "changes", "reason", "request_id", "prev_hash", "hash",
]  # fmt: skip


def csv_row(event) -> list:
    """One audit event as a CSV row (web export and `samsvar audit export`)."""
    return [
        event.seq,
        format_time(event.timestamp),
        event.actor_id or "",
        event.actor_name,
        event.code,
        event.action,
        event.object_type,
        event.object_id,
        event.object_repr,
        canonical_json(event.changes) if event.changes else "",
        event.reason,
        event.request_id,
        event.prev_hash,
        event.hash,
    ]


def format_time(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def event_payload(event) -> dict:
    """The fields that the hash covers, in a form that survives a database round trip."""
    return {
        "seq": event.seq,
        "timestamp": format_time(event.timestamp),
        "actor_id": event.actor_id,
        "actor_name": event.actor_name,
        "code": event.code,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "changes": event.changes,
        "reason": event.reason,
        "request_id": event.request_id,
        "prev_hash": event.prev_hash,
    }


def compute_hash(event) -> str:
    return hashlib.sha256(canonical_json(event_payload(event)).encode("utf-8")).hexdigest()


def object_label(obj) -> tuple[str, str, str]:
    if obj is None:
        return "", "", ""
    meta = obj._meta
    return f"{meta.app_label}.{meta.model_name}", str(obj.pk), str(obj)[:300]


def record_event(
    code: Event,
    *,
    obj=None,
    changes: dict | None = None,
    action: str = "",
    ctx: AuditContext | None = None,
    actor=None,
    reason: str = "",
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
):
    """Append one event to the chain. Runs in the caller's transaction.

    The chain head row is locked first, so concurrent writers on PostgreSQL queue up and the
    chain never forks; SQLite writers are already serialised by BEGIN IMMEDIATE.
    """
    from samsvar.core.models import AuditChainHead, AuditEvent

    ctx = ctx or current_context() or AuditContext(actor=actor, request_id=request_id_var.get())
    if actor is not None and ctx.actor is None:
        ctx = AuditContext(actor=actor, reason=ctx.reason, request_id=ctx.request_id)
    if obj is not None:
        object_type, object_id, object_repr = object_label(obj)
    with transaction.atomic():
        head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
        if head is None:
            if AuditEvent.objects.exists():
                raise RuntimeError(
                    "the audit chain head is missing although events exist; "
                    "run `samsvar audit verify`"
                )
            AuditChainHead.objects.bulk_create(
                [AuditChainHead(pk=1, last_seq=0, last_hash=GENESIS_HASH)],
                ignore_conflicts=True,
            )
            head = AuditChainHead.objects.select_for_update().get(pk=1)
        event = AuditEvent(
            seq=head.last_seq + 1,
            timestamp=timezone.now(),
            actor_id=ctx.actor_id,
            actor_name=ctx.actor_name,
            code=int(code),
            action=action or Event(code).name.lower(),
            object_type=object_type,
            object_id=object_id,
            object_repr=object_repr,
            changes=changes or {},
            reason=(reason or ctx.reason or "")[:2000],
            request_id=ctx.request_id,
            prev_hash=head.last_hash,
        )
        event.hash = compute_hash(event)
        AuditEvent.objects.bulk_create([event])
        AuditChainHead.objects.filter(pk=1).update(last_seq=event.seq, last_hash=event.hash)
    return event


@dataclass
class VerifyResult:
    ok: bool
    count: int
    first_bad_seq: int | None = None
    problem: str = ""
    head_hash: str = GENESIS_HASH


def verify_chain() -> VerifyResult:
    """Recompute the chain from the first event; name the first sequence number that is wrong."""
    from samsvar.core.models import AuditChainHead, AuditEvent

    expected_seq = 1
    prev_hash = GENESIS_HASH
    count = 0
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=2000):
        if event.seq != expected_seq:
            if event.seq > expected_seq:
                problem = f"event {expected_seq} is missing (next is {event.seq})"
            else:
                problem = f"event {event.seq} appears out of order"
            return VerifyResult(False, count, expected_seq, problem)
        if event.prev_hash != prev_hash:
            return VerifyResult(
                False, count, event.seq, f"event {event.seq} does not link to event {event.seq - 1}"
            )
        if compute_hash(event) != event.hash:
            return VerifyResult(
                False, count, event.seq, f"event {event.seq} was changed after it was written"
            )
        prev_hash = event.hash
        expected_seq += 1
        count += 1
    head = AuditChainHead.objects.filter(pk=1).first()
    head_seq = head.last_seq if head else 0
    head_hash = head.last_hash if head else GENESIS_HASH
    if head_seq != count or head_hash != prev_hash:
        if head_seq > count:
            return VerifyResult(
                False, count, count + 1, f"events {count + 1}..{head_seq} were deleted"
            )
        if head_seq == count:
            return VerifyResult(False, count, count, f"event {count} does not match the chain head")
        return VerifyResult(
            False, count, head_seq + 1, f"event {head_seq + 1} was added outside samsvar"
        )
    return VerifyResult(True, count, head_hash=prev_hash)
