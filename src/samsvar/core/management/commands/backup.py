"""`samsvar backup FILE`: the database and the uploaded files in one checked archive."""

from django.core.management.base import BaseCommand, CommandError

from samsvar.core.backup import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Write a backup (tar.gz) with a database-independent dump of all records, the uploaded "
        "files and a manifest with checksums. Restore it with `samsvar restore FILE`."
    )
    # A backup must be possible even while an unrelated system check fails.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("file", help="Archive to write, e.g. samsvar-2025-01-31.tar.gz")
        parser.add_argument(
            "--force", action="store_true", help="Replace the file if it already exists."
        )
        parser.add_argument("--database", default="default", help="Database alias to back up.")

    def handle(self, *args, file, force, database, **options):
        try:
            manifest = create_backup(file, using=database, overwrite=force)
        except (BackupError, OSError) as exc:
            raise CommandError(f"backup failed: {exc}") from exc
        records = sum(manifest.counts.values())
        files = len(manifest.members) - 1
        self.stdout.write(f"backup written: {file} ({records} records, {files} uploaded files)")
