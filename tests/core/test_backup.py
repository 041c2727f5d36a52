"""Backup and restore (ISO 13485 4.2.5 retrievable records; EU GMP Annex 11 §7.2).

A backup restores into a changed or emptied installation with the same records, the uploaded
files and an audit trail that still verifies; an archive that is damaged, foreign or from
another migration state is refused before anything changes.
"""

import io
import json
import tarfile
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.db.migrations.loader import MigrationLoader

from samsvar.accounts.models import Prrc, User
from samsvar.accounts.services import organisation_save, prrc_save
from samsvar.core import triggers
from samsvar.core.audit import audited, verify_chain
from samsvar.core.backup import (
    FORMAT,
    backup_models,
    create_backup,
    inspect_backup,
    restore_backup,
)
from samsvar.core.events import Event
from samsvar.core.models import AuditEvent, RecordVersion, Signature
from samsvar.devices.models import Device
from samsvar.devices.services import device_update
from tests.core.cli import installation, run_samsvar

PDF = b"%PDF-1.7\n% Per Hansen, MSc Biomedical Engineering, NTNU 2019\n%%EOF\n"


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def installation_data(media_root, signed_device, quality, engineer):
    """Users, a signed device now at version 2, the organisation and a PRRC with a PDF."""
    organisation_save(actor=quality, name="Fjordmed AS", address="Storgata 1, 0155 Oslo")
    prrc = prrc_save(
        actor=quality,
        user=engineer,
        full_name="Per Hansen",
        qualification_route="degree",
        degree="MSc Biomedical Engineering",
        years_experience=3,
        evidence="Diploma and CV on file.",
        evidence_file=SimpleUploadedFile("diploma.pdf", PDF, content_type="application/pdf"),
    )
    device_update(
        actor=quality, device=signed_device, model_number="IP-3b", reason="Label corrected"
    )
    return prrc


def snapshot() -> dict[str, list]:
    """Every backed-up row, except the audit tail a restore itself appends."""
    rows = {}
    for model in backup_models():
        if model._meta.label_lower == "core.auditchainhead":
            continue
        queryset = model._base_manager.order_by("pk")
        if model is AuditEvent:
            queryset = queryset.exclude(code=Event.BACKUP_RESTORED)
        rows[model._meta.label_lower] = serializers.serialize("python", queryset)
    return rows


