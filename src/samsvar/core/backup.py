"""Backup and restore of a whole installation: the database and the uploaded files.

ISO 13485 4.2.5 asks for records to stay legible, identifiable and retrievable, and EU GMP
Annex 11 §7.2 for regular backups whose restore is checked. A backup is one gzip-compressed
tar archive:

    manifest.json     format marker, versions, migration state, record counts, SHA-256 of members
    database.jsonl    every row of every installed model except sessions, one JSON object a line
    media/...         the uploaded files (MEDIA_ROOT)

The dump is logical (Django serializers), so a backup of an SQLite installation restores into
PostgreSQL and back. Primary keys are kept, content types and permissions travel with the data,
and timestamps keep their microseconds, so the audit trail's hash chain still verifies after a
restore.
"""

from __future__ import annotations

import getpass
import gzip
import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
import uuid
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.recorder import MigrationRecorder

import samsvar
from samsvar.core import triggers
from samsvar.core.audit import record_event, verify_chain
from samsvar.core.events import Event

FORMAT = "samsvar-backup/1"
MANIFEST = "manifest.json"
DATABASE = "database.jsonl"
MEDIA_PREFIX = "media/"
GZIP_MAGIC = b"\x1f\x8b"
# Sessions are not evidence and must not outlive a restore: a session id from the old database
# could otherwise log someone in as whoever holds that user id in the restored one.
EXCLUDED_APPS = ("sessions",)
CHUNK = 1024 * 1024
# Working folders inside MEDIA_ROOT while a restore swaps the files in; never backed up.
RESTORE_DIR_PREFIX = ".samsvar-restore-"


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why and is safe to show."""


class RestoreCancelled(BackupError):
    """The operator answered no; nothing was changed."""


class _FullPrecisionEncoder(DjangoJSONEncoder):
    """Keep microseconds, which DjangoJSONEncoder drops and the audit hashes depend on."""

    def default(self, o):
        if isinstance(o, datetime | time):
            return o.isoformat()
        return super().default(o)


@dataclass
class Manifest:
    data: dict

    @property
    def counts(self) -> dict[str, int]:
        return self.data.get("counts", {})

    @property
    def members(self) -> dict[str, dict]:
        return self.data.get("members", {})

    @property
    def created_utc(self) -> str:
        return self.data.get("created_utc", "")


@dataclass
class RestoreResult:
    manifest: Manifest
    counts: dict[str, int] = field(default_factory=dict)
    files: int = 0
    events: int = 0
    head_hash: str = ""


# --- what is backed up -------------------------------------------------------------------------


def backup_models() -> list:
    """Every concrete model of every installed app except sessions, dependencies first."""
    app_list = [
        (config, None) for config in apps.get_app_configs() if config.label not in EXCLUDED_APPS
    ]
    return [
        model
        for model in serializers.sort_dependencies(app_list, allow_cycles=True)
        if model._meta.managed and not model._meta.proxy
    ]


def model_label(model) -> str:
    return model._meta.label_lower


def migration_state(using: str = DEFAULT_DB_ALIAS) -> dict[str, str]:
    """The latest applied migration of each app, as recorded in the database."""
    latest: dict[str, str] = {}
    for app_label, name in MigrationRecorder(connections[using]).applied_migrations():
        if name > latest.get(app_label, ""):
            latest[app_label] = name
    return dict(sorted(latest.items()))


def _with_m2m_through(models: list) -> list:
    """The models plus the tables Django creates for their many-to-many fields."""
    result = list(models)
    for model in models:
        for m2m in model._meta.local_many_to_many:
            through = m2m.remote_field.through
            if through._meta.auto_created and through not in result:
                result.append(through)
    return result


# --- checksums and safe member names -----------------------------------------------------------


class _HashingWriter(io.TextIOBase):
    """A text stream that writes UTF-8 to a binary file and hashes what it writes."""

    def __init__(self, raw):
        self.raw = raw
        self.sha256 = hashlib.sha256()
        self.size = 0

    def writable(self):
        return True

    def write(self, text):
        data = text.encode("utf-8")
        self.raw.write(data)
        self.sha256.update(data)
        self.size += len(data)
        return len(text)


class _HashingReader(io.RawIOBase):
    """Read a member while hashing it, so the checksum is known once the content is used."""

    def __init__(self, raw):
        self.raw = raw
        self.sha256 = hashlib.sha256()

    def readable(self):
        return True

    def readinto(self, buffer):
        data = self.raw.read(len(buffer))
        self.sha256.update(data)
        buffer[: len(data)] = data
        return len(data)

    def drain(self) -> str:
        """Hash whatever the consumer left unread and return the member's checksum."""
        for chunk in iter(lambda: self.raw.read(CHUNK), b""):
            self.sha256.update(chunk)
        return self.sha256.hexdigest()


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _safe_media_path(name: str) -> PurePosixPath | None:
    """The path under MEDIA_ROOT for a member name, or None if it could escape it."""
    if not name.startswith(MEDIA_PREFIX) or "\\" in name or "\x00" in name:
        return None
    relative = PurePosixPath(name[len(MEDIA_PREFIX) :])
    if not relative.parts or relative.is_absolute() or ".." in relative.parts:
        return None
    if relative.parts[0].startswith(RESTORE_DIR_PREFIX):
        return None
    return relative


