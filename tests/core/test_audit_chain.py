"""The audit trail is evidence (ISO 13485 4.2.5; Part 11 §11.10(e); DESIGN rule 5).

Every change leaves one event with before/after values and the reason; the hash chain exposes
an edit, a deletion, an insertion or a reordering even when the append-only triggers were
dropped first; the triggers refuse changes through plain SQL.
"""

import csv
import sqlite3
import threading

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, connections, transaction
from django.db.models import Max
from django.http import HttpResponse

from samsvar.core import triggers
from samsvar.core.audit import audited, compute_hash, verify_chain
from samsvar.core.events import Event
from samsvar.core.management.commands.audit import CSV_HEADER
from samsvar.core.middleware import RequestIdMiddleware
from samsvar.core.models import AuditChainHead, AuditEvent, RecordVersion, Signature
from samsvar.devices.models import Device
from samsvar.devices.services import device_create, device_update
from tests.core.cli import installation, run_samsvar

ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def last_seq() -> int:
    return AuditEvent.objects.aggregate(last=Max("seq"))["last"] or 0


def events_since(seq: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(seq__gt=seq).order_by("seq"))


# --- what gets recorded ------------------------------------------------------------------------


def test_create_update_and_delete_each_write_one_event_with_values_and_reason(quality, make_device):
    start = last_seq()
    device = make_device(quality, name="InsuPump 3", model_number="IP-3", reason="New product line")
    [created] = events_since(start)
    assert created.code == Event.RECORD_CREATED
    assert (created.object_type, created.object_id) == ("devices.device", str(device.pk))
    assert created.changes["name"] == [None, "InsuPump 3"]
    assert created.changes["model_number"] == [None, "IP-3"]
    assert created.reason == "New product line"
    assert created.actor_id == quality.pk
    assert created.actor_name == f"{quality.full_name} ({quality.username})"

    start = last_seq()
    device_update(actor=quality, device=device, model_number="IP-3b", reason="Typo in model")
    [updated] = events_since(start)
    assert updated.code == Event.RECORD_UPDATED
    assert updated.changes == {"model_number": ["IP-3", "IP-3b"]}
    assert updated.reason == "Typo in model"

    start = last_seq()
    device_update(actor=quality, device=device, model_number="IP-3b")
    assert events_since(start) == [], "a save without a change writes no event"

    with audited(actor=quality, reason="Registered by mistake"):
        device.delete()
    [deleted] = events_since(start)
    assert deleted.code == Event.RECORD_DELETED
    assert deleted.changes["name"] == ["InsuPump 3", None]
    assert deleted.object_id == str(updated.object_id)
    assert deleted.reason == "Registered by mistake"
    assert not Device.objects.filter(name="InsuPump 3").exists()
    assert verify_chain().ok


def test_events_carry_the_request_id_of_the_http_request(quality, make_device, rf):
    start = last_seq()

    def view(request):
        make_device(quality)
        return HttpResponse("ok")

    response = RequestIdMiddleware(view)(rf.post("/devices/", HTTP_X_REQUEST_ID="req-4711"))
    assert response["X-Request-ID"] == "req-4711"
    [event] = events_since(start)
    assert event.request_id == "req-4711"


def test_an_unsafe_request_id_is_replaced_by_a_generated_one(quality, make_device, rf):
    start = last_seq()

    def view(request):
        make_device(quality)
        return HttpResponse("ok")

    request = rf.post("/devices/", HTTP_X_REQUEST_ID="x'; DROP TABLE core_auditevent; --")
    response = RequestIdMiddleware(view)(request)
    [event] = events_since(start)
    assert event.request_id == response["X-Request-ID"]
    assert len(event.request_id) == 32 and event.request_id.isalnum()


# --- tamper detection, with the triggers dropped first ------------------------------------------


@pytest.fixture
def chain(quality, make_device):
    """A trail of some events, and no triggers: what an attacker with database access has."""
    device = make_device(quality)
    for n in range(4):
        device_update(actor=quality, device=device, model_number=f"IP-{n}", reason=f"change {n}")
    assert verify_chain().ok
    triggers.uninstall(connection)
    yield list(AuditEvent.objects.order_by("seq"))
    triggers.install(connection)


