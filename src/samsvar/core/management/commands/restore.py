"""`samsvar restore FILE`: replace all data and uploaded files with a backup's, or change nothing.

The archive is checked completely before anything is touched: its format, the checksum of every
member and the migration state. The restore itself is one transaction; afterwards the audit
trail verifies and ends with a BACKUP_RESTORED event.
"""

from django.core.management.base import BaseCommand, CommandError

from samsvar.core.backup import BackupError, Manifest, RestoreCancelled, restore_backup


class Command(BaseCommand):
    help = "Restore a backup made by `samsvar backup`, replacing ALL data and uploaded files."
    # Restoring is how an operator recovers; it checks compatibility itself.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("file", help="Archive written by `samsvar backup`.")
        parser.add_argument(
            "--yes",
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation.",
        )
        parser.add_argument("--database", default="default", help="Database alias to restore.")

    def handle(self, *args, file, interactive, database, **options):
        confirm = self.ask if interactive else None
        try:
            result = restore_backup(file, using=database, confirm=confirm)
        except RestoreCancelled as exc:
            raise CommandError(str(exc)) from exc
        except BackupError as exc:
            raise CommandError(f"restore refused: {exc}") from exc
        except Exception as exc:
            raise CommandError(f"restore failed, nothing was changed: {exc}") from exc
        self.stdout.write(
            f"restored {sum(result.counts.values())} records and {result.files} uploaded files "
            f"from the backup of {result.manifest.created_utc}; audit trail intact: "
            f"{result.events} events, head sha256 {result.head_hash}"
        )

    def ask(self, manifest: Manifest) -> bool:
        data = manifest.data
        self.stdout.write(
            f"Backup of {data.get('created_utc')} (samsvar {data.get('samsvar_version')}, "
            f"{data.get('database_vendor')}): {sum(manifest.counts.values())} records, "
            f"{len(manifest.members) - 1} uploaded files.\n"
            "This REPLACES ALL data and uploaded files of this installation."
        )
        try:
            answer = input("Type 'yes' to restore: ")
        except EOFError:
            return False
        return answer.strip().lower() == "yes"