def media_state(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def archive(installation_data, tmp_path) -> Path:
    target = tmp_path / "samsvar-backup.tar.gz"
    call_command("backup", str(target))
    return target


def test_the_manifest_describes_the_archive(archive, installation_data):
    manifest = inspect_backup(archive).data
    assert manifest["format"] == FORMAT
    assert manifest["database_vendor"] == connection.vendor
    applied = MigrationLoader(connection).graph.leaf_nodes("core")
    assert [("core", manifest["migrations"]["core"])] == applied
    assert manifest["counts"]["devices.device"] == 1
    assert manifest["counts"]["core.signature"] == 1
    assert manifest["counts"]["core.auditevent"] == AuditEvent.objects.count()
    assert manifest["counts"]["contenttypes.contenttype"] == ContentType.objects.count()
    assert "sessions.session" not in manifest["counts"]
    name = f"media/{installation_data.evidence_file.name}"
    assert set(manifest["members"]) == {"database.jsonl", name}
    assert manifest["members"][name]["size"] == len(PDF)


@pytest.mark.django_db(transaction=True)
def test_restore_into_a_changed_installation_brings_everything_back(
    archive, installation_data, quality, media_root
):
    before_rows, before_files = snapshot(), media_state(media_root)
    device = Device.objects.get()
    device_update(actor=quality, device=device, lifecycle_status="on_market", reason="Released")
    with audited(actor=quality, reason="Replaced"):
        Prrc.objects.get().delete()
    Path(installation_data.evidence_file.path).unlink()
    (media_root / "stray.txt").write_text("not in the backup")
    assert snapshot() != before_rows

    call_command("restore", str(archive), "--yes")

    assert snapshot() == before_rows
    assert media_state(media_root) == before_files
    result = verify_chain()
    assert result.ok, result.problem
    restored = AuditEvent.objects.latest("seq")
    assert restored.code == Event.BACKUP_RESTORED
    assert restored.changes["file"] == archive.name
    assert Path(Prrc.objects.get().evidence_file.path).read_bytes() == PDF
    # Generic relations still point at the right model.
    device = Device.objects.get()
    assert [v.version for v in device.frozen_versions()] == [1]
    assert Signature.objects.get().record_version.content["type"] == "devices.device"
    # The evidence tables are append-only again.
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_signature")


@pytest.mark.django_db(transaction=True)
def test_restore_into_a_flushed_installation_brings_everything_back(archive, media_root):
    before_rows, before_files = snapshot(), media_state(media_root)
    call_command("flush", interactive=False)
    assert not User.objects.exists()

    result = restore_backup(archive)

    assert snapshot() == before_rows
    assert media_state(media_root) == before_files
    assert sum(result.counts.values()) == sum(inspect_backup(archive).counts.values())
    assert verify_chain().ok
    assert User.objects.get(username="quality_manager").check_password("Fjord-test-passord-42")


def test_a_backup_made_on_the_command_line_with_sqlite_restores_here(
    tmp_path, media_root, make_device
):
    """The CLI end to end, and SQLite to PostgreSQL when the suite runs on PostgreSQL."""
    source = tmp_path / "source"
    env = installation(source)
    target = tmp_path / "from-cli.tar.gz"
    made = run_samsvar("backup", str(target), env=env)
    assert made.returncode == 0, made.stderr
    assert "backup written" in made.stdout
    assert inspect_backup(target).data["database_vendor"] == "sqlite"

    restore_backup(target)

    device = Device.objects.get()
    assert (device.name, device.model_number, device.version) == ("InsuPump 3", "IP-3b", 2)
    signature = Signature.objects.get()
    assert signature.signer.username == "kari"
    assert signature.record_version.content["fields"]["model_number"] == "IP-3"
    assert RecordVersion.objects.get().content_type == ContentType.objects.get_for_model(Device)
    prrc = Prrc.objects.get()
    assert Path(prrc.evidence_file.path).read_bytes().startswith(b"%PDF-")
    result = verify_chain()
    assert result.ok, result.problem
    # A new record gets a fresh primary key after the restore (sequences were reset).
    new = make_device(User.objects.get(username="kari"), name="GlucoCheck", regime="ivdr")
    assert new.pk > device.pk


def test_the_restore_command_line_asks_refuses_and_restores(tmp_path):
    env = installation(tmp_path / "site")
    archive = tmp_path / "site.tar.gz"
    assert run_samsvar("backup", str(archive), env=env).returncode == 0
    notes = tmp_path / "notes.txt"
    notes.write_text("not a backup")

    refused = run_samsvar("restore", "--yes", str(notes), env=env)
    assert refused.returncode == 1
    assert "not a gzip-compressed tar archive" in refused.stderr

    cancelled = run_samsvar("restore", str(archive), env=env, input="no\n")
    assert cancelled.returncode == 1
    assert "Type 'yes' to restore" in cancelled.stdout
    assert "restore cancelled; nothing was changed" in cancelled.stderr

    restored = run_samsvar("restore", str(archive), env=env, input="yes\n")
    assert restored.returncode == 0, restored.stderr
    assert "audit trail intact" in restored.stdout
    verified = run_samsvar("audit", "verify", env=env)
    assert verified.returncode == 0, verified.stderr


# --- refusals ----------------------------------------------------------------------------------


def rewrite(source: Path, target: Path, *, member: str | None = None, change=None) -> Path:
    """Copy an archive, passing one member's bytes (or the manifest's dict) through `change`."""
    with tarfile.open(source, "r:gz") as tar:
        entries = [(info, tar.extractfile(info).read()) for info in tar.getmembers()]
    with tarfile.open(target, "w:gz") as out:
        for info, data in entries:
            if info.name == member:
                if info.name == "manifest.json":
                    data = json.dumps(change(json.loads(data))).encode()
                else:
                    data = change(data)
            info.size = len(data)
            out.addfile(info, io.BytesIO(data))
    return target


def flip_byte(data: bytes) -> bytes:
    middle = len(data) // 2
    return data[:middle] + bytes([data[middle] ^ 0x01]) + data[middle + 1 :]


def with_manifest(**changes):
    def change(manifest):
        for key, value in changes.items():
            if isinstance(value, dict):
                manifest[key] = {**manifest[key], **value}
            else:
                manifest[key] = value
        return manifest

    return change


def foreign_archive(path: Path) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        data = b"holiday photos"
        info = tarfile.TarInfo("photos/readme.txt")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    return path


def damaged_gzip(archive: Path, path: Path, at: int | None = None) -> Path:
    """Flip one bit of the compressed file: in the middle, or at `at` (-8: the gzip CRC-32)."""
    data = bytearray(archive.read_bytes())
    data[len(data) // 2 if at is None else at] ^= 0x01
    path.write_bytes(bytes(data))
    return path


def symlink_member(archive: Path, path: Path) -> Path:
    rewrite(archive, path)
    with tarfile.open(path, "r:gz") as tar:
        entries = [(info, tar.extractfile(info).read()) for info in tar.getmembers()]
    with tarfile.open(path, "w:gz") as out:
        manifest = json.loads(entries[0][1])
        manifest["members"]["media/evil"] = {"sha256": "0" * 64, "size": 0}
        data = json.dumps(manifest).encode()
        entries[0][0].size = len(data)
        out.addfile(entries[0][0], io.BytesIO(data))
        for info, content in entries[1:]:
            out.addfile(info, io.BytesIO(content))
        link = tarfile.TarInfo("media/evil")
        link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
        out.addfile(link)
    return path


BAD_ARCHIVES = {
    "a flipped byte in the database dump": (
        lambda a, p: rewrite(a, p, member="database.jsonl", change=flip_byte),
        "checksum of database.jsonl does not match",
    ),
    "a flipped byte in an uploaded file": (
        lambda a, p: rewrite(a, p, member=_media_member(a), change=flip_byte),
        "checksum of media/prrc/diploma.pdf does not match",
    ),
    "a flipped byte in the gzip stream": (damaged_gzip, "samsvar-bad.tar.gz is damaged"),
    "a wrong gzip checksum": (
        lambda a, p: damaged_gzip(a, p, at=-8),
        "is damaged: the archive cannot be read to the end",
    ),
    "a truncated archive": (
        lambda a, p: p.write_bytes(a.read_bytes()[: a.stat().st_size // 2]) and p,
        "is damaged",
    ),
    "a foreign tar.gz": (lambda a, p: foreign_archive(p), "has no manifest.json"),
    "a file that is no archive": (
        lambda a, p: p.write_text("id,name\n1,InsuPump\n") and p,
        "not a gzip-compressed tar archive",
    ),
    "another format marker": (
        lambda a, p: rewrite(a, p, member="manifest.json", change=with_manifest(format="x/9")),
        "its format is 'x/9', expected 'samsvar-backup/1'",
    ),
    "another migration state": (
        lambda a, p: rewrite(
            a,
            p,
            member="manifest.json",
            change=with_manifest(migrations={"core": "0099_future"}),
        ),
        "core: backup 0099_future, here 0",
    ),
    "a member missing from the manifest": (
        lambda a, p: rewrite(
            a,
            p,
            member="manifest.json",
            change=lambda m: {**m, "members": {"database.jsonl": m["members"]["database.jsonl"]}},
        ),
        "is not in the manifest",
    ),
    "a member path that escapes MEDIA_ROOT": (
        lambda a, p: rewrite(
            a,
            p,
            member="manifest.json",
            change=with_manifest(members={"media/../../etc/cron.d/x": {"sha256": "0" * 64}}),
        ),
        "unsafe member",
    ),
    "a symbolic link member": (symlink_member, "is not a regular file"),
}


def _media_member(archive: Path) -> str:
    return next(name for name in inspect_backup(archive).members if name.startswith("media/"))


@pytest.mark.parametrize(("make", "message"), BAD_ARCHIVES.values(), ids=BAD_ARCHIVES.keys())
def test_a_bad_archive_is_refused_and_nothing_changes(archive, media_root, tmp_path, make, message):
    bad = make(archive, tmp_path / "samsvar-bad.tar.gz")
    before_rows, before_files = snapshot(), media_state(media_root)
    events = AuditEvent.objects.count()

    with pytest.raises(CommandError, match="restore refused") as refused:
        call_command("restore", str(bad), "--yes")

    assert message in str(refused.value)
    assert snapshot() == before_rows
    assert AuditEvent.objects.count() == events
    assert media_state(media_root) == before_files
    assert verify_chain().ok
    assert not Path("/etc/cron.d/x").exists()


def test_restore_asks_first_and_a_no_changes_nothing(archive, media_root, monkeypatch):
    before = snapshot()
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="restore cancelled; nothing was changed"):
        call_command("restore", str(archive), interactive=True)
    assert snapshot() == before


def test_backup_refuses_to_overwrite_an_existing_file(archive):
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", str(archive))
    call_command("backup", str(archive), "--force")
    assert inspect_backup(archive).data["format"] == FORMAT


def test_backups_are_kept_out_of_the_uploaded_files(archive, media_root):
    inside = media_root / "backup.tar.gz"
    with pytest.raises(CommandError, match="inside MEDIA_ROOT"):
        call_command("backup", str(inside))
    assert not inside.exists()
    inside.write_bytes(archive.read_bytes())
    with pytest.raises(CommandError, match="inside MEDIA_ROOT"):
        call_command("restore", str(inside), "--yes")


def test_a_backup_whose_audit_trail_does_not_verify_is_refused(
    installation_data, tmp_path, media_root
):
    triggers.uninstall(connection)
    AuditEvent.objects.filter(seq=2).update(reason="edited after the fact")
    triggers.install(connection)
    tampered = tmp_path / "tampered.tar.gz"
    create_backup(tampered)
    before_rows, before_files = snapshot(), media_state(media_root)

    with pytest.raises(CommandError, match="does not verify \\(event 2: "):
        call_command("restore", str(tampered), "--yes")

    assert snapshot() == before_rows
    assert media_state(media_root) == before_files
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_signature")