def test_an_edited_event_is_caught(chain):
    target = chain[3]
    AuditEvent.objects.filter(seq=target.seq).update(reason="nothing to see")
    result = verify_chain()
    assert not result.ok
    assert result.first_bad_seq == target.seq
    assert "changed after it was written" in result.problem


def test_an_edited_event_with_a_recomputed_hash_breaks_the_next_link(chain):
    target = chain[3]
    target.changes = {"model_number": ["IP-0", "FORGED"]}
    target.hash = compute_hash(target)
    AuditEvent.objects.filter(seq=target.seq).update(changes=target.changes, hash=target.hash)
    result = verify_chain()
    assert not result.ok
    assert result.first_bad_seq == target.seq + 1
    assert "does not link" in result.problem


def test_a_deleted_event_in_the_middle_is_caught(chain):
    target = chain[3]
    AuditEvent.objects.filter(seq=target.seq).delete()
    result = verify_chain()
    assert not result.ok
    assert result.first_bad_seq == target.seq
    assert f"event {target.seq} is missing" in result.problem


def test_a_deleted_tail_is_caught_by_the_chain_head(chain):
    last = chain[-1]
    AuditEvent.objects.filter(seq__gte=last.seq - 1).delete()
    result = verify_chain()
    assert not result.ok
    assert result.first_bad_seq == last.seq - 1
    assert "deleted" in result.problem


def test_a_cut_tail_with_a_rewound_head_changes_the_head_hash_an_auditor_noted(chain):
    noted = verify_chain().head_hash
    AuditEvent.objects.filter(seq=chain[-1].seq).delete()
    AuditChainHead.objects.filter(pk=1).update(last_seq=chain[-2].seq, last_hash=chain[-2].hash)
    result = verify_chain()
    # Internally consistent again: only a head hash kept outside the database shows the cut,
    # which is why `audit verify` prints it.
    assert result.ok
    assert result.head_hash != noted


def test_an_inserted_event_is_caught_even_when_it_links_correctly(chain):
    last = chain[-1]
    forged = AuditEvent(
        seq=last.seq + 1,
        timestamp=last.timestamp,
        actor_id=last.actor_id,
        actor_name=last.actor_name,
        code=Event.RECORD_UPDATED,
        action="update",
        object_type=last.object_type,
        object_id=last.object_id,
        object_repr=last.object_repr,
        changes={"lifecycle_status": ["development", "on_market"]},
        reason="",
        request_id="",
        prev_hash=last.hash,
    )
    forged.hash = compute_hash(forged)
    AuditEvent.objects.bulk_create([forged])
    result = verify_chain()
    assert not result.ok
    assert result.first_bad_seq == forged.seq
    assert "added outside samsvar" in result.problem


def test_an_event_inserted_in_the_middle_is_caught(chain):
    position = chain[3].seq
    for event in reversed(chain[3:]):
        AuditEvent.objects.filter(seq=event.seq).update(seq=event.seq + 1)
    forged = AuditEvent(
        **{f.attname: getattr(chain[3], f.attname) for f in AuditEvent._meta.fields}
    )
    forged.seq, forged.prev_hash, forged.reason = position, chain[2].hash, "backdated approval"
    forged.hash = compute_hash(forged)
    AuditEvent.objects.bulk_create([forged])
    AuditChainHead.objects.filter(pk=1).update(last_seq=chain[-1].seq + 1)
    result = verify_chain()
    assert not result.ok
    assert result.first_bad_seq == position + 1


def test_reordered_events_are_caught(chain):
    first, second = chain[3], chain[4]
    AuditEvent.objects.filter(seq=first.seq).update(seq=-1)
    AuditEvent.objects.filter(seq=second.seq).update(seq=first.seq)
    AuditEvent.objects.filter(seq=-1).update(seq=second.seq)
    result = verify_chain()
    assert not result.ok
    assert result.first_bad_seq == first.seq


# --- the CLI -----------------------------------------------------------------------------------


def test_audit_verify_reports_an_intact_trail_with_its_head_hash(quality, make_device, capsys):
    make_device(quality)
    call_command("audit", "verify")
    head = AuditChainHead.objects.get(pk=1)
    out = capsys.readouterr().out
    assert (
        out.strip() == f"audit trail intact: {head.last_seq} events, head sha256 {head.last_hash}"
    )