# --- backup ------------------------------------------------------------------------------------


def _counting(iterable, counts: dict, label: str):
    for item in iterable:
        counts[label] += 1
        yield item


def dump_database(stream, using: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    """Write every backed-up row as JSON Lines to a text stream; return the counts per model.

    The rows come from one consistent snapshot: a repeatable-read transaction on PostgreSQL,
    one transaction on SQLite. Each table is read in chunks, never all at once.
    """
    connection = connections[using]
    counts: dict[str, int] = {}
    outermost = not connection.in_atomic_block
    with transaction.atomic(using=using):
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        for model in backup_models():
            label = model_label(model)
            counts[label] = 0
            queryset = model._base_manager.using(using).order_by(model._meta.pk.name)
            serializers.serialize(
                "jsonl",
                _counting(queryset.iterator(chunk_size=2000), counts, label),
                stream=stream,
                cls=_FullPrecisionEncoder,
            )
    return counts


def media_files(media_root: Path) -> Iterator[tuple[str, Path]]:
    """(member name, path) of every regular file under MEDIA_ROOT, in a stable order."""
    if not media_root.is_dir():
        return
    for directory, dirnames, filenames in os.walk(media_root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(RESTORE_DIR_PREFIX))
        for filename in sorted(filenames):
            path = Path(directory) / filename
            if path.is_symlink() or not path.is_file():
                continue
            relative = path.relative_to(media_root).as_posix()
            yield MEDIA_PREFIX + relative, path


def _refuse_inside_media(path: Path, media_root: Path) -> None:
    """Backups hold password hashes and every record; uploaded files may be served to users,
    and a restore replaces everything under MEDIA_ROOT."""
    if path.resolve().is_relative_to(media_root.resolve()):
        raise BackupError(
            f"{path} is inside MEDIA_ROOT ({media_root}), the uploaded files; "
            "keep backups somewhere else"
        )


def create_backup(
    destination: Path | str,
    *,
    using: str = DEFAULT_DB_ALIAS,
    media_root: Path | str | None = None,
    overwrite: bool = False,
) -> Manifest:
    """Write a backup archive to `destination` (written beside it, then renamed into place)."""
    destination = Path(destination).expanduser().resolve()
    media_root = Path(media_root or settings.MEDIA_ROOT)
    _refuse_inside_media(destination, media_root)
    if destination.exists() and not overwrite:
        raise BackupError(f"{destination} already exists; choose another name or use --force")
    if not destination.parent.is_dir():
        raise BackupError(f"the folder {destination.parent} does not exist")
    partial = destination.with_name(f".{destination.name}.{uuid.uuid4().hex[:8]}.partial")
    connection = connections[using]
    with tempfile.TemporaryDirectory(prefix="samsvar-backup-") as workdir:
        dump_path = Path(workdir) / DATABASE
        with open(dump_path, "wb") as raw:
            writer = _HashingWriter(raw)
            counts = dump_database(writer, using=using)
        members = {DATABASE: {"sha256": writer.sha256.hexdigest(), "size": writer.size}}
        files = list(media_files(media_root))
        for name, path in files:
            members[name] = {"sha256": file_sha256(path), "size": path.stat().st_size}
        manifest = Manifest(
            {
                "format": FORMAT,
                "samsvar_version": samsvar.__version__,
                "created_utc": datetime.now(UTC).isoformat(timespec="seconds"),
                "database_vendor": connection.vendor,
                "migrations": migration_state(using),
                "counts": counts,
                "members": members,
            }
        )
        try:
            with tarfile.open(partial, "w:gz", format=tarfile.PAX_FORMAT) as tar:
                _add_bytes(tar, MANIFEST, json.dumps(manifest.data, indent=2).encode("utf-8"))
                _add_file(tar, DATABASE, dump_path, members[DATABASE]["sha256"])
                for name, path in files:
                    _add_file(tar, name, path, members[name]["sha256"])
            os.chmod(partial, 0o600)
            os.replace(partial, destination)
        finally:
            partial.unlink(missing_ok=True)
    return manifest


def _member_info(name: str, size: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mode = 0o600
    info.mtime = int(datetime.now(UTC).timestamp())
    return info


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    tar.addfile(_member_info(name, len(data)), io.BytesIO(data))


def _add_file(tar: tarfile.TarFile, name: str, path: Path, sha256: str) -> None:
    with open(path, "rb") as handle:
        reader = _HashingReader(handle)
        tar.addfile(_member_info(name, os.fstat(handle.fileno()).st_size), reader)
    if reader.sha256.hexdigest() != sha256:
        raise BackupError(f"{path} changed while the backup was written; run the backup again")


# --- reading an archive ------------------------------------------------------------------------


def _open_archive(path: Path) -> tuple[tarfile.TarFile, gzip.GzipFile]:
    if not path.is_file():
        raise BackupError(f"{path} does not exist or is not a file")
    with open(path, "rb") as handle:
        if handle.read(2) != GZIP_MAGIC:
            raise BackupError(
                f"{path.name} is not a samsvar backup: it is not a gzip-compressed tar archive"
            )
    # gzip (not tarfile's own decompression) checks the CRC and length at the end of the stream.
    compressed = gzip.open(path, "rb")  # noqa: SIM115 (closed by _members)
    try:
        return tarfile.open(fileobj=compressed, mode="r|"), compressed
    except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:
        compressed.close()
        raise BackupError(
            f"{path.name} is damaged or not a samsvar backup: the archive cannot be read ({exc})"
        ) from None


def _members(path: Path) -> Iterator[tuple[tarfile.TarInfo, tarfile.TarFile]]:
    """Members in archive order; a damaged stream becomes a BackupError, not a traceback."""
    tar, compressed = _open_archive(path)
    try:
        with compressed, tar:
            for member in tar:
                yield member, tar
            while compressed.read(CHUNK):
                pass  # read up to the gzip trailer, whose checksum covers every byte
    except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:
        raise BackupError(
            f"{path.name} is damaged: the archive cannot be read to the end ({exc})"
        ) from None


def _read_manifest(member: tarfile.TarInfo, tar: tarfile.TarFile, name: str) -> Manifest:
    if member.name != MANIFEST or not member.isfile():
        raise BackupError(f"{name} is not a samsvar backup: it has no {MANIFEST} at the start")
    if member.size > 10 * 1024 * 1024:
        raise BackupError(f"{name} is not a samsvar backup: {MANIFEST} is implausibly large")
    try:
        data = json.loads(tar.extractfile(member).read().decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        raise BackupError(f"{name} is damaged: {MANIFEST} is not valid JSON") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        found = data.get("format") if isinstance(data, dict) else None
        raise BackupError(
            f"{name} is not a samsvar backup this version can read: its format is "
            f"{found!r}, expected {FORMAT!r}"
        )
    if not isinstance(data.get("counts"), dict) or not isinstance(data.get("migrations"), dict):
        raise BackupError(f"{name} is damaged: {MANIFEST} has no record counts or migrations")
    manifest = Manifest(data)
    members = manifest.members
    if not isinstance(members, dict) or DATABASE not in members:
        raise BackupError(f"{name} is damaged: {MANIFEST} lists no {DATABASE}")
    for member_name, entry in members.items():
        if member_name != DATABASE and _safe_media_path(member_name) is None:
            raise BackupError(f"{name} is not a safe archive: unsafe member {member_name!r}")
        if not isinstance(entry, dict) or not isinstance(entry.get("sha256"), str):
            raise BackupError(f"{name} is damaged: {MANIFEST} has no checksum for {member_name}")
    return manifest


def _check_member(member: tarfile.TarInfo, manifest: Manifest, name: str) -> None:
    if member.name not in manifest.members:
        raise BackupError(f"{name} is damaged: member {member.name!r} is not in the manifest")
    if not member.isfile():
        raise BackupError(
            f"{name} is not a safe archive: member {member.name!r} is not a regular file"
        )


def _checksum_error(name: str, member_name: str) -> BackupError:
    return BackupError(
        f"{name} is damaged: the checksum of {member_name} does not match the manifest"
    )


def inspect_backup(path: Path | str) -> Manifest:
    """Read the whole archive and check every member against the manifest; change nothing."""
    path = Path(path)
    try:
        manifest, seen = _scan(path)
    except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:
        raise BackupError(f"{path.name} is damaged: a member cannot be read ({exc})") from None
    if manifest is None:
        raise BackupError(f"{path.name} is not a samsvar backup: the archive is empty")
    missing = sorted(set(manifest.members) - seen)
    if missing:
        names = ", ".join(missing[:5])
        raise BackupError(f"{path.name} is damaged: members in the manifest are missing ({names})")
    return manifest


def _scan(path: Path) -> tuple[Manifest | None, set[str]]:
    manifest = None
    seen: set[str] = set()
    for member, tar in _members(path):
        if manifest is None:
            manifest = _read_manifest(member, tar, path.name)
            continue
        _check_member(member, manifest, path.name)
        if member.name in seen:
            raise BackupError(f"{path.name} is damaged: member {member.name!r} appears twice")
        seen.add(member.name)
        digest = hashlib.sha256()
        handle = tar.extractfile(member)
        for chunk in iter(lambda handle=handle: handle.read(CHUNK), b""):
            digest.update(chunk)
        if digest.hexdigest() != manifest.members[member.name]["sha256"]:
            raise _checksum_error(path.name, member.name)
    return manifest, seen


def check_compatible(manifest: Manifest, using: str = DEFAULT_DB_ALIAS) -> None:
    """Refuse a backup made at another migration state than this installation's."""
    theirs = manifest.data.get("migrations") or {}
    ours = migration_state(using)
    if theirs == ours:
        return
    differences = [
        f"{app}: backup {theirs.get(app, 'none')}, here {ours.get(app, 'none')}"
        for app in sorted(set(theirs) | set(ours))
        if theirs.get(app) != ours.get(app)
    ]
    raise BackupError(
        "the backup was made at another migration state than this installation's ("
        + "; ".join(differences[:6])
        + "); restore it into an installation of the same samsvar version, then upgrade"
    )


# --- restore -----------------------------------------------------------------------------------


def _load_database(stream, using: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    text = io.TextIOWrapper(stream, encoding="utf-8")
    for obj in serializers.deserialize("jsonl", text, using=using, ignorenonexistent=False):
        # The tables are empty, so insert straight away instead of trying an UPDATE first.
        obj.save(using=using, force_insert=True)
        label = model_label(type(obj.object))
        counts[label] = counts.get(label, 0) + 1
    text.detach()  # leave the archive member open for the checksum
    return counts


def _clear_database(models: list, using: str) -> None:
    connection = connections[using]
    session_models = [
        m
        for config in apps.get_app_configs()
        if config.label in EXCLUDED_APPS
        for m in config.get_models()
    ]
    tables = [model._meta.db_table for model in _with_m2m_through(models + session_models)]
    statements = connection.ops.sql_flush(no_style(), tables, allow_cascade=False)
    if connection.vendor == "postgresql":
        # TRUNCATE refuses while deferred foreign-key checks of this transaction are pending.
        statements = [
            "SET CONSTRAINTS ALL IMMEDIATE",
            *statements,
            "SET CONSTRAINTS ALL DEFERRED",
        ]
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _reset_sequences(models: list, using: str) -> None:
    connection = connections[using]
    statements = connection.ops.sequence_reset_sql(no_style(), _with_m2m_through(models))
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


class _MediaSwap:
    """Stage restored files inside MEDIA_ROOT and swap them in; undo if the database fails."""

    def __init__(self, media_root: Path):
        self.root = media_root
        self.root.mkdir(parents=True, exist_ok=True)
        token = uuid.uuid4().hex[:8]
        self.staging = self.root / f"{RESTORE_DIR_PREFIX}new-{token}"
        self.replaced = self.root / f"{RESTORE_DIR_PREFIX}old-{token}"
        self.staging.mkdir()
        self.moved_out: list[str] = []
        self.moved_in: list[str] = []

    def write(self, relative: PurePosixPath, handle, expected_sha256: str) -> bool:
        target = self.staging.joinpath(*relative.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        with open(target, "wb") as out:
            for chunk in iter(lambda: handle.read(CHUNK), b""):
                digest.update(chunk)
                out.write(chunk)
        return digest.hexdigest() == expected_sha256

    def swap(self) -> None:
        self.replaced.mkdir()
        for entry in sorted(os.listdir(self.root)):
            if entry.startswith(RESTORE_DIR_PREFIX):
                continue
            os.replace(self.root / entry, self.replaced / entry)
            self.moved_out.append(entry)
        for entry in sorted(os.listdir(self.staging)):
            os.replace(self.staging / entry, self.root / entry)
            self.moved_in.append(entry)

    def undo(self) -> None:
        for entry in self.moved_in:
            target = self.root / entry
            if target.is_dir() and not target.is_symlink():
                shutil.rmtree(target)
            else:
                target.unlink(missing_ok=True)
        for entry in self.moved_out:
            os.replace(self.replaced / entry, self.root / entry)

    def cleanup(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)
        shutil.rmtree(self.replaced, ignore_errors=True)


def restore_backup(
    path: Path | str,
    *,
    using: str = DEFAULT_DB_ALIAS,
    media_root: Path | str | None = None,
    confirm: Callable[[Manifest], bool] | None = None,
) -> RestoreResult:
    """Replace all data and uploaded files with the backup's, or change nothing at all.

    The archive is checked completely first (format, checksums, migration state). Then, in one
    transaction, the append-only triggers are lifted, every backed-up table is emptied, the
    dump is loaded with its primary keys, the triggers come back, the audit chain must verify,
    and a BACKUP_RESTORED event is appended. The uploaded files are swapped in just before the
    commit and swapped back if it fails.
    """
    path = Path(path)
    media_root = Path(media_root or settings.MEDIA_ROOT)
    _refuse_inside_media(path, media_root)
    manifest = inspect_backup(path)
    check_compatible(manifest, using)
    if confirm is not None and not confirm(manifest):
        raise RestoreCancelled("restore cancelled; nothing was changed")

    connection = connections[using]
    models = backup_models()
    result = RestoreResult(manifest=manifest)
    media = _MediaSwap(media_root)
    swapped = False
    try:
        with transaction.atomic(using=using):
            with triggers.maintenance(connection):
                _clear_database(models, using)
                for member, tar in _members(path):
                    if member.name == MANIFEST:
                        continue
                    _check_member(member, manifest, path.name)
                    expected = manifest.members[member.name]["sha256"]
                    handle = tar.extractfile(member)
                    if member.name == DATABASE:
                        reader = _HashingReader(handle)
                        result.counts = _load_database(io.BufferedReader(reader, CHUNK), using)
                        ok = reader.drain() == expected
                    else:
                        ok = media.write(_safe_media_path(member.name), handle, expected)
                        result.files += 1
                    if not ok:
                        raise _checksum_error(path.name, member.name)
                _reset_sequences(models, using)
                connection.check_constraints()
            _check_counts(manifest, result.counts)
            _verify_restored_chain()
            event = record_event(
                Event.BACKUP_RESTORED,
                action="restore",
                reason=f"Restored from the backup of {manifest.created_utc}",
                changes={
                    "file": path.name,
                    "os_user": _os_user(),
                    "created_utc": manifest.created_utc,
                    "source_vendor": manifest.data.get("database_vendor", ""),
                    "samsvar_version": manifest.data.get("samsvar_version", ""),
                    "records": sum(result.counts.values()),
                    "files": result.files,
                },
                object_type="core.backup",
                object_repr=path.name[:300],
            )
            result.events, result.head_hash = event.seq, event.hash
            media.swap()
            swapped = True
    except BaseException:
        if swapped:
            media.undo()
        raise
    finally:
        media.cleanup()
        ContentType.objects.clear_cache()
    return result


def _os_user() -> str:
    """Who ran the restore on the server; the CLI has no samsvar user to name."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


def _check_counts(manifest: Manifest, loaded: dict[str, int]) -> None:
    expected = {label: n for label, n in manifest.counts.items() if n}
    if expected != {label: n for label, n in loaded.items() if n}:
        raise BackupError("the restored record counts differ from the manifest; nothing changed")


def _verify_restored_chain() -> None:
    check = verify_chain()
    if not check.ok:
        raise BackupError(
            f"the audit trail in the backup does not verify (event {check.first_bad_seq}: "
            f"{check.problem}); nothing was changed"
        )