def test_audit_verify_fails_with_exit_code_1_naming_the_first_bad_event(chain):
    AuditEvent.objects.filter(seq=chain[2].seq).update(actor_name="Someone Else")
    with pytest.raises(CommandError) as refused:
        call_command("audit", "verify")
    assert refused.value.returncode == 1
    assert f"BROKEN at event {chain[2].seq}" in str(refused.value)
    assert "changed after it was written" in str(refused.value)


def test_audit_export_writes_the_ui_columns_oldest_first(quality, make_device, tmp_path):
    make_device(quality)
    target = tmp_path / "trail.csv"
    call_command("audit", "export", "-o", str(target))
    with open(target, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == CSV_HEADER
    events = list(AuditEvent.objects.order_by("seq"))
    assert [int(row[0]) for row in rows[1:]] == [e.seq for e in events]
    assert [row[-1] for row in rows[1:]] == [e.hash for e in events]


def test_audit_verify_on_the_command_line_exits_0_then_1_after_tampering(tmp_path):
    env = installation(tmp_path)
    intact = run_samsvar("audit", "verify", env=env)
    assert intact.returncode == 0, intact.stderr
    assert intact.stdout.startswith("audit trail intact: ")

    with sqlite3.connect(tmp_path / "samsvar.sqlite3") as db:
        db.execute("DROP TRIGGER samsvar_core_auditevent_no_update")
        db.execute("UPDATE core_auditevent SET reason = 'approved by phone' WHERE seq = 3")
    broken = run_samsvar("audit", "verify", env=env)
    assert broken.returncode == 1
    assert "BROKEN at event 3" in broken.stderr
    assert "changed after it was written" in broken.stderr


# --- the triggers ------------------------------------------------------------------------------

REFUSED_SQL = [
    "UPDATE core_auditevent SET reason = 'edited'",
    "DELETE FROM core_auditevent",
    "UPDATE core_recordversion SET content_sha256 = 'edited'",
    "DELETE FROM core_recordversion",
    "UPDATE core_signature SET meaning = 'authored'",
    "DELETE FROM core_signature",
    "DELETE FROM core_auditchainhead",
]


@pytest.mark.parametrize("statement", REFUSED_SQL)
def test_the_triggers_refuse_changes_to_evidence_through_plain_sql(signed_device, statement):
    counts = (AuditEvent.objects.count(), RecordVersion.objects.count(), Signature.objects.count())
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
    assert counts == (
        AuditEvent.objects.count(),
        RecordVersion.objects.count(),
        Signature.objects.count(),
    )
    assert verify_chain().ok


@pytest.mark.skipif(not ON_POSTGRES, reason="SQLite has no TRUNCATE")
@pytest.mark.parametrize("table", [*triggers.APPEND_ONLY_TABLES, *triggers.UNDELETABLE_TABLES])
def test_the_triggers_refuse_truncate_on_postgresql(signed_device, table):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        # Fire the test transaction's deferred foreign-key checks, which block TRUNCATE.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"TRUNCATE {table} CASCADE")
    assert verify_chain().ok


# --- concurrency -------------------------------------------------------------------------------


@pytest.mark.skipif(
    not ON_POSTGRES,
    reason="SQLite serialises writers with BEGIN IMMEDIATE; concurrent writers need PostgreSQL",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_one_unbroken_chain(quality):
    threads, writes = 8, 25
    start = last_seq()
    barrier = threading.Barrier(threads)
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            barrier.wait()
            for i in range(writes):
                device_create(
                    actor=quality,
                    name=f"Concurrent {n}-{i}",
                    model_number=f"C-{n}-{i}",
                    regime="ivdr",
                    intended_purpose="Self-testing of blood glucose.",
                    intended_users="lay",
                )
        except BaseException as exc:  # report it in the main thread
            errors.append(exc)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=work, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    assert errors == []
    assert Device.objects.filter(name__startswith="Concurrent ").count() == threads * writes
    seqs = list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, start + threads * writes + 1))
    result = verify_chain()
    assert result.ok, result.problem
    assert result.count == start + threads * writes
